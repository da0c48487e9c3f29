using System.Collections.Generic;
using Mappings.Generators.Model;

namespace Mappings.Generators.Emitting;

// What the templates see: data — names the emitter chose, kinds it decided, texts of the mapping
// files — never C# text. The templates (Templates/*.sbn-cs) decide what each kind looks like in
// C#; docs/generator-internals.md shows which template part writes which part of the output.
// Properties keep their C# names in the templates ({{ f.Key }}).

// ------------------------------------------------------------------ values and conditions

/// <summary>
/// A value (an <c>int</c> value id in generated code). <see cref="Kind"/> says which, the other
/// properties what it needs (see <c>value</c> in Code.sbn-cs):
/// <c>get</c> (a message path: <see cref="Root"/>, path static <see cref="Name"/>),
/// <c>bound</c> (a field <see cref="Name"/> of a binding local <see cref="Root"/>),
/// <c>chain</c> (direct property access from <see cref="Root"/>, chain static <see cref="Name"/>),
/// <c>local</c> (a local or parameter <see cref="Name"/>),
/// <c>own</c> (an own key, static <see cref="Name"/>, of the object <see cref="Root"/>),
/// <c>property</c> (property <see cref="Name"/> of <see cref="Inner"/>),
/// <c>let</c> (accessor <see cref="Name"/> of the named values <see cref="Root"/>, empty inside them),
/// <c>firstValid</c>/<c>firstTruthy</c> (paths static <see cref="Name"/> from <see cref="Root"/>),
/// <c>firstValidOf</c>/<c>firstTruthyOf</c> (of <see cref="Items"/>),
/// <c>string</c> (static <see cref="Name"/>), <c>number</c> (<see cref="Number"/>),
/// <c>parse</c> (JSON <see cref="Text"/>), <c>lower</c> (<see cref="Inner"/>, described as <see cref="Text"/>),
/// and the constants <c>emptyString</c>, <c>true</c>, <c>false</c>, <c>null</c>, <c>undefined</c>,
/// <c>newObject</c>, <c>newArray</c>.
/// </summary>
internal sealed class ValueView
{
    public string Kind { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string Root { get; set; } = string.Empty;
    public string Text { get; set; } = string.Empty;
    public double Number { get; set; }
    public ValueView? Inner { get; set; }
    public List<ValueView> Items { get; set; } = new();
}

/// <summary>
/// A test (<c>bool</c>): <c>truthy</c>, <c>falsy</c> of <see cref="Value"/>; <c>all</c>, <c>any</c> of
/// <see cref="Items"/>; <c>not</c> <see cref="Inner"/>; comparisons of <see cref="Value"/>:
/// <c>stringEquals</c>/<c>lowerEquals</c> (<see cref="Text"/>), <c>inStrings</c>/<c>lowerIn</c>
/// (set static <see cref="Name"/>), <c>numberEquals</c> (<see cref="Number"/>), <c>isTrue</c>,
/// <c>isFalse</c>, <c>isNull</c>; <c>never</c>; <c>eventIs</c> (name <see cref="Text"/>, described as <see cref="Name"/>).
/// </summary>
internal sealed class TestView
{
    public string Kind { get; set; } = string.Empty;
    public ValueView? Value { get; set; }
    public string Name { get; set; } = string.Empty;
    public string Text { get; set; } = string.Empty;
    public double Number { get; set; }
    public List<TestView> Items { get; set; } = new();
    public TestView? Inner { get; set; }

    /// <summary>
    /// A test of a traced place (its static in <c>TraceSites</c>; empty otherwise): the traced variant
    /// reports <see cref="TraceOperand"/> and the result as test number <see cref="TraceIndex"/>.
    /// </summary>
    public string Trace { get; set; } = string.Empty;
    public int TraceIndex { get; set; }
    public ValueView? TraceOperand { get; set; }
}

// ------------------------------------------------------------------ statements

/// <summary>A statement or block of a method body; <see cref="Kind"/> picks its template function.</summary>
internal abstract class StatementView
{
    public abstract string Kind { get; }
}

/// <summary>
/// A field (<c>field</c>): the value <see cref="Value"/> (after the <see cref="Prelude"/> that
/// computes it) in local <see cref="Var"/> (declared unless the prelude declared it), then the
/// field's modifiers, then the write to <see cref="Target"/> under <see cref="Key"/> with
/// <see cref="Write"/> (<c>AppendUnique</c> or <c>Set</c>) when <see cref="Emit"/> allows
/// (<c>valid</c>, <c>defined</c>, <c>present</c>, or <c>always</c>: the value cannot be
/// anything else). Without a local, the value is written as it is computed.
/// </summary>
internal sealed class FieldView : StatementView
{
    public override string Kind => "field";
    public EntrySource? Source { get; set; }

