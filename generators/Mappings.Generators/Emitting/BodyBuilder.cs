using System.Collections.Generic;
using System.Linq;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;

namespace Mappings.Generators.Emitting;

/// <summary>
/// Turns the model of values, conditions, fields and objects into the views the templates lay out:
/// it decides what each part needs (a local, a block, a test, a one-pass read) and names it; the
/// templates decide how that is written in C#.
/// </summary>
/// <remarks>
/// Evaluation order is the model's order, which is the reference's: an object's fields in turn (a
/// failing field stops the event), then its custom fields, value stringification, assignment,
/// conversions, null removal and final fields. The locals it declares follow the blocks the
/// templates open (<see cref="Locals"/>), so names are reused wherever C# allows.
/// </remarks>
internal sealed class BodyBuilder
{
    private readonly Statics _statics;
    private readonly IReadOnlyList<LetInfo> _lets;
    private readonly Locals _locals;
    private readonly FieldBindings? _bindings;
    private readonly ConfigReads? _configReads;
    private readonly TraceSites? _trace;

    /// <summary>The traced place whose conditions are being built (their tests report to it).</summary>
    private TraceSites.Site? _site;

    /// <param name="trace">Where the places the traced variant reports on are described (null: no traced variant).</param>
    public BodyBuilder(Statics statics, IReadOnlyList<LetInfo> lets, Locals locals, FieldBindings? bindings = null, ConfigReads? configReads = null, TraceSites? trace = null)
    {
        _statics = statics;
        _lets = lets;
        _locals = locals;
        _bindings = bindings;
        _configReads = configReads;
        _trace = trace;
    }

    /// <summary>The traced place that <see cref="Test"/> numbers tests for, until the returned scope ends.</summary>
    public TraceSites.Site? Site
    {
        get => _site;
        set => _site = value;
    }

    /// <summary>What the method's body reads: the heap, the message.</summary>
    public bool UsesHeap { get; private set; }

    public bool UsesMessage { get; private set; }

    /// <summary>Where generated code finds things.</summary>
    public sealed record Scope
    {
        /// <summary>The message local, or null where there is none (request settings).</summary>
        public string? Message { get; init; }

        /// <summary>Where the config is (<c>context.Config</c>, or the parameter <c>config</c>).</summary>
        public string Config { get; init; } = "context.Config";

        /// <summary>The object being built (for {"field": key}), or null.</summary>
        public string? Object { get; init; }

        /// <summary>Whose accessors give the named values: <c>lets</c>, or empty inside the lets struct.</summary>
        public string Lets { get; init; } = "lets";

        /// <summary>Where in the record the object being built is (<c>profileData</c>; empty: the record itself).</summary>
        public string Path { get; init; } = string.Empty;

        /// <summary>
        /// The conditions that held, around this scope, before anything in it was built (an extra
        /// record's or an object field's <c>when</c>), each with the count of stages that may write
        /// into input objects (<see cref="InputWrites"/>) generated before it. A named value one of
        /// them requires truthy is truthy wherever it is read here — it is read once per event, and
        /// a value's truthiness never changes (only containers change, and they are always truthy).
        /// A message path one of them requires truthy is truthy where it is read again while no
        /// such stage has run since: what a path finds changes only through such writes.
        /// </summary>
        public IReadOnlyList<Enclosure> Enclosing { get; init; } = System.Array.Empty<Enclosure>();

        /// <summary>Paths already read into a local here: the path a case reads first and again (see <c>SharedRead</c>).</summary>
        public IReadOnlyDictionary<ValuePath, string> Reads { get; init; } = new Dictionary<ValuePath, string>();

        /// <summary>
        /// The scope of an object built here: the enclosing conditions still hold; no read is
        /// shared into it (its <c>{"field": …}</c> paths are its own, and its stages — custom
        /// fields' path writes — may change what a path finds).
        /// </summary>
        public Scope WithObject(string obj) => this with { Object = obj, Reads = new Dictionary<ValuePath, string>() };

        public Scope WithPath(string path) => this with { Path = path };

        /// <summary>This scope with <paramref name="path"/> read into <paramref name="local"/>.</summary>
        public Scope WithRead(ValuePath path, string local)
        {
            var reads = Reads.ToDictionary(entry => entry.Key, entry => entry.Value);
            reads[path] = local;
            return this with { Reads = reads };
        }

        /// <summary>This scope inside a condition tested after <paramref name="inputWrites"/> stages that may write into input objects.</summary>
        public Scope Within(Condition? when, int inputWrites)
            => when is null ? this : this with { Enclosing = Enclosing.Concat(new[] { new Enclosure(when, inputWrites) }).ToArray() };

        /// <summary>
        /// The value, read where <paramref name="inputWrites"/> such stages were generated, is a
        /// named value an enclosing condition requires truthy, or a message path one requires
        /// truthy with no such stage in between.
        /// </summary>
        public bool KnowsTruthy(ValueExpr value, int inputWrites) => value switch
        {
            PathValue { Path: { Root: PathRoot.Let, Path.Length: 0 } } => Enclosing.Any(e => AssertsTruthy(e.When, value)),
            PathValue { Path.Root: PathRoot.Message or PathRoot.DirectMessage } => Enclosing.Any(e => e.InputWrites == inputWrites && AssertsTruthy(e.When, value)),
            _ => false,
        };
    }

