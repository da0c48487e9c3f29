using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;

namespace Mappings.Generators.Emitting;

/// <summary>
/// The places of the mapping files the traced variant reports on (fields, <c>fail</c> entries,
/// records, object stages, event rules, named values), each described in JSON for
/// <c>explain</c> (read by <c>Mappings.Runtime.Explain.TraceSite</c>) and declared once as a static of
/// the traced class's nested <c>TraceSites</c> class. The description comes from the model the
/// mapping is compiled from: shared definitions resolved (a path list's paths and the line of
/// <c>common.json</c> defining it, the field group and where it is used), each condition with the
/// text of each of its tests, numbered as the traced code reports them.
/// </summary>
internal sealed class TraceSites
{
    private readonly HashSet<string> _names = new(System.StringComparer.Ordinal) { "TraceSites" };

    public List<TraceSiteView> Sites { get; } = new();

    // ------------------------------------------------------------------ sites

    public Site Field(ValueField f, string path)
    {
        var site = new Site();
        var json = new Json().Str("kind", "field").At(f.Source).Str("path", path);
        json.Raw("value", Value(f.Value, site));
        if (f.When is not null)
        {
            json.Raw("when", Condition(f.When, site));
        }

        if (f.ValueMap.Count > 0)
        {
            json.Raw("valueMap", "[" + string.Join(",", f.ValueMap.Select(m => "{\"output\":" + m.Output.Json + ",\"inputs\":[" + string.Join(",", m.Inputs.Select(i => i.Json)) + "]}")) + "]");
        }

        if (f.Default is { IsTruthy: true } fallback)
        {
            json.Raw("default", fallback.Json);
        }

        json.Str("emit", f.Emit switch { EmitRule.Defined => "defined", EmitRule.Present => "present", _ => "valid" });
        if (f.RequiredMessage is { Length: > 0 })
        {
            json.Raw("required", "true");
        }

        if (f.Stringify is { } stringify)
        {
            json.Raw("stringify", "true");
            if (stringify.Parse?.When is { } parseWhen)
            {
                json.Raw("parseWhen", Condition(parseWhen, site));
            }
        }

        if (f.Convert == Conversion.UnixSeconds)
        {
            json.Str("convert", "unixSeconds");
        }

        if (f.GroupName is { } group)
        {
            json.Raw("group", new Json().Str("name", group).Str("usedAt", At(f.GroupUse)).ToString());
        }

        return Declare(site, Names.Pascal(path.Length == 0 ? "field" : path), json);
    }

    public Site Fail(FailField f) => Fail(f.Source, f.Message, f.When);

    public Site Fail(EntrySource? source, string message, Condition? when)
    {
        var site = new Site();
        var json = new Json().Str("kind", "fail").At(source).Str("message", message);
        if (when is not null)
        {
            json.Raw("when", Condition(when, site));
        }

        return Declare(site, "Fail", json);
    }

    public Site Record(EntrySource? source, Condition? when, bool extra)
    {
        var site = new Site();
        var json = new Json().Str("kind", extra ? "extraRecord" : "record").At(source);
        if (when is not null)
        {
            json.Raw("when", Condition(when, site));
        }

        return Declare(site, extra ? "ExtraRecord" : "Record", json);
    }

    /// <summary>A stage of the object at <paramref name="path"/> (empty: the record).</summary>
    public Site Stage(string stage, EntrySource? source, string path, System.Action<Json, Site>? more = null)
    {
        var site = new Site();
        var json = new Json().Str("kind", "stage").Str("stage", stage).At(source).Str("object", path);
        more?.Invoke(json, site);
        return Declare(site, Names.Pascal((path.Length == 0 ? "record" : path) + " " + stage), json);
    }

    /// <summary>An event rule; its event-name test, if any, is test 0.</summary>
    public Site Rule(RuleTarget rule)
    {
        var site = new Site();
        var json = new Json().Str("kind", "rule").At(rule.Source).Str("mapping", rule.MappingName);
        if (rule.EventName is { } name)
        {
            json.Raw("when", new Json().Raw("test", "0").Str("text", "{\"event\": " + JsonText.Quote(name) + "}").ToString());
        }

        return Declare(site, "Rule" + Names.Pascal(rule.MappingName), json);
    }

    /// <summary>The dispatch's check of the message type (<c>messageType</c>: missing, not a string, no mapping for it).</summary>
    public Site MessageType(EntrySource? source, string path) =>
        Declare(new Site(), "MessageType", new Json().Str("kind", "messageType").At(source).Str("path", path));

    /// <summary>The dispatch's check that the destination has a Config (every event needs one): no entry of its own, so the file.</summary>
    public Site Config(string file) =>
        Declare(new Site(), "Config", new Json().Str("kind", "config").Str("at", file).Str("entry", "the destination's Config (every event needs one)"));

    public Site Let(LetSpec let)
    {
        var site = new Site();
        var json = new Json().Str("kind", "let").Str("name", let.Name).At(let.Source);
        json.Raw("value", Value(let.Value, site));
        return Declare(site, "Let" + Names.Pascal(let.Name), json);
    }

    private Site Declare(Site site, string stem, Json json)
    {
        string name = Names.Identifier(stem.Length == 0 ? "Site" : stem, "_");
        string unique = name;
        for (int n = 2; !_names.Add(unique); n++)
        {
            unique = name + n.ToString(CultureInfo.InvariantCulture);
        }

        site.Name = unique;
        Sites.Add(new TraceSiteView { Name = unique, Description = json.ToString() });
        return site;
    }

    // ------------------------------------------------------------------ descriptions

