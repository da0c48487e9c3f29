using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;

namespace Mappings.Generators.Emitting;

/// <summary>
/// Turns the model into C# statements that call the runtime's primitives (Mappings.Runtime):
/// every source path is known here, so the generated code looks each value up directly and writes
/// it with a pre-encoded name. The statements go into the method bodies of the templates.
/// </summary>
/// <remarks>
/// Evaluation order is the model's order, which is the reference's order: an object's fields in
/// turn (a failing field stops the event), then its custom fields, value stringification,
/// assignment, conversions, null removal and final fields.
/// </remarks>
internal sealed class Lowering
{
    private readonly StaticTable _statics;
    private readonly IReadOnlyList<LetInfo> _lets;
    private int _next;

    public Lowering(StaticTable statics, IReadOnlyList<LetInfo> lets)
    {
        _statics = statics;
        _lets = lets;
    }

    /// <summary>Where generated code finds things.</summary>
    public sealed class Scope
    {
        /// <summary>The message variable, or null where there is none (request settings).</summary>
        public string? Message { get; init; }

        /// <summary>The config expression.</summary>
        public string Config { get; init; } = "context.Config";

        /// <summary>The object being built (for {"field": key}), or null.</summary>
        public string? Object { get; init; }

        /// <summary>The expression holding the named values ("lets", or "this" inside the lets struct).</summary>
        public string Lets { get; init; } = "lets";

        public Scope WithObject(string obj) => new() { Message = Message, Config = Config, Object = obj, Lets = Lets };
    }