    /// <summary>A condition around a scope, and the stages that may write into input objects generated before it was tested.</summary>
    public sealed record Enclosure(Condition When, int InputWrites);

    /// <summary>
    /// How many stages generated so far may write into input objects (custom fields' path writes,
    /// stringification and assignment, which work on objects that may be the message's own): a
    /// message path read before and after one of them may find different values.
    /// </summary>
    public int InputWrites { get; private set; }

    public void UseHeap() => UsesHeap = true;

    /// <summary>Declares a local of the method (in its current block).</summary>
    public string Declare(string name) => _locals.Declare(Names.Camel(name));

    public void UseMessage()
    {
        UsesHeap = true;
        UsesMessage = true;
    }

    // ------------------------------------------------------------------ objects and fields

    /// <summary>The building of an object into the local <paramref name="var"/> (declared by the caller).</summary>
    public ObjectView Object(ObjectSpec spec, Scope scope, string var, string name)
    {
        UseHeap();
        var view = new ObjectView
        {
            Source = spec.Source,
            Var = var,
            RemoveNulls = spec.RemoveNulls switch { NullRemoval.Shallow => "shallow", NullRemoval.Deep => "deep", _ => "none" },
            RemoveNullsSource = spec.RemoveNullsSource,
            FinallySource = spec.FinallySource,
        };
        Scope inner = scope.WithObject(var);

        // The object is new: a key no earlier field wrote cannot be in it yet, so it is appended
        // without looking for it.
        var written = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (FieldSpec field in spec.Fields)
        {
            view.Fields.Add(Field(field, inner, field is ValueField v && written.Add(v.Key)));
        }

        if (spec.CustomFields is { } custom)
        {
            view.CustomFields = new CustomFieldsView
            {
                Source = custom.Source,
                Sources = custom.From.Select(p => Path(p, scope)).ToList(),
                Exclude = _statics.Keys(custom.Exclude, Names.Pascal(name) + "ExcludedKeys"),
                Trace = _trace?.Stage("customFields", custom.Source, scope.Path, (json, _) =>
                    json.Raw("from", "[" + string.Join(",", custom.From.Select(p => Helpers.JsonText.Quote(p.Text))) + "]")).Name ?? string.Empty,
            };

            // Path writes may change input objects from here on (JavaScript shares them by
            // reference): later reads look values up again.
            _bindings?.Invalidate();
            InputWrites++;
        }

        if (spec.Stringify is { } stringify)
        {
            // Where the parsed key's value comes from: the field that writes it, else custom fields.
            string parsed = stringify.Parse?.Key ?? string.Empty;
            ValueField? source = spec.Fields.OfType<ValueField>().FirstOrDefault(f => f.Key == parsed);
            string from = source is null ? parsed : Describe(source.Value, parsed);
            if (spec.CustomFields is { From.Count: > 0 } copied)
            {
                from += " (or " + InputName(copied.From[0]) + "." + parsed + ")";
            }

            TraceSites.Site? outer = _site;
            _site = _trace?.Stage("stringifyValues", stringify.Source, scope.Path, (json, site) =>
            {
                if (stringify.Parse?.When is { } when)
                {
                    json.Raw("when", TraceSites.Condition(when, site));
                }
            });
            view.Stringify = Stringify(stringify, inner, from, name);
            InputWrites++;
            view.Stringify.Trace = _site?.Name ?? string.Empty;
            _site = outer;
        }

        if (spec.Assign is { } assign)
        {
            var assignView = new AssignView { Source = spec.AssignSource };
            assignView.Value = Value(assign, scope, assignView.Prelude, "assigned", "assign");
            assignView.Trace = _trace?.Stage("assign", spec.AssignSource, scope.Path, (json, site) => json.Raw("value", TraceSites.Value(assign, site))).Name ?? string.Empty;
            view.Assign = assignView;
            InputWrites++;
        }

        if (spec.RemoveNulls != NullRemoval.None)
        {
            view.RemoveNullsTrace = _trace?.Stage("removeNulls", spec.RemoveNullsSource, scope.Path, (json, _) => json.Raw("deep", spec.RemoveNulls == NullRemoval.Deep ? "true" : "false")).Name ?? string.Empty;
        }

        view.Conversions = Conversions(spec.Fields, var, scope.Path);
        foreach (FieldSpec field in spec.Finally)
        {
            view.Finally.Add(Field(field, inner, unique: false));
        }

        view.FinallyConversions = Conversions(spec.Finally, var, scope.Path);
        return view;
    }