    /// <summary>Where the mapping uses the field group this entry comes from (<c>{"use": …}</c>), if any.</summary>
    public EntrySource? GroupUse { get; set; }
    public List<StatementView> WhenPrelude { get; set; } = new();
    public TestView? When { get; set; }
    public bool Block { get; set; }
    public List<StatementView> Prelude { get; set; } = new();
    public string Var { get; set; } = string.Empty;
    public bool Declare { get; set; }
    public ValueView? Value { get; set; }
    public List<MapCaseView> ValueMap { get; set; } = new();
    public ValueView? Default { get; set; }
    public string Required { get; set; } = string.Empty;
    public StringifyView? Stringify { get; set; }
    public string Emit { get; set; } = string.Empty;
    public string Write { get; set; } = string.Empty;
    public string Target { get; set; } = string.Empty;
    public string Key { get; set; } = string.Empty;

    /// <summary>The field's traced place (a static of <c>TraceSites</c>).</summary>
    public string Trace { get; set; } = string.Empty;
}

/// <summary>One output of a value map: <see cref="Output"/> when <see cref="Test"/> holds.</summary>
internal sealed class MapCaseView
{
    public TestView Test { get; set; } = new();
    public ValueView Output { get; set; } = new();
}

/// <summary>
/// Stringified values: <see cref="Except"/> (key set static); with <see cref="ParseKey"/>, the JSON
/// under that key is parsed when <see cref="ParseWhen"/> holds (always without it), described as
/// <see cref="ParseWhat"/>, and a rejected value fails the event with <see cref="Error"/>.
/// </summary>
internal sealed class StringifyView
{
    public EntrySource? Source { get; set; }
    public string Except { get; set; } = string.Empty;
    public string ParseKey { get; set; } = string.Empty;
    public List<StatementView> ParseWhenPrelude { get; set; } = new();
    public TestView? ParseWhen { get; set; }
    public string ParseWhat { get; set; } = string.Empty;
    public string Error { get; set; } = string.Empty;

    /// <summary>The traced place of an object's stringification stage (empty for a field's).</summary>
    public string Trace { get; set; } = string.Empty;
}

/// <summary><c>{"fail": …}</c> (<c>fail</c>): the event fails with <see cref="Message"/> when <see cref="When"/> holds (always without it).</summary>
internal sealed class FailView : StatementView
{
    public override string Kind => "fail";
    public EntrySource? Source { get; set; }

    /// <summary>Where the mapping uses the field group this entry comes from (<c>{"use": …}</c>), if any.</summary>
    public EntrySource? GroupUse { get; set; }
    public List<StatementView> WhenPrelude { get; set; } = new();
    public TestView? When { get; set; }
    public string Message { get; set; } = string.Empty;
    public string Trace { get; set; } = string.Empty;
}

/// <summary>An object being built (<c>object</c>), stage by stage, in local <see cref="Var"/>.</summary>
internal sealed class ObjectView : StatementView
{
    public override string Kind => "object";
    public EntrySource? Source { get; set; }
    public string Var { get; set; } = string.Empty;
    public List<StatementView> Fields { get; set; } = new();
    public CustomFieldsView? CustomFields { get; set; }
    public StringifyView? Stringify { get; set; }
    public AssignView? Assign { get; set; }
    public List<ConversionView> Conversions { get; set; } = new();

    /// <summary><c>none</c>, <c>shallow</c> or <c>deep</c>.</summary>
    public string RemoveNulls { get; set; } = "none";
    public EntrySource? RemoveNullsSource { get; set; }

    /// <summary>Where the <c>finally</c> fields are listed (their stage comes last, after null removal).</summary>
    public EntrySource? FinallySource { get; set; }
    public string RemoveNullsTrace { get; set; } = string.Empty;