    private string Fresh(string prefix) => prefix + (_next++).ToString(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ objects and fields

    /// <summary>Emits the building of an object; returns the variable holding it.</summary>
    public string Object(ObjectSpec spec, Scope scope, CodeWriter w)
    {
        string obj = Fresh("o");
        w.Line($"int {obj} = heap.NewObject();");
        Scope inner = scope.WithObject(obj);
        // The object is new: a key no earlier field wrote cannot be in it yet, so it is appended
        // without looking for it.
        var written = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (FieldSpec field in spec.Fields)
        {
            Field(field, inner, w, written);
        }

        if (spec.CustomFields is { } custom)
        {
            string sources = string.Join(", ", custom.From.Select(p => Path(p, scope)));
            w.Line($"CustomFields.Copy(heap, {obj}, [{sources}], {_statics.KeySet(custom.Exclude)});");
        }

        if (spec.Stringify is { } stringify)
        {
            // Where the parsed key's value comes from: the field that writes it, else custom fields.
            string parsed = stringify.Parse?.Key ?? string.Empty;
            ValueField? source = spec.Fields.OfType<ValueField>().FirstOrDefault(f => f.Key == parsed);
            string from = source is null ? parsed : Describe(source.Value, parsed);
            if (spec.CustomFields is { From.Count: > 0 } copied) from += " (or " + InputName(copied.From[0]) + "." + parsed + ")";
            // The object is being built here and referenced nowhere else: stringified in place.
            Stringify(stringify, obj, obj, inner, w, from, inPlace: true);
        }

        if (spec.Assign is { } assign)
        {
            string value = Value(assign, scope, w, "assign");
            w.Line($"heap.Assign({obj}, {value});");
        }

        Conversions(spec.Fields, obj, w);

        switch (spec.RemoveNulls)
        {
            case NullRemoval.Shallow:
                w.Line($"heap.RemoveNullish({obj});");
                break;
            case NullRemoval.Deep:
                // The object was created above and nothing else references it yet: cleaned in place
                // (what it holds is copied when it needs cleaning, never changed).
                w.Line($"{obj} = DeepCleaner.CleanInPlace(heap, {obj});");
                break;
        }

        foreach (FieldSpec field in spec.Finally)
        {
            Field(field, inner, w, written: null);
        }

        Conversions(spec.Finally, obj, w);
        return obj;
    }

    /// <summary>The conversions of fields that asked for one, in field order, on the values they wrote.</summary>
    private void Conversions(EquatableArray<FieldSpec> fields, string obj, CodeWriter w)
    {
        foreach (ValueField field in fields.OfType<ValueField>().Where(f => f.Convert != Conversion.None))
        {
            string key = _statics.Name(field.Key);
            string current = Fresh("c");
            w.Line($"int {current} = heap.GetOwn({obj}, {key}.Utf8);");
            w.Line($"if ({current} != JsHeap.Undefined) heap.Set({obj}, {key}, JsTimestamp.ToUnixSeconds(heap, {current}, {StaticTable.Literal(field.Key)}));");
        }
    }

    /// <param name="written">Keys written so far to a new object (null: the object may hold any key).</param>
    private void Field(FieldSpec field, Scope scope, CodeWriter w, HashSet<string>? written)
    {
        switch (field)
        {
            case FailField fail:
                string message = _statics.Name(fail.Message);
                if (fail.When is null)
                {
                    w.Line($"return context.Fail({message});");
                }
                else
                {
                    w.Line($"if ({Condition(fail.When, scope, w)}) return context.Fail({message});");
                }

                return;
            case ValueField v:
                ValueField(v, scope, w, written is not null && written.Add(v.Key));
                return;
        }
    }

    /// <param name="unique">True when the object cannot hold the key yet (append without a lookup).</param>
    private void ValueField(ValueField field, Scope scope, CodeWriter w, bool unique)
    {
        w.Line($"// {field.Key}");
        if (field.When is not null)
        {
            w.Open($"if ({Condition(field.When, scope, w)})");
        }
        else
        {
            w.OpenBlock();
        }

        string value = Value(field.Value, scope, w, field.Key);
        string v = Fresh("v");
        w.Line($"int {v} = {value};");

        if (field.ValueMap.Count > 0)
        {
            string mapped = Fresh("m");
            w.Line($"int {mapped} = JsHeap.Undefined;");
            bool first = true;
            foreach (ValueMapping mapping in field.ValueMap)
            {
                string test = string.Join(" || ", ConstTests(v, mapping.Inputs));
                w.Line($"{(first ? "if" : "else if")} ({test}) {mapped} = {Const(mapping.Output)};");
                first = false;
            }

            w.Line($"{v} = {mapped};");
        }

        if (field.Default is { IsTruthy: true } defaultValue)
        {
            w.Line($"if (heap.IsNullish({v})) {v} = {Const(defaultValue)};");
        }

        if (field.RequiredMessage is { Length: > 0 } required)
        {
            w.Line($"if (!heap.IsVValid({v})) return context.Fail({_statics.Name(required)});");
        }

        if (field.Stringify is { } stringify)
        {
            string parsed = stringify.Parse?.Key ?? string.Empty;
            Stringify(stringify, v, v, scope, w, Describe(field.Value, field.Key) + "." + parsed);
        }

        string key = _statics.Name(field.Key);
        string test2 = field.Emit switch
        {
            EmitRule.Defined => $"{v} != JsHeap.Undefined",
            EmitRule.Present => $"!heap.IsNullish({v})",
            _ => $"heap.IsVValid({v})",
        };
        w.Line($"if ({test2}) heap.{(unique ? "AppendUnique" : "Set")}({scope.Object}, {key}, {v});");
        w.Close();
    }

    private void Stringify(StringifySpec spec, string target, string value, Scope scope, CodeWriter w, string parsedFrom, bool inPlace = false)
    {
        string except = _statics.KeySet(spec.Except);
        string apply = inPlace ? "ApplyInPlace" : "Apply";
        if (spec.Parse is not { } parse)
        {
            w.Line($"{target} = ValueStringifier.{apply}(heap, {value}, {except});");
            return;
        }

        string when = parse.When is null ? "true" : Condition(parse.When, scope, w);
        w.Line($"{target} = ValueStringifier.{apply}(heap, {value}, {except}, {_statics.Utf8(parse.Key)}, {when}, {StaticTable.Literal(parsedFrom)});");
        w.Line($"if ({target} == ValueStringifier.Rejected) return context.Fail({_statics.Name(parse.Error)});");
    }

    // ------------------------------------------------------------------ values

    /// <summary>Emits what a value needs; returns a C# expression for it (an int value id).</summary>
    public string Value(ValueExpr e, Scope scope, CodeWriter w, string what)
    {
        switch (e)
        {
            case PathValue p:
                return Path(p.Path, scope);
            case FirstValidValue f:
                return AllGetValue(f.Paths)
                    ? $"Lookup.FirstValid(heap, {scope.Message}, {_statics.PathList(f.Paths.Select(p => p.Path))})"
                    : FirstOf(f.Paths, truthy: false, scope, w);
            case FirstTruthyValue t:
                return AllGetValue(t.Paths)
                    ? $"Lookup.FirstTruthy(heap, {scope.Message}, {_statics.PathList(t.Paths.Select(p => p.Path))})"
                    : FirstOf(t.Paths, truthy: true, scope, w);
            case ConstValue c:
                return Const(c.Value);
            case LowerValue l:
                return $"Compare.RequireStringIfTruthy(heap, {Path(l.Path, scope)}, {StaticTable.Literal(l.Path.Text)})";
            case ObjectValue o:
                return Object(o.Object, scope, w);
            case TemplateValue t:
                return Template(t, scope, w, what);
            case CasesValue c:
                return Cases(c, scope, w, what);
            default:
                throw new System.InvalidOperationException("Unknown value kind " + e.GetType().Name);
        }
    }

    private static bool AllGetValue(EquatableArray<ValuePath> paths) => paths.All(p => p.Root == PathRoot.Message);

    /// <summary>
    /// A fallback list holding direct property access (<c>$message.a.b</c>): read path after path
    /// until a value qualifies (truthy, or V-valid), as <c>Lookup.FirstTruthy</c> and
    /// <c>Lookup.FirstValid</c> do for lists of get-value paths.
    /// </summary>
    private string FirstOf(EquatableArray<ValuePath> paths, bool truthy, Scope scope, CodeWriter w)
    {
        string result = Fresh("f");
        string test = truthy ? "heap.IsTruthy" : "heap.IsVValid";
        w.Line($"int {result} = {Path(paths[0], scope)};");
        for (int i = 1; i < paths.Count; i++)
        {
            w.Line($"if (!{test}({result})) {result} = {Path(paths[i], scope)};");
        }

        if (!truthy)
        {
            w.Line($"if (!heap.IsVValid({result})) {result} = JsHeap.Null;");
        }

        return result;
    }

    private string Path(ValuePath path, Scope scope)
    {
        switch (path.Root)
        {
            case PathRoot.Message:
                return $"heap.Get({scope.Message}, {_statics.Path(path.Path)})";
            case PathRoot.DirectMessage:
                return path.Path.Length == 0 ? scope.Message! : $"Lookup.Properties(heap, {scope.Message}, {_statics.Chain(path.Path)})";
            case PathRoot.Field:
                return $"heap.GetOwn({scope.Object}, {_statics.Name(path.Name)}.Utf8)";
            case PathRoot.Config:
                return Properties(scope.Config, path.Path);
            default:
                return Properties($"{scope.Lets}.{LetAccessor(path.Name)}(context)", path.Path);
        }
    }

    private string Properties(string start, string path)
    {
        string expression = start;
        if (path.Length == 0)
        {
            return expression;
        }

        foreach (string name in path.Split('.'))
        {
            expression = $"Lookup.Property(heap, {expression}, {_statics.Name(name)})";
        }

        return expression;
    }

    /// <summary>The accessor method of a named value in the generated lets struct.</summary>
    public static string LetAccessor(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);

    private string Template(TemplateValue t, Scope scope, CodeWriter w, string what)
    {
        var values = new Dictionary<string, string>();
        foreach (NamedValue nv in t.Values)
        {
            string temp = Fresh("t");
            w.Line($"int {temp} = {Value(nv.Value, scope, w, Describe(nv.Value, what))};");
            values[nv.Name] = temp;
        }

        string result = Fresh("s");
        w.Line($"int {result};");
        string check = values.Count == 0
            ? "true"
            : string.Join(" && ", values.Values.Select(v => t.RequireTruthy ? $"heap.IsTruthy({v})" : $"heap.IsVValid({v})"));
        w.Open($"if ({check})");
        string buffer = Fresh("b");
        w.Line($"ByteBuffer {buffer} = heap.RentBuffer();");
        foreach (TemplatePart part in t.Parts)
        {
            if (part.Literal is { } literal)
            {
                w.Line($"{buffer}.Append({StaticTable.Literal(literal)}u8);");
            }
            else
            {
                string method = t.HtmlEscape ? "AppendHtmlEscaped" : "AppendValue";
                ValueExpr source = t.Values.First(v => v.Name == part.ValueName).Value;
                w.Line($"Templates.{method}(heap, {buffer}, {values[part.ValueName!]}, {StaticTable.Literal(Describe(source, what))});");
            }
        }

        w.Line($"{result} = Templates.Finish(heap, {buffer}, trim: {(t.Trim ? "true" : "false")});");
        w.Close();
        w.Open("else");
        w.Line($"{result} = {(t.Otherwise is null ? "JsHeap.Undefined" : Const(t.Otherwise))};");
        w.Close();
        return result;
    }

    private string Cases(CasesValue c, Scope scope, CodeWriter w, string what)
    {
        string result = Fresh("k");
        w.Line($"int {result} = JsHeap.Undefined;");
        CasesFrom(c, 0, result, scope, w, what);
        return result;
    }

    /// <summary>Case <paramref name="i"/> and, in its else branch, the following ones (so each condition is evaluated only when needed).</summary>
    private void CasesFrom(CasesValue c, int i, string result, Scope scope, CodeWriter w, string what)
    {
        if (i == c.Cases.Count)
        {
            return;
        }

        Case @case = c.Cases[i];
        if (@case.When is null)
        {
            w.Line($"{result} = {Value(@case.Value, scope, w, what)};");
            return;
        }

        w.Open($"if ({Condition(@case.When, scope, w)})");
        w.Line($"{result} = {Value(@case.Value, scope, w, what)};");
        w.Close();
        if (i + 1 < c.Cases.Count)
        {
            w.Open("else");
            CasesFrom(c, i + 1, result, scope, w, what);
            w.Close();
        }
    }

    // ------------------------------------------------------------------ constants

    /// <summary>A C# expression creating the value of a JSON constant in the heap.</summary>
    public string Const(JsonConst c)
    {
        switch (c.Kind)
        {
            case ConstKind.String:
                return c.String.Length == 0 ? "JsHeap.EmptyString" : $"heap.NewString({_statics.Name(c.String)})";
            case ConstKind.Number:
                return $"heap.NewNumber({NumberLiteral(c.Number)})";
            case ConstKind.True:
                return "JsHeap.True";
            case ConstKind.False:
                return "JsHeap.False";
            case ConstKind.Null:
                return "JsHeap.Null";
            case ConstKind.Object when c.IsEmptyContainer:
                return "heap.NewObject()";
            case ConstKind.Array when c.IsEmptyContainer:
                return "heap.NewArray()";
            default:
                return $"heap.Parse({_statics.Utf8(c.Json)})";
        }
    }

    private static string NumberLiteral(double d)
    {
        if (double.IsPositiveInfinity(d))
        {
            return "double.PositiveInfinity";
        }

        if (double.IsNegativeInfinity(d))
        {
            return "double.NegativeInfinity";
        }

        return d.ToString("R", CultureInfo.InvariantCulture) + "d";
    }

    /// <summary>Tests of strict equality of a value with each constant.</summary>
    private IEnumerable<string> ConstTests(string value, IEnumerable<JsonConst> constants)
    {
        var strings = new List<string>();
        foreach (JsonConst c in constants)
        {
            switch (c.Kind)
            {
                case ConstKind.String:
                    strings.Add(c.String);
                    break;
                case ConstKind.Number:
                    yield return $"Compare.NumberEquals(heap, {value}, {NumberLiteral(c.Number)})";
                    break;
                case ConstKind.True:
                    yield return $"{value} == JsHeap.True";
                    break;
                case ConstKind.False:
                    yield return $"{value} == JsHeap.False";
                    break;
                case ConstKind.Null:
                    yield return $"{value} == JsHeap.Null";
                    break;
            }
        }

        if (strings.Count == 1)
        {
            yield return $"heap.StringEquals({value}, {_statics.Utf8(strings[0])})";
        }
        else if (strings.Count > 1)
        {
            yield return $"Compare.InStrings(heap, {value}, {_statics.Utf8List(strings)})";
        }
    }

    // ------------------------------------------------------------------ conditions

    /// <summary>A C# boolean expression for a condition (operands that need statements are emitted before it).</summary>
    public string Condition(Condition c, Scope scope, CodeWriter w)
    {
        switch (c)
        {
            case TruthyCondition t:
                string operand = Value(t.Operand, scope, w, "condition");
                return t.Negated ? $"!heap.IsTruthy({operand})" : $"heap.IsTruthy({operand})";
            case EqualsCondition eq:
                return Compare(eq.Operand, new[] { eq.Constant }, scope, w);
            case InCondition inc:
                return Compare(inc.Operand, inc.Constants, scope, w);
            case AllCondition all:
                return "(" + string.Join(" && ", all.Items.Select(x => Condition(x, scope, w))) + ")";
            case AnyCondition any:
                return "(" + string.Join(" || ", any.Items.Select(x => Condition(x, scope, w))) + ")";
            case NotCondition not:
                return "!" + Condition(not.Inner, scope, w);
            default:
                throw new System.InvalidOperationException("Unknown condition kind " + c.GetType().Name);
        }
    }

    private string Compare(ValueExpr operand, IReadOnlyList<JsonConst> constants, Scope scope, CodeWriter w)
    {
        string value = Value(operand, scope, w, "condition");
        if (IsLowerCased(operand))
        {
            // A lower-cased value equals only lower-case ASCII string constants.
            var targets = constants.Where(c => c.IsLowerCaseAsciiString).Select(c => c.String).ToList();

            return targets.Count switch
            {
                0 => "false",
                1 => $"Compare.LowerEquals(heap, {value}, {_statics.Utf8(targets[0])})",
                _ => $"Compare.LowerInStrings(heap, {value}, {_statics.Utf8List(targets)})",
            };
        }

        var tests = ConstTests(value, constants).ToList();
        return tests.Count switch
        {
            0 => "false",
            1 => tests[0],
            _ => "(" + string.Join(" || ", tests) + ")",
        };
    }

    private bool IsLowerCased(ValueExpr operand)
        => operand is LowerValue
           || (operand is PathValue { Path: { Root: PathRoot.Let, Path.Length: 0 } p } && _lets.Any(l => l.Name == p.Name && l.IsLower));

    /// <summary>The lowering of a let's value (lets may be lower-cased).</summary>
    public string LetValue(ValueExpr value, Scope scope, CodeWriter w) => Value(value, scope, w, "let");

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

    /// <summary>Describes a JSON constant for comments.</summary>
    public static string Describe(string json) => json.Length > 40 ? json.Substring(0, 37) + "..." : json;

}