    /// <summary>The conversions of fields that asked for one, in field order, each in a block of its own.</summary>
    private List<ConversionView> Conversions(EquatableArray<FieldSpec> fields, string obj, string path)
    {
        var conversions = new List<ConversionView>();
        foreach (ValueField field in fields.OfType<ValueField>().Where(f => f.Convert != Conversion.None))
        {
            _locals.Open();
            conversions.Add(new ConversionView
            {
                Source = field.Source,
                Var = _locals.Declare(Names.Camel(field.Key)),
                Key = _statics.Key(field.Key),
                KeyText = field.Key,
                Trace = _trace?.Stage("convert", field.Source, path, (json, _) => json.Str("key", field.Key)).Name ?? string.Empty,
            });
            _locals.Close();
        }

        return conversions;
    }

    /// <param name="unique">True when the object cannot hold the key yet (append without a lookup).</param>
    public StatementView Field(FieldSpec field, Scope scope, bool unique)
    {
        TraceSites.Site? outer = _site;
        try
        {
            return Field(field, scope, unique, outer);
        }
        finally
        {
            _site = outer;
        }
    }

    private StatementView Field(FieldSpec field, Scope scope, bool unique, TraceSites.Site? outer)
    {
        if (field is FailField fail)
        {
            _site = _trace?.Fail(fail) ?? outer;
            var failView = new FailView { Source = fail.Source, GroupUse = fail.GroupUse, Message = _statics.Message(fail.Message), Trace = _site?.Name ?? string.Empty };
            if (fail.When is not null)
            {
                failView.When = Test(fail.When, scope, failView.WhenPrelude);
            }

            return failView;
        }

        var f = (ValueField)field;
        UseHeap();
        string path = scope.Path.Length == 0 ? f.Key : scope.Path + "." + f.Key;
        _site = _trace?.Field(f, path) ?? outer;
        var view = new FieldView
        {
            Source = f.Source,
            GroupUse = f.GroupUse,
            Key = _statics.Key(f.Key),
            Target = scope.Object!,
            Write = unique ? "AppendUnique" : "Set",
            Trace = _site?.Name ?? string.Empty,
        };

        if (f.When is not null)
        {
            view.When = Test(f.When, scope, view.WhenPrelude);
        }

        bool mapped = f.ValueMap.Count > 0;
        // A value the field's own condition has just found truthy is V-valid, defined and present;
        // so is a named value an enclosing condition found truthy, and a message path one found
        // truthy with nothing since that may have changed what the path finds.
        bool truthyByWhen = !mapped && ((f.When is not null && AssertsTruthy(f.When, f.Value)) || scope.KnowsTruthy(f.Value, InputWrites));
        bool alwaysValid = !mapped && (IsVValidAfter(f.Value, f.When) || truthyByWhen);
        bool neverNullish = !mapped && (IsNeverNullish(f.Value) || truthyByWhen);
        bool hasDefault = f.Default is { IsTruthy: true } && !neverNullish;
        bool hasRequired = f.RequiredMessage is { Length: > 0 } && !alwaysValid;
        // A required value is V-valid once its check passed (stringification keeps it so), and a
        // V-valid value is defined and present: no test is left to make.
        view.Emit = hasRequired ? "always" : f.Emit switch
        {
            EmitRule.Defined => neverNullish || (!mapped && IsNeverUndefined(f.Value)) ? "always" : "defined",
            EmitRule.Present => neverNullish ? "always" : "present",
            _ => alwaysValid ? "always" : "valid",
        };

        // A block keeps the field's locals to itself (an "if" has one anyway).
        bool needsLocal = view.Emit != "always" || mapped || hasDefault || hasRequired || f.Stringify is not null || NeedsStatements(f.Value);
        view.Block = f.When is null && needsLocal && f.Value is not ObjectValue;
        bool opened = f.When is not null || view.Block;
        if (opened)
        {
            _locals.Open();
        }

        string name = Names.Camel(f.Key);
        ValueView value = Value(f.Value, scope.WithPath(path).Within(f.When, InputWrites), view.Prelude, f.Key, f.Key, known: f.When);
        if (value.Kind == "local" && view.Prelude.Count > 0)
        {
            // The statements before declared it (an object, a template, cases).
            view.Var = value.Name;
        }
        else if (needsLocal)
        {
            view.Var = _locals.Declare(name);
            view.Declare = true;
            view.Value = value;
        }
        else
        {
            view.Value = value;
        }

        foreach (ValueMapping mapping in f.ValueMap)
        {
            view.ValueMap.Add(new MapCaseView
            {
                Test = Compare(new ValueView { Kind = "local", Name = view.Var }, false, mapping.Inputs, Names.Pascal(f.Key) + Names.Pascal(Longest(mapping.Inputs))),
                Output = Const(mapping.Output, Names.Pascal(f.Key)),
            });
        }

        if (hasDefault)
        {
            view.Default = Const(f.Default!, Names.Pascal(f.Key) + "Default");
        }

        if (hasRequired)
        {
            view.Required = _statics.Message(f.RequiredMessage!, Names.Pascal(f.Key) + "RequiredError");
        }

        if (f.Stringify is { } stringify)
        {
            string parsed = stringify.Parse?.Key ?? string.Empty;
            view.Stringify = Stringify(stringify, scope, Describe(f.Value, f.Key) + "." + parsed, f.Key);
        }

        if (opened)
        {
            _locals.Close();
        }

        return view;
    }