    /// <summary>For the record itself: its traced place (begun before its fields).</summary>
    public string RecordTrace { get; set; } = string.Empty;
    public List<StatementView> Finally { get; set; } = new();
    public List<ConversionView> FinallyConversions { get; set; } = new();
}

/// <summary>Custom fields: every other key of <see cref="Sources"/>, minus <see cref="Exclude"/> (key set static).</summary>
internal sealed class CustomFieldsView
{
    public EntrySource? Source { get; set; }
    public List<ValueView> Sources { get; set; } = new();
    public string Exclude { get; set; } = string.Empty;
    public string Trace { get; set; } = string.Empty;
}

/// <summary><c>assign</c>: the own keys of <see cref="Value"/>, computed after <see cref="Prelude"/>.</summary>
internal sealed class AssignView
{
    public EntrySource? Source { get; set; }
    public List<StatementView> Prelude { get; set; } = new();
    public ValueView Value { get; set; } = new();
    public string Trace { get; set; } = string.Empty;
}

/// <summary>A <c>convert</c> of the field <see cref="Source"/>: the value under <see cref="Key"/> (static; <see cref="KeyText"/>) in local <see cref="Var"/>.</summary>
internal sealed class ConversionView
{
    public EntrySource? Source { get; set; }
    public string Var { get; set; } = string.Empty;
    public string Key { get; set; } = string.Empty;
    public string KeyText { get; set; } = string.Empty;
    public string Trace { get; set; } = string.Empty;
}

/// <summary>
/// A template value (<c>template</c>): each of <see cref="Values"/> computed, then, when
/// <see cref="Checks"/> pass (every value V-valid, or truthy with <see cref="RequireTruthy"/>;
/// none: always), the <see cref="Parts"/> joined in buffer <see cref="Buffer"/>; otherwise
/// <see cref="Otherwise"/>. The result is in local <see cref="Var"/>.
/// </summary>
internal sealed class TemplateView : StatementView
{
    public override string Kind => "template";
    public string Var { get; set; } = string.Empty;

    /// <summary>False when <see cref="Var"/> is a local already declared (the variable of the cases the template is one of).</summary>
    public bool Declare { get; set; } = true;
    public List<TemplateValueView> Values { get; set; } = new();
    public List<string> Checks { get; set; } = new();
    public bool RequireTruthy { get; set; }
    public string Buffer { get; set; } = string.Empty;
    public List<TemplatePartView> Parts { get; set; } = new();
    public bool Html { get; set; }
    public bool Trim { get; set; }
    public ValueView Otherwise { get; set; } = new();
}

internal sealed class TemplateValueView
{
    public string Var { get; set; } = string.Empty;

    /// <summary>False when <see cref="Var"/> is a local already holding the value (a path read before the case's test, or at the start of <c>Map</c>).</summary>
    public bool Declare { get; set; } = true;
    public List<StatementView> Prelude { get; set; } = new();
    public ValueView Value { get; set; } = new();
}

/// <summary>Literal text (<see cref="Literal"/>), or the value in local <see cref="Var"/> described as <see cref="What"/>.</summary>
internal sealed class TemplatePartView
{
    public string Literal { get; set; } = string.Empty;
    public string Var { get; set; } = string.Empty;
    public string What { get; set; } = string.Empty;
}

/// <summary>
/// <c>cases</c> (<c>cases</c>): the chain of <see cref="First"/>, assigning local <see cref="Var"/>;
/// <see cref="Initialize"/> when some path assigns nothing (the value is then undefined).
/// </summary>
internal sealed class CasesView : StatementView
{
    public override string Kind => "cases";
    public string Var { get; set; } = string.Empty;
    public bool Initialize { get; set; }
    public CaseView First { get; set; } = new();
}

/// <summary>
/// One case: when <see cref="When"/> holds (after <see cref="WhenPrelude"/>; always without it),
/// <see cref="Value"/> after <see cref="Prelude"/>; otherwise <see cref="Else"/>.
/// </summary>
internal sealed class CaseView
{
    public List<StatementView> WhenPrelude { get; set; } = new();
    public TestView? When { get; set; }
    public List<StatementView> Prelude { get; set; } = new();
    public ValueView Value { get; set; } = new();