    /// <summary>A value source, shared definitions resolved; the tests of its cases are numbered in <paramref name="site"/>.</summary>
    public static string Value(ValueExpr value, Site site)
    {
        var json = new Json();
        switch (value)
        {
            case PathValue p:
                return json.Str("path", p.Path.Text).ToString();
            case FirstValidValue f:
                json.Raw("paths", Strings(f.Paths.Select(p => p.Text)));
                if (f.ListName is { } list)
                {
                    json.Str("list", "@" + list);
                    if (f.ListSource is { } source)
                    {
                        json.Str("listAt", At(source));
                    }
                }

                return json.ToString();
            case FirstTruthyValue t:
                return json.Raw("firstTruthy", Strings(t.Paths.Select(p => p.Text))).ToString();
            case ConstValue c:
                return json.Raw("const", c.Value.Json).ToString();
            case LowerValue l:
                return json.Str("lower", l.Path.Text).ToString();
            case TemplateValue t:
                json.Str("template", string.Concat(t.Parts.Select(p => p.Literal ?? "{{" + p.ValueName + "}}")));
                json.Raw("values", "{" + string.Join(",", t.Values.Select(v => JsonText.Quote(v.Name) + ":" + Value(v.Value, site))) + "}");
                json.Str("require", t.RequireTruthy ? "truthy" : "valid");
                if (t.Otherwise is { } otherwise)
                {
                    json.Raw("otherwise", otherwise.Json);
                }

                return json.ToString();
            case ObjectValue:
                return json.Raw("object", "true").ToString();
            case CasesValue c:
                return json.Raw("cases", "[" + string.Join(",", c.Cases.Select(x =>
                {
                    var item = new Json();
                    if (x.When is not null)
                    {
                        item.Raw("when", Condition(x.When, site));
                    }

                    return item.Raw("value", Value(x.Value, site)).ToString();
                })) + "]").ToString();
            default:
                return "{}";
        }
    }

    /// <summary>A condition; each test (truthy, equals, in) gets the next number of <paramref name="site"/>.</summary>
    public static string Condition(Condition condition, Site site)
    {
        switch (condition)
        {
            case AllCondition all:
                return "{\"all\":[" + string.Join(",", all.Items.Select(c => Condition(c, site))) + "]}";
            case AnyCondition any:
                return "{\"any\":[" + string.Join(",", any.Items.Select(c => Condition(c, site))) + "]}";
            case NotCondition not:
                return "{\"not\":" + Condition(not.Inner, site) + "}";
            default:
                int index = site.Number(condition);
                return new Json().Raw("test", index.ToString(CultureInfo.InvariantCulture)).Str("text", TestText(condition, site)).ToString();
        }
    }

    /// <summary>A test as a mapping file writes it: <c>{"truthy": "$config.enableObjectIdMapping"}</c>.</summary>
    private static string TestText(Condition condition, Site site) => condition switch
    {
        TruthyCondition t => "{\"" + (t.Negated ? "falsy" : "truthy") + "\": " + Operand(t.Operand, site) + "}",
        EqualsCondition e => "{\"equals\": [" + Operand(e.Operand, site) + ", " + e.Constant.Json + "]}",
        InCondition i => "{\"in\": [" + Operand(i.Operand, site) + ", [" + string.Join(", ", i.Constants.Select(c => c.Json)) + "]]}",
        _ => "{}",
    };

    private static string Operand(ValueExpr operand, Site site) => operand switch
    {
        PathValue { Path.Root: PathRoot.Field } p => "{\"field\": " + JsonText.Quote(p.Path.Name) + "}",
        PathValue p => JsonText.Quote(p.Path.Text),
        LowerValue l => JsonText.Quote(l.Path.Text),
        _ => Value(operand, site),
    };

    private static string Strings(IEnumerable<string> items) => "[" + string.Join(",", items.Select(JsonText.Quote)) + "]";

    private static string At(EntrySource? source) => source is null ? string.Empty : source.File + ":" + source.Line.ToString(CultureInfo.InvariantCulture);

    /// <summary>A site being described: its static's name, and the numbers of its tests (by the model's condition objects).</summary>
    internal sealed class Site
    {
        private readonly Dictionary<Condition, int> _tests = new(ByReference.Instance);

        public string Name { get; set; } = string.Empty;

        /// <summary>The number of a test of this site's conditions (by object: the emitter meets the same objects).</summary>
        public bool TryGetNumber(Condition test, out int number) => _tests.TryGetValue(test, out number);

        public int Number(Condition test)
        {
            if (!_tests.TryGetValue(test, out int number))
            {
                number = _tests.Count;
                _tests[test] = number;
            }

            return number;
        }
    }

    private sealed class ByReference : IEqualityComparer<Condition>
    {
        public static readonly ByReference Instance = new();

        public bool Equals(Condition? x, Condition? y) => ReferenceEquals(x, y);

        public int GetHashCode(Condition obj) => RuntimeHelpers.GetHashCode(obj);
    }

    /// <summary>A compact JSON object, property by property.</summary>
    internal sealed class Json
    {
        private readonly StringBuilder _text = new();

        public Json Str(string name, string value) => Raw(name, JsonText.Quote(value));

        public Json Raw(string name, string json)
        {
            _text.Append(_text.Length == 0 ? "{" : ",").Append(JsonText.Quote(name)).Append(':').Append(json);
            return this;
        }

        public Json At(EntrySource? source) => source is null ? this : Str("at", TraceSites.At(source)).Str("entry", source.Text);

        public override string ToString() => _text.Length == 0 ? "{}" : _text.ToString() + "}";
    }
}