    private static string Longest(EquatableArray<JsonConst> inputs)
    {
        string longest = string.Empty;
        foreach (JsonConst input in inputs)
        {
            string text = input.Kind == ConstKind.String ? input.String : input.Json;
            if (text.Length > longest.Length)
            {
                longest = text;
            }
        }

        return longest;
    }

    private StringifyView Stringify(StringifySpec spec, Scope scope, string parsedFrom, string owner)
    {
        var view = new StringifyView
        {
            Source = spec.Source,
            Except = _statics.Keys(spec.Except, Names.Pascal(owner) + "UnstringifiedKeys"),
        };
        if (spec.Parse is { } parse)
        {
            view.ParseKey = parse.Key;
            view.ParseWhat = parsedFrom;
            view.Error = _statics.Message(parse.Error, Names.Pascal(parse.Key) + "ParseError");
            if (parse.When is not null)
            {
                view.ParseWhen = Test(parse.When, scope, view.ParseWhenPrelude);
            }
        }

        return view;
    }

    // ------------------------------------------------------------------ values

    /// <summary>
    /// A value; what it needs first (an object, a template, cases, a fallback list with direct
    /// access) goes into <paramref name="prelude"/>, declaring a local named after <paramref name="name"/>.
    /// </summary>
    /// <param name="what">How errors about odd input name the value (D1).</param>
    /// <summary>A config property as read at the start of <c>Map</c>.</summary>
    public ValueView ConfigProperty(string name)
    {
        UseHeap();
        return new ValueView { Kind = "property", Inner = Local("context.Config"), Name = _statics.Property(name) };
    }

    /// <param name="known">A condition that held just before the value is read (a field's or a case's <c>when</c>): a template does not test again a value it found truthy.</param>
    public ValueView Value(ValueExpr e, Scope scope, List<StatementView> prelude, string name, string what, Condition? known = null)
    {
        switch (e)
        {
            case PathValue p:
                return Path(p.Path, scope);
            case FirstValidValue f:
                return FirstOf(f.Paths, truthy: false, scope, prelude, f.ListName is { } list ? Names.Pascal(list) : Names.Pascal(name), name);
            case FirstTruthyValue t:
                return FirstOf(t.Paths, truthy: true, scope, prelude, Names.Pascal(name), name);
            case ConstValue c:
                return Const(c.Value, Names.Pascal(name));
            case LowerValue l:
                UseHeap();
                return new ValueView { Kind = "lower", Inner = Path(l.Path, scope), Text = l.Path.Text };
            case ObjectValue o:
            {
                string var = _locals.Declare(Names.Camel(name));
                prelude.Add(Object(o.Object, scope, var, name));
                return Local(var);
            }

            case TemplateValue t:
                return Template(t, scope, prelude, name, what, known: known);
            case CasesValue c:
                return Cases(c, scope, prelude, name, what);
            default:
                throw new System.InvalidOperationException("Unknown value kind " + e.GetType().Name);
        }
    }

    private static ValueView Local(string name) => new() { Kind = "local", Name = name };

    /// <summary>
    /// A fallback list: the first V-valid (or truthy) value of its paths. Message paths read one
    /// after the other by the runtime (<c>Lookup.FirstValid</c>), or, where some are already read
    /// in one pass, from those values; with direct access, one statement per path.
    /// </summary>
    private ValueView FirstOf(EquatableArray<ValuePath> paths, bool truthy, Scope scope, List<StatementView> prelude, string hint, string name)
    {
        if (paths.All(p => p.Root == PathRoot.Message))
        {
            if (_bindings is not null && paths.Any(p => _bindings.Find(p.Path) is not null) && paths.All(p => FieldBindings.MayReadAhead(p.Path)))
            {
                UseHeap();
                return new ValueView { Kind = truthy ? "firstTruthyOf" : "firstValidOf", Items = paths.Select(p => Path(p, scope)).ToList() };
            }

            UseMessage();
            return new ValueView
            {
                Kind = truthy ? "firstTruthy" : "firstValid",
                Root = scope.Message!,
                Name = _statics.Paths(paths.Select(p => p.Path).ToList(), hint),
            };
        }

        UseHeap();
        var view = new FirstOfView { Var = _locals.Declare(Names.Camel(name)), Truthy = truthy };
        view.Items = paths.Select(p => Path(p, scope)).ToList();
        prelude.Add(view);
        return Local(view.Var);
    }