    /// <summary>The prelude assigns the cases' variable itself (a template case).</summary>
    public bool Assigned { get; set; }
    public CaseView? Else { get; set; }
}

/// <summary>A value read once into local <see cref="Var"/> (<c>read</c>): the path a case's test reads first and reads again.</summary>
internal sealed class ReadView : StatementView
{
    public override string Kind => "read";
    public string Var { get; set; } = string.Empty;
    public ValueView Value { get; set; } = new();
}

/// <summary>A fallback list holding direct property access (<c>firstOf</c>): <see cref="Items"/> in turn until one is truthy (or V-valid).</summary>
internal sealed class FirstOfView : StatementView
{
    public override string Kind => "firstOf";
    public string Var { get; set; } = string.Empty;
    public bool Truthy { get; set; }
    public List<ValueView> Items { get; set; } = new();
}

/// <summary>An extra record (<c>extraRecord</c>): <see cref="Object"/> added when <see cref="When"/> holds.</summary>
internal sealed class ExtraRecordView : StatementView
{
    public override string Kind => "extraRecord";
    public EntrySource? Source { get; set; }
    public List<StatementView> WhenPrelude { get; set; } = new();
    public TestView? When { get; set; }
    public ObjectView Object { get; set; } = new();
    public string Trace { get; set; } = string.Empty;
}

// ------------------------------------------------------------------ members

/// <summary>Static members of one kind, under a comment <see cref="Title"/>.</summary>
internal sealed class StaticGroupView
{
    public string Title { get; set; } = string.Empty;
    public List<StaticView> Items { get; set; } = new();
}

/// <summary>
/// A static member (see <c>declare</c> in Code.sbn-cs): <c>name</c> (a <c>JsName</c> of <see cref="Text"/>),
/// <c>path</c>, <c>paths</c> (<see cref="Items"/>), <c>chain</c>, <c>strings</c> (UTF-8 <see cref="Items"/>),
/// <c>keys</c> (a key set of <see cref="Items"/>), <c>fields</c> (the names of struct <see cref="Type"/> read from <see cref="Text"/>).
/// </summary>
internal sealed class StaticView
{
    public string Kind { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string Text { get; set; } = string.Empty;
    public List<string> Items { get; set; } = new();
    public string Type { get; set; } = string.Empty;
}

/// <summary>
/// A struct of one value per name read from some objects in one pass (<see cref="Sources"/>, the
/// message paths), field <see cref="Fields"/>[i] holding name <see cref="Names"/>[i].
/// </summary>
internal sealed class BindingTypeView
{
    public string Type { get; set; } = string.Empty;
    public List<string> Sources { get; set; } = new();
    public List<string> Names { get; set; } = new();
    public List<string> Fields { get; set; } = new();
}

/// <summary>The read of object <see cref="Source"/> into local <see cref="Var"/> of type <see cref="Type"/> (names static <see cref="Names"/>).</summary>
internal sealed class BindView
{
    public string Source { get; set; } = string.Empty;
    public string Type { get; set; } = string.Empty;
    public string Var { get; set; } = string.Empty;
    public string Names { get; set; } = string.Empty;
}

/// <summary>A config property (<see cref="Value"/>) read once into local <see cref="Var"/>.</summary>
internal sealed class ConfigReadView
{
    public string Var { get; set; } = string.Empty;
    public ValueView Value { get; set; } = new();
}

/// <summary>The model of Mapping.sbn-cs / InvalidMapping.sbn-cs.</summary>
internal sealed class MappingView
{
    public string Namespace { get; set; } = string.Empty;
    public string ClassName { get; set; } = string.Empty;
    public string LetsType { get; set; } = string.Empty;
    public string RelativePath { get; set; } = string.Empty;
    public string MappingName { get; set; } = string.Empty;
    public List<StaticGroupView> Statics { get; set; } = new();
    public List<BindingTypeView> BindingTypes { get; set; } = new();
    public bool UsesHeap { get; set; }
    public bool UsesMessage { get; set; }
    public List<BindView> Binds { get; set; } = new();

    /// <summary>The config properties read more than once, each read once into a local at the start.</summary>
    public List<ConfigReadView> ConfigReads { get; set; } = new();
    public ObjectView Record { get; set; } = new();
    public List<ExtraRecordView> ExtraRecords { get; set; } = new();

    /// <summary>Rendering the traced variant (<c>MapTraced</c>, for explain) rather than the class the service runs.</summary>
    public bool Traced { get; set; }
    public List<TraceSiteView> TraceSites { get; set; } = new();
}

/// <summary>A traced place: the static <see cref="Name"/> of the nested <c>TraceSites</c> class, described in JSON.</summary>
internal sealed class TraceSiteView
{
    public string Name { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
}

// ------------------------------------------------------------------ the destination

/// <summary>One message type's dispatch method: its preconditions, then its event rules in order.</summary>
internal sealed class TypeView
{
    public string Type { get; set; } = string.Empty;
    public string Method { get; set; } = string.Empty;
    public bool UsesHeap { get; set; }
    public bool UsesMessage { get; set; }
    public List<StatementView> Preconditions { get; set; } = new();
    public List<RuleView> Rules { get; set; } = new();