    private ValueView Path(ValuePath path, Scope scope)
    {
        if (scope.Reads.TryGetValue(path, out string? read))
        {
            return Local(read);
        }

        switch (path.Root)
        {
            case PathRoot.Message:
                if (_bindings?.Find(path.Path) is { } bound)
                {
                    return new ValueView { Kind = "bound", Root = bound.Var, Name = bound.Field };
                }

                UseMessage();
                return new ValueView { Kind = "get", Root = scope.Message!, Name = _statics.Path(path.Path) };
            case PathRoot.DirectMessage:
                UseMessage();
                return path.Path.Length == 0
                    ? Local(scope.Message!)
                    : new ValueView { Kind = "chain", Root = scope.Message!, Name = _statics.Chain(path.Path) };
            case PathRoot.Field:
                UseHeap();
                return new ValueView { Kind = "own", Root = scope.Object!, Name = _statics.Key(path.Name) };
            case PathRoot.Config:
            {
                // A property read once at the start (ConfigReads): the rest of the path from its local.
                int dot = path.Path.IndexOf('.');
                string first = dot < 0 ? path.Path : path.Path.Substring(0, dot);
                return scope.Config == "context.Config" && path.Path.Length > 0 && _configReads?.Find(first) is { } local
                    ? Properties(Local(local), dot < 0 ? string.Empty : path.Path.Substring(dot + 1))
                    : Properties(Local(scope.Config), path.Path);
            }
            default:
                return Properties(new ValueView { Kind = "let", Root = scope.Lets, Name = LetAccessor(path.Name) }, path.Path);
        }
    }

    private ValueView Properties(ValueView start, string path)
    {
        ValueView value = start;
        if (path.Length == 0)
        {
            return value;
        }

        UseHeap();
        foreach (string name in path.Split('.'))
        {
            value = new ValueView { Kind = "property", Inner = value, Name = _statics.Property(name) };
        }

        return value;
    }

    /// <summary>The accessor method of a named value in the generated lets struct.</summary>
    public static string LetAccessor(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);

    /// <param name="into">A local already declared that takes the result (the variable of the cases the template is one of).</param>
    private ValueView Template(TemplateValue t, Scope scope, List<StatementView> prelude, string name, string what, string? into = null, Condition? known = null)
    {
        UseHeap();
        var view = new TemplateView { Html = t.HtmlEscape, Trim = t.Trim, RequireTruthy = t.RequireTruthy, Declare = into is null };
        var locals = new Dictionary<string, string>();
        foreach (NamedValue nv in t.Values)
        {
            var value = new TemplateValueView();
            value.Value = Value(nv.Value, scope, value.Prelude, nv.Name, Describe(nv.Value, what));
            if (value.Value.Kind == "local" && value.Prelude.Count == 0 && nv.Value is PathValue)
            {
                // A path already in a local (read before the case's test, or at the start of Map): the template uses it.
                value.Var = value.Value.Name;
                value.Declare = false;
            }
            else
            {
                value.Var = _locals.Declare(Names.Camel(nv.Name));
            }

            view.Values.Add(value);
            locals[nv.Name] = value.Var;
        }

        view.Var = into ?? _locals.Declare(Names.Camel(name));
        // Each value is tested (V-valid, or truthy) unless the condition just before found it truthy.
        view.Checks = view.Values.Where((_, i) => known is null || !AssertsTruthy(known, t.Values[i].Value)).Select(v => v.Var).ToList();
        if (view.Checks.Count > 0)
        {
            _locals.Open();
        }

        view.Buffer = _locals.Declare("text");
        if (view.Checks.Count > 0)
        {
            _locals.Close();
        }

        foreach (TemplatePart part in t.Parts)
        {
            view.Parts.Add(part.Literal is { } literal
                ? new TemplatePartView { Literal = literal }
                : new TemplatePartView { Var = locals[part.ValueName!], What = Describe(t.Values.First(v => v.Name == part.ValueName).Value, what) });
        }

        view.Otherwise = t.Otherwise is null ? new ValueView { Kind = "undefined" } : Const(t.Otherwise, Names.Pascal(name) + "Otherwise");
        prelude.Add(view);
        return Local(view.Var);
    }

    private ValueView Cases(CasesValue c, Scope scope, List<StatementView> prelude, string name, string what)
    {
        var view = new CasesView
        {
            Var = _locals.Declare(Names.Camel(name)),
            Initialize = c.Cases[c.Cases.Count - 1].When is not null,
        };
        view.First = Case(c, 0, scope, name, what, view.Var);
        prelude.Add(view);
        return Local(view.Var);
    }

    /// <summary>
    /// Case <paramref name="i"/> and, after its "else", the following ones (so each condition is
    /// tested only when the earlier ones failed). The blocks opened here are those Code.sbn-cs writes:
    /// one per case value after a test, and one per "else" whose case needs statements before its test.
    /// </summary>
    private CaseView Case(CasesValue c, int i, Scope scope, string name, string what, string var)
    {
        Case @case = c.Cases[i];
        var view = new CaseView();
        if (@case.When is not null)
        {
            // The path the test reads first, and again, is read once, just before the test.
            if (SharedRead(@case, scope) is { } path)
            {
                string local = _locals.Declare(Names.Camel(LastSegment(path)));
                view.WhenPrelude.Add(new ReadView { Var = local, Value = Path(path, scope) });
                scope = scope.WithRead(path, local);
            }

            view.When = Test(@case.When, scope, view.WhenPrelude);
            _locals.Open();
        }

        if (@case.Value is TemplateValue template)
        {
            view.Value = Template(template, scope, view.Prelude, name, what, into: var, known: @case.When);
            view.Assigned = true;
        }
        else
        {
            view.Value = Value(@case.Value, scope, view.Prelude, name, what);
        }

        if (@case.When is null)
        {
            return view;
        }

        _locals.Close();
        if (i + 1 < c.Cases.Count)
        {
            Case next = c.Cases[i + 1];
            bool elseBlock = next.When is null || NeedsStatements(next.When) || SharedRead(next, scope) is not null;
            if (elseBlock)
            {
                _locals.Open();
            }

            view.Else = Case(c, i + 1, scope, name, what, var);
            if (elseBlock)
            {
                _locals.Close();
            }
        }

        return view;
    }

    /// <summary>A JSON constant in the heap: a pre-encoded string, a number, an empty container, parsed JSON.</summary>
    private ValueView Const(JsonConst c, string hint)
    {
        switch (c.Kind)
        {
            case ConstKind.String when c.String.Length == 0:
                return new ValueView { Kind = "emptyString" };
            case ConstKind.String:
                UseHeap();
                return new ValueView { Kind = "string", Name = _statics.Text(c.String, hint) };
            case ConstKind.Number:
                UseHeap();
                return new ValueView { Kind = "number", Number = c.Number };
            case ConstKind.True:
                return new ValueView { Kind = "true" };
            case ConstKind.False:
                return new ValueView { Kind = "false" };
            case ConstKind.Null:
                return new ValueView { Kind = "null" };
            case ConstKind.Object when c.IsEmptyContainer:
                UseHeap();
                return new ValueView { Kind = "newObject" };
            case ConstKind.Array when c.IsEmptyContainer:
                UseHeap();
                return new ValueView { Kind = "newArray" };
            default:
                UseHeap();
                return new ValueView { Kind = "parse", Text = c.Json };
        }
    }

    /// <summary>
    /// The value is V-valid whenever it is read right after <paramref name="known"/> held (nothing
    /// written between): a constant other than null and "", a new object; a path the condition
    /// requires truthy or strictly equal to one of some V-valid constants (<c>equals</c>, <c>in</c>);
    /// cases that end with an unconditional case and whose every value is V-valid after its own
    /// condition; a template that cannot come out empty (a literal part that trimming keeps) and
    /// whose values are all known truthy or whose <c>otherwise</c> is V-valid.
    /// </summary>
    private static bool IsVValidAfter(ValueExpr value, Condition? known) => value switch
    {
        ObjectValue => true,
        ConstValue c => c.Value.IsVValid,
        PathValue => known is not null && (AssertsTruthy(known, value) || AssertsEqualToValidConstant(known, value)),
        CasesValue c => c.Cases[c.Cases.Count - 1].When is null && c.Cases.All(@case => IsVValidAfter(@case.Value, @case.When)),
        TemplateValue t => t.Parts.Any(part => part.Literal is { } literal && (!t.Trim || literal.Any(ch => !IsTrimmed(ch))))
            && (t.Otherwise is { IsVValid: true } || t.Values.All(v => known is not null && AssertsTruthy(known, v.Value))),
        _ => false,
    };

    /// <summary>A character JavaScript's trim may remove (every white space and line terminator, and then some).</summary>
    private static bool IsTrimmed(char ch) => char.IsWhiteSpace(ch) || ch == '\uFEFF';

    /// <summary>The condition holds only when the value strictly equals a V-valid constant: <c>equals</c> or <c>in</c> of its own path, alone or in <c>all</c>.</summary>
    private static bool AssertsEqualToValidConstant(Condition when, ValueExpr value) => when switch
    {
        EqualsCondition equals => equals.Operand == value && equals.Constant.IsVValid,
        InCondition @in => @in.Operand == value && @in.Constants.Count > 0 && @in.Constants.All(c => c.IsVValid),
        AllCondition all => all.Items.Any(item => AssertsEqualToValidConstant(item, value)),
        _ => false,
    };

    /// <summary>
    /// The condition holds only when <paramref name="value"/> is truthy: it is <c>{"truthy": path}</c>
    /// of the value's own path, alone or as one item of <c>all</c>. A path reads the same value
    /// twice in a row (nothing is written between the test and the read of one field), so the
    /// value then needs no V-valid test.
    /// </summary>
    private static bool AssertsTruthy(Condition when, ValueExpr value) => value is PathValue && when switch
    {
        TruthyCondition { Negated: false } truthy => truthy.Operand == value,
        AllCondition all => all.Items.Any(item => AssertsTruthy(item, value)),
        _ => false,
    };

    /// <summary>
    /// The value is never undefined: a constant, or a <c>paths</c> list (its first V-valid value,
    /// else null — <c>Lookup.FirstValid</c>, or the generated reads ending in <c>JsHeap.Null</c>).
    /// </summary>
    private static bool IsNeverUndefined(ValueExpr value) => value is ConstValue or FirstValidValue;

    /// <summary>The value is neither undefined nor null whatever the event.</summary>
    private static bool IsNeverNullish(ValueExpr value) => value is ObjectValue || value is ConstValue { Value.Kind: not ConstKind.Null };