    /// <summary>The message of the events no rule takes (static), or empty when the last rule takes every event.</summary>
    public string Unsupported { get; set; } = string.Empty;
}

/// <summary>An event rule: the events <see cref="Match"/> holds for (every event without it) go to <see cref="MappingClass"/>.</summary>
internal sealed class RuleView
{
    public EntrySource? Source { get; set; }
    public TestView? Match { get; set; }
    public string MappingClass { get; set; } = string.Empty;
    public string Trace { get; set; } = string.Empty;
}

/// <summary>A header: <see cref="Value"/> after <see cref="Prelude"/>, in <see cref="Var"/> unless written as computed; its key as static <see cref="Key"/> and text <see cref="KeyText"/>.</summary>
internal sealed class HeaderView
{
    public EntrySource? Source { get; set; }
    public List<StatementView> Prelude { get; set; } = new();
    public string Var { get; set; } = string.Empty;
    public bool Declare { get; set; }
    public ValueView Value { get; set; } = new();
    public string Emit { get; set; } = string.Empty;
    public string Key { get; set; } = string.Empty;
    public string KeyText { get; set; } = string.Empty;
}

/// <summary>A value computed from the config alone: <see cref="Value"/> after <see cref="Prelude"/>.</summary>
internal sealed class ConfigValueView
{
    public EntrySource? Source { get; set; }
    public bool UsesHeap { get; set; }
    public List<StatementView> Prelude { get; set; } = new();
    public ValueView Value { get; set; } = new();
}

/// <summary>One named value of the lets struct, computed on first use: <see cref="Value"/> after <see cref="Prelude"/>.</summary>
internal sealed class LetView
{
    public EntrySource? Source { get; set; }
    public string Name { get; set; } = string.Empty;
    public string Accessor { get; set; } = string.Empty;
    public bool UsesHeap { get; set; }
    public bool UsesMessage { get; set; }
    public List<StatementView> Prelude { get; set; } = new();
    public ValueView Value { get; set; } = new();
}

/// <summary>User deletion: its settings, endpoint and headers (computed from the deletion request's config).</summary>
internal sealed class UserDeletionView
{
    public EntrySource? Source { get; set; }
    public int BatchSize { get; set; }
    public string UserIdKey { get; set; } = string.Empty;
    public string IdsKey { get; set; } = string.Empty;
    public List<string> RequiredConfig { get; set; } = new();
    public string MissingConfigError { get; set; } = string.Empty;
    public string FailureError { get; set; } = string.Empty;
    public ConfigValueView Endpoint { get; set; } = new();
    public List<HeaderView> Headers { get; set; } = new();
}

/// <summary>The model of Destination.sbn-cs.</summary>
internal sealed class DestinationView
{
    public string Namespace { get; set; } = string.Empty;
    public string ClassName { get; set; } = string.Empty;
    public string MapperClass { get; set; } = string.Empty;
    public string LetsType { get; set; } = string.Empty;
    public string RelativePath { get; set; } = string.Empty;
    public string DestType { get; set; } = string.Empty;
    public int MaxRecordsPerBatch { get; set; }
    public string RecordsKey { get; set; } = string.Empty;

    /// <summary>Where the destination's name, its request's method, records key and batch size are written.</summary>
    public EntrySource? DestinationSource { get; set; }
    public EntrySource? MethodSource { get; set; }
    public EntrySource? RecordsKeySource { get; set; }
    public EntrySource? MaxRecordsPerBatchSource { get; set; }
    public List<StaticGroupView> Statics { get; set; } = new();
    public EntrySource? MessageTypeSource { get; set; }
    public string TypePath { get; set; } = string.Empty;
    public string TypeWhat { get; set; } = string.Empty;
    public string MissingType { get; set; } = string.Empty;
    public string UnsupportedType { get; set; } = string.Empty;
    public List<TypeView> Types { get; set; } = new();
    public ConfigValueView Endpoint { get; set; } = new();
    public string Method { get; set; } = string.Empty;
    public List<HeaderView> Headers { get; set; } = new();
    public UserDeletionView? UserDeletion { get; set; }
    public List<StaticGroupView> LetStatics { get; set; } = new();
    public List<LetView> Lets { get; set; } = new();

    /// <summary>Rendering the traced variant (<c>MapTraced</c>, for explain) rather than the class the service runs.</summary>
    public bool Traced { get; set; }
    public List<TraceSiteView> TraceSites { get; set; } = new();

    /// <summary>The statics describing the named values.</summary>
    public List<string> LetTraces { get; set; } = new();

    /// <summary>The traced places of the dispatch's own checks: the message type (<c>messageType</c>) and the destination's Config.</summary>
    public string MessageTypeTrace { get; set; } = string.Empty;
    public string ConfigTrace { get; set; } = string.Empty;
}