    /// <summary>
    /// The path a case reads first (the leftmost operand of its condition) when the case reads it
    /// again — in its condition or as its value (a path, or a template's values) — and reading it
    /// takes more than a local: read once, just before the test, where the test read it first
    /// anyway, so nothing is read earlier or in another order than before. Not when the test needs
    /// statements of its own before it.
    /// </summary>
    private ValuePath? SharedRead(Case @case, Scope scope)
    {
        if (@case.When is null || NeedsStatements(@case.When) || FirstOperand(@case.When) is not PathValue { Path: var first })
        {
            return null;
        }

        int count = 0;

        void Count(ValueExpr? value)
        {
            switch (value)
            {
                case PathValue p when p.Path == first:
                    count++;
                    break;
                case TemplateValue t:
                    foreach (NamedValue v in t.Values)
                    {
                        Count(v.Value);
                    }

                    break;
            }
        }

        void CountIn(Condition? condition)
        {
            switch (condition)
            {
                case TruthyCondition t: Count(t.Operand); break;
                case EqualsCondition e: Count(e.Operand); break;
                case InCondition n: Count(n.Operand); break;
                case NotCondition n: CountIn(n.Inner); break;
                case AllCondition a: foreach (Condition item in a.Items) CountIn(item); break;
                case AnyCondition a: foreach (Condition item in a.Items) CountIn(item); break;
            }
        }

        CountIn(@case.When);
        Count(@case.Value);
        return count >= 2 && !scope.Reads.ContainsKey(first) && TakesARead(first, scope) ? first : null;
    }

    /// <summary>The operand a condition reads first (through all, any and not), or null.</summary>
    private static ValueExpr? FirstOperand(Condition condition) => condition switch
    {
        TruthyCondition t => t.Operand,
        EqualsCondition e => e.Operand,
        InCondition n => n.Operand,
        NotCondition n => FirstOperand(n.Inner),
        AllCondition { Items.Count: > 0 } a => FirstOperand(a.Items[0]),
        AnyCondition { Items.Count: > 0 } a => FirstOperand(a.Items[0]),
        _ => null,
    };

    /// <summary>Reading the path takes more than a local: not a value read in one pass, a named value's accessor, a config property read at the start, <c>$message</c> or <c>$config</c>.</summary>
    private bool TakesARead(ValuePath p, Scope scope) => p.Root switch
    {
        PathRoot.Message => _bindings?.Find(p.Path) is null,
        PathRoot.Field => true,
        PathRoot.Config => p.Path.Length > 0
            && !(scope.Config == "context.Config" && p.Path.IndexOf('.') < 0 && _configReads?.Find(p.Path) is not null),
        _ => p.Path.Length > 0,
    };

    private static string LastSegment(ValuePath path)
    {
        string text = path.Path.Length > 0 ? path.Path : path.Name;
        int dot = text.LastIndexOf('.');
        return dot < 0 ? text : text.Substring(dot + 1);
    }

    /// <summary>Computing the value takes statements before the expression that reads it.</summary>
    public static bool NeedsStatements(ValueExpr value) => value switch
    {
        ObjectValue or TemplateValue or CasesValue => true,
        FirstValidValue f => f.Paths.Any(p => p.Root != PathRoot.Message),
        FirstTruthyValue t => t.Paths.Any(p => p.Root != PathRoot.Message),
        _ => false,
    };

    /// <summary>Testing the condition takes statements before the test.</summary>
    public static bool NeedsStatements(Condition condition) => condition switch
    {
        TruthyCondition t => NeedsStatements(t.Operand),
        EqualsCondition e => NeedsStatements(e.Operand),
        InCondition i => NeedsStatements(i.Operand),
        AllCondition a => a.Items.Any(NeedsStatements),
        AnyCondition a => a.Items.Any(NeedsStatements),
        NotCondition n => NeedsStatements(n.Inner),
        _ => false,
    };

    // ------------------------------------------------------------------ conditions

    /// <summary>A condition; operands that take statements add them to <paramref name="prelude"/>.</summary>
    public TestView Test(Condition c, Scope scope, List<StatementView> prelude)
    {
        switch (c)
        {
            case TruthyCondition t:
            {
                UseHeap();
                ValueView operand = Value(t.Operand, scope, prelude, OperandName(t.Operand), "condition");
                return Traced(c, operand, new TestView { Kind = t.Negated ? "falsy" : "truthy", Value = operand });
            }

            case EqualsCondition eq:
            {
                ValueView operand = Value(eq.Operand, scope, prelude, OperandName(eq.Operand), "condition");
                return Traced(c, operand, Compare(operand, IsLowerCased(eq.Operand), new[] { eq.Constant }, Names.Pascal(OperandName(eq.Operand))));
            }

            case InCondition inc:
            {
                ValueView operand = Value(inc.Operand, scope, prelude, OperandName(inc.Operand), "condition");
                return Traced(c, operand, Compare(operand, IsLowerCased(inc.Operand), inc.Constants, Names.Pascal(OperandName(inc.Operand))));
            }

            case AllCondition all:
                return new TestView { Kind = "all", Items = all.Items.Select(x => Test(x, scope, prelude)).ToList() };
            case AnyCondition any:
                return new TestView { Kind = "any", Items = any.Items.Select(x => Test(x, scope, prelude)).ToList() };
            case NotCondition not:
                return new TestView { Kind = "not", Inner = Test(not.Inner, scope, prelude) };
            default:
                throw new System.InvalidOperationException("Unknown condition kind " + c.GetType().Name);
        }
    }

    /// <summary>A test of a traced place: the traced variant reports its operand and result under the test's number.</summary>
    private TestView Traced(Condition test, ValueView operand, TestView view)
    {
        if (_site is not null && _site.TryGetNumber(test, out int number))
        {
            view.Trace = _site.Name;
            view.TraceIndex = number;
            view.TraceOperand = operand;
        }

        return view;
    }

    /// <summary>What an operand is called: the last name of its path (<c>$integration.deviceTokenType</c> → deviceTokenType).</summary>
    private static string OperandName(ValueExpr operand)
    {
        ValuePath? path = operand switch
        {
            PathValue p => p.Path,
            LowerValue l => l.Path,
            _ => null,
        };
        if (path is null)
        {
            return "test";
        }

        string last = path.Path.Length == 0 ? path.Name : path.Path.Substring(path.Path.LastIndexOf('.') + 1);
        return last.Length == 0 ? "message" : last;
    }

    /// <summary>Strict equality of a value with one of the constants (a lower-cased value equals only lower-case ASCII strings).</summary>
    private TestView Compare(ValueView value, bool lower, IReadOnlyList<JsonConst> constants, string hint)
    {
        UseHeap();
        if (lower)
        {
            var targets = constants.Where(c => c.IsLowerCaseAsciiString).Select(c => c.String).ToList();
            return targets.Count switch
            {
                0 => new TestView { Kind = "never" },
                1 => new TestView { Kind = "lowerEquals", Value = value, Text = targets[0] },
                _ => new TestView { Kind = "lowerIn", Value = value, Name = _statics.Strings(targets, hint) },
            };
        }

        var tests = new List<TestView>();
        var strings = constants.Where(c => c.Kind == ConstKind.String).Select(c => c.String).ToList();
        foreach (JsonConst c in constants)
        {
            switch (c.Kind)
            {
                case ConstKind.Number:
                    tests.Add(new TestView { Kind = "numberEquals", Value = value, Number = c.Number });
                    break;
                case ConstKind.True:
                    tests.Add(new TestView { Kind = "isTrue", Value = value });
                    break;
                case ConstKind.False:
                    tests.Add(new TestView { Kind = "isFalse", Value = value });
                    break;
                case ConstKind.Null:
                    tests.Add(new TestView { Kind = "isNull", Value = value });
                    break;
            }
        }

        if (strings.Count == 1)
        {
            tests.Add(new TestView { Kind = "stringEquals", Value = value, Text = strings[0] });
        }
        else if (strings.Count > 1)
        {
            tests.Add(new TestView { Kind = "inStrings", Value = value, Name = _statics.Strings(strings, hint) });
        }

        return tests.Count switch
        {
            0 => new TestView { Kind = "never" },
            1 => tests[0],
            _ => new TestView { Kind = "any", Items = tests },
        };
    }

    private bool IsLowerCased(ValueExpr operand)
        => operand is LowerValue
           || (operand is PathValue { Path: { Root: PathRoot.Let, Path.Length: 0 } p } && _lets.Any(l => l.Name == p.Name && l.IsLower));

    // ------------------------------------------------------------------ descriptions

    /// <summary>
    /// Names where a value comes from in the input, for the errors of odd input (D1): a path, the
    /// paths of a fallback list, <c>destination.Config.x</c>; otherwise <paramref name="fallback"/>.
    /// </summary>
    internal static string Describe(ValueExpr value, string fallback) => value switch
    {
        PathValue { Path.Root: not PathRoot.Field } p => InputName(p.Path),
        FirstValidValue { Paths.Count: 1 } f => InputName(f.Paths[0]),
        FirstValidValue f => "the value of " + string.Join(" or ", f.Paths.Select(InputName)),
        FirstTruthyValue t => "the value of " + string.Join(" or ", t.Paths.Select(InputName)),
        LowerValue l => l.Path.Text,
        _ => fallback,
    };

    /// <summary>Where a path reads in the input: the message path (however it is read), <c>destination.Config.x</c>, <c>$name.x</c>.</summary>
    private static string InputName(ValuePath path) => path.Root switch
    {
        PathRoot.Message => path.Path,
        PathRoot.DirectMessage => path.Path.Length == 0 ? "message" : path.Path,
        PathRoot.Config => "destination.Config" + (path.Path.Length == 0 ? string.Empty : "." + path.Path),
        _ => "$" + path.Name + (path.Path.Length == 0 ? string.Empty : "." + path.Path),
    };
}
