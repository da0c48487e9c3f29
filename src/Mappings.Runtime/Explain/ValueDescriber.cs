using System.Text;
using System.Text.Json;
using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;

namespace Mappings.Runtime.Explain;

/// <summary>Where a value came from: the source (<c>traits.email</c>, <c>const</c>, <c>template</c>, …), how it was chosen, the shared definitions used, and what the modifiers did.</summary>
public sealed class ValueOrigin
{
    /// <summary>The source that gave the value: a path (<c>traits.email</c>, <c>$config.region</c>, <c>$userId</c>), <c>const</c>, <c>template</c>, <c>object</c>, <c>cases</c>; empty when none gave one.</summary>
    public string From { get; set; } = string.Empty;

    /// <summary>How: "the first V-valid of traits.email, context.traits.email, properties.email", the template and its values, the case taken.</summary>
    public string Detail { get; set; } = string.Empty;

    /// <summary>Shared definitions the rule uses: path lists of common.json, named values of destination.json.</summary>
    public List<SharedDefinition> Uses { get; } = new();

    /// <summary>What happened to the value after its source: value map, default, stringification, conversion.</summary>
    public List<string> Steps { get; } = new();
}

/// <summary>A definition a rule uses from elsewhere: <c>@emailOnly</c> at <c>mappings/common.json:10</c>.</summary>
public sealed record SharedDefinition(string Name, string At);

/// <summary>
/// Explains values at the moment the traced mapping computed them: looks the paths of a value
/// source up again in the event (pure reads: message paths with get-value, <c>$message</c> names,
/// <c>$config</c>, named values by their definition) to tell which one gave the value, and reads
/// the tests recorded for a condition to tell which case was taken and why a condition failed.
/// </summary>
internal sealed class ValueDescriber(MappingTrace trace)
{
    private JsHeap Heap => trace.Heap;

    public ValueOrigin Describe(FieldTrace field)
    {
        var origin = new ValueOrigin();
        if (field.Site.Property("value") is { } value)
        {
            DescribeValue(value, field.Tests, origin, top: true);
        }

        if (field.Site.Property("valueMap") is { ValueKind: JsonValueKind.Array } map)
        {
            string? output = null;
            foreach (JsonElement entry in map.EnumerateArray())
            {
                if (entry.GetProperty("inputs").EnumerateArray().Any(i => i.GetRawText() == field.Raw))
                {
                    output = entry.GetProperty("output").GetRawText();
                    break;
                }
            }

            origin.Steps.Add(output is null
                ? $"the value map has no entry for {Show(field.Raw)}: undefined"
                : $"mapped {Show(field.Raw)} → {output} by the value map");
        }

        if (field.Site.Property("default") is { } fallback && field.Final == fallback.GetRawText() && field.Raw != field.Final)
        {
            origin.Steps.Add($"the default {fallback.GetRawText()}: the value was {Show(field.Raw)}");
        }

        if (field.Site.Property("stringify") is not null && field.Final != field.Raw && origin.Steps.Count == 0)
        {
            origin.Steps.Add("its nested objects and arrays sent as JSON text (stringifyValues)");
        }

        return origin;
    }

    /// <summary>Says where each key a stage added or changed came from.</summary>
    public void DescribeStage(StageTrace stage)
    {
        switch (stage.Site.String("stage"))
        {
            case "customFields":
            {
                string[] from = Strings(stage.Site.Property("from"));
                List<StageChange> added = stage.Changes.Where(c => c.After is not null).ToList();
                if (added.Count == 0) break;
                int skip = stage.Site.Path.Length == 0 ? 0 : stage.Site.Path.Length + 1;
                var wanted = new HashSet<string>(added.Select(c => c.Path[skip..]), StringComparer.Ordinal);
                // Each source's keys listed once (not once per key written: 10,000 keys would be 10⁸ steps).
                var sources = from.Select(p => (Path: p, Keys: OwnKeysFor(Probe(p, out _), wanted))).ToList();
                foreach (StageChange change in added)
                {
                    string key = change.Path[skip..];
                    // Sources are copied in order, a later one writing over an earlier one.
                    for (int i = sources.Count - 1; i >= 0; i--)
                    {
                        if (sources[i].Keys.Find(key) is { } sourceKey)
                        {
                            change.From = sources[i].Path + "." + Explanation.Cut(sourceKey);
                            break;
                        }
                    }
                }

                break;
            }

            case "assign":
            {
                var origin = new ValueOrigin();
                if (stage.Site.Property("value") is { } value) DescribeValue(value, stage.Tests, origin, top: true);
                foreach (StageChange change in stage.Changes.Where(c => c.After is not null))
                {
                    string key = change.Path.Substring(stage.Site.Path.Length == 0 ? 0 : stage.Site.Path.Length + 1);
                    change.From = origin.From.Length == 0 ? null : origin.From + "." + Explanation.Cut(key);
                }

                break;
            }
        }
    }

    /// <summary>
    /// For each of the <paramref name="wanted"/> custom field keys, the own key of <paramref name="source"/> it was
    /// written from: the key itself, or (the last in key order) a dotted key starting with it — a path write.
    /// </summary>
    private SourceKeys OwnKeysFor(int source, HashSet<string> wanted)
    {
        switch (Heap.TypeOf(source))
        {
            case JsType.Array:
                // Its own keys are its indices (no dots): computed, not listed — listing an array's
                // keys makes a member for each element, kept until the event ends.
                return new SourceKeys(null, Heap, source, Heap.ArrayLength(source));
            case JsType.Object:
            {
                var found = new Dictionary<string, string>(StringComparer.Ordinal);
                var lookup = wanted.GetAlternateLookup<ReadOnlySpan<char>>();
                JsKeyList keys = Heap.Keys(source);
                for (int i = 0; i < keys.Count; i++)
                {
                    int member = Heap.KeyMember(keys, i);
                    if (Heap.MemberValue(member) == JsHeap.Undefined) continue;
                    string name = MappingTrace.KeyText(Heap.KeyBytes(Heap.MemberKey(member)));
                    if (wanted.Contains(name)) found[name] = name;
                    for (int dot = name.IndexOf('.'); dot >= 0; dot = name.IndexOf('.', dot + 1))
                    {
                        if (lookup.TryGetValue(name.AsSpan(0, dot), out string? prefix)) found[prefix] = name;
                    }
                }

                Heap.EndKeys(keys);
                return new SourceKeys(found, Heap, JsHeap.Undefined, 0);
            }

            default:
                return new SourceKeys(new Dictionary<string, string>(), Heap, JsHeap.Undefined, 0);
        }
    }

    /// <summary>The own keys of a source the custom fields were found at: listed (an object) or computed (an array's indices).</summary>
    private readonly record struct SourceKeys(Dictionary<string, string>? Listed, JsHeap Heap, int Array, int Length)
    {
        public string? Find(string key)
        {
            if (Listed is not null) return Listed.GetValueOrDefault(key);
            // A canonical array index ("0", "12"; not "01", "+1") of an element that is not a hole.
            if (key.Length == 0 || key.Length > 10 || (key.Length > 1 && key[0] == '0')) return null;
            long index = 0;
            foreach (char c in key)
            {
                if (c is < '0' or > '9') return null;
                index = index * 10 + (c - '0');
            }

            return index < Length && Heap.ArrayElement(Array, (int)index) != JsHeap.Undefined ? key : null;
        }
    }

    // ------------------------------------------------------------------ value sources

    private int DescribeValue(JsonElement value, List<TestResult> tests, ValueOrigin origin, bool top)
    {
        if (value.TryGetProperty("path", out var path) || value.TryGetProperty("lower", out path))
        {
            string text = path.GetString()!;
            int v = Probe(text, out string? letDetail, origin);
            origin.From = text;
            origin.Detail = letDetail ?? (v == JsHeap.Undefined ? text + " is absent" : string.Empty);
            return v;
        }

        if (value.TryGetProperty("paths", out var paths) || value.TryGetProperty("firstTruthy", out paths))
        {
            bool truthy = value.TryGetProperty("firstTruthy", out _);
            string[] list = Strings(paths);
            string written = value.TryGetProperty("list", out var name) ? " (" + name.GetString() + ")" : string.Empty;
            if (name.ValueKind == JsonValueKind.String && value.TryGetProperty("listAt", out var listAt))
            {
                origin.Uses.Add(new SharedDefinition(name.GetString()!, listAt.GetString()!));
            }

            int last = JsHeap.Undefined;
            for (int i = 0; i < list.Length; i++)
            {
                int v = Probe(list[i], out _);
                last = v;
                if (truthy ? Heap.IsTruthy(v) : Heap.IsVValid(v))
                {
                    origin.From = list[i];
                    origin.Detail = $"the first {(truthy ? "truthy" : "V-valid")} of {string.Join(", ", list)}{written}";
                    return v;
                }
            }

            if (truthy && list.Length > 0)
            {
                origin.From = list[^1];
                origin.Detail = $"none of {string.Join(", ", list)}{written} is truthy: the value is the last one's";
                return last;
            }

            origin.Detail = $"none of {string.Join(", ", list)}{written} is V-valid";
            return JsHeap.Null;
        }

        if (value.TryGetProperty("const", out var constant))
        {
            origin.From = "const";
            origin.Detail = top ? string.Empty : constant.GetRawText();
            return JsHeap.Undefined;
        }

        if (value.TryGetProperty("template", out var template))
        {
            origin.From = "template";
            var parts = new List<string>();
            bool truthy = value.TryGetProperty("require", out var require) && require.GetString() == "truthy";
            bool applies = true;
            if (value.TryGetProperty("values", out var values))
            {
                foreach (JsonProperty named in values.EnumerateObject())
                {
                    var inner = new ValueOrigin();
                    int v = DescribeValue(named.Value, tests, inner, top: false);
                    origin.Uses.AddRange(inner.Uses.Where(u => !origin.Uses.Contains(u)));
                    applies &= truthy ? Heap.IsTruthy(v) : Heap.IsVValid(v);
                    string shown = Show(trace.Json(v));
                    parts.Add(inner.From.Length > 0 ? $"{named.Name} = {shown} from {inner.From}" : $"{named.Name} = {shown} ({inner.Detail})");
                }
            }

            string text = JsonSerializer.Serialize(template.GetString(), ShowOptions);
            origin.Detail = applies
                ? $"{text}" + (parts.Count > 0 ? " with " + string.Join(", ", parts) : string.Empty)
                : $"{text} does not apply ({string.Join(", ", parts)}: each must be {(truthy ? "truthy" : "V-valid")})"
                  + (value.TryGetProperty("otherwise", out var otherwise) ? ": otherwise " + otherwise.GetRawText() : ": nothing");
            return JsHeap.Undefined;
        }

        if (value.TryGetProperty("object", out _))
        {
            origin.From = "object";
            origin.Detail = "built by its own fields";
            return JsHeap.Undefined;
        }

        if (value.TryGetProperty("cases", out var cases))
        {
            int n = 0;
            foreach (JsonElement @case in cases.EnumerateArray())
            {
                n++;
                bool? holds = @case.TryGetProperty("when", out var when) ? Evaluate(when, tests) : true;
                if (holds == false) continue;
                if (holds is null) break;
                var inner = new ValueOrigin();
                int v = DescribeValue(@case.GetProperty("value"), tests, inner, top: false);
                origin.Uses.AddRange(inner.Uses);
                origin.From = inner.From;
                string because = when.ValueKind == JsonValueKind.Undefined ? "no earlier case held" : Tests(when, tests);
                origin.Detail = $"case {n} of {cases.GetArrayLength()} ({because})" + (inner.Detail.Length > 0 ? ": " + inner.Detail : string.Empty);
                return v;
            }

            origin.From = "cases";
            origin.Detail = "no case held: undefined";
            return JsHeap.Undefined;
        }

        return JsHeap.Undefined;
    }

    // ------------------------------------------------------------------ paths

    /// <summary>
    /// The value at a path as written in a mapping file, now: a message path (get-value), <c>$message.a.b</c>,
    /// <c>$config.a</c>, <c>$name.a</c> (the named value by its definition). For a named value,
    /// <paramref name="letDetail"/> says how its definition gave it, and <paramref name="origin"/> lists its definition as used.
    /// </summary>
    internal int Probe(string path, out string? letDetail, ValueOrigin? origin = null)
    {
        letDetail = null;
        JsHeap heap = Heap;
        if (!path.StartsWith('$')) return heap.Get(trace.Context.Message, Encoding.UTF8.GetBytes(path));
        int dot = path.IndexOf('.');
        string root = dot < 0 ? path[1..] : path[1..dot];
        string rest = dot < 0 ? string.Empty : path[(dot + 1)..];
        int start;
        switch (root)
        {
            case "message":
                start = trace.Context.Message;
                break;
            case "config":
                start = trace.Context.Config;
                break;
            default:
                if (!trace.Lets.TryGetValue(root, out TraceSite? let)) return JsHeap.Undefined;
                var inner = new ValueOrigin();
                start = DescribeValue(let.Property("value")!.Value, new List<TestResult>(), inner, top: false);
                origin?.Uses.Add(new SharedDefinition("$" + root, let.At));
                origin?.Uses.AddRange(inner.Uses);
                letDetail = $"the named value ${root} ({let.Entry})" + (inner.From.Length > 0 ? ": " + (inner.Detail.Length > 0 ? inner.Detail + ": " : string.Empty) + inner.From : inner.Detail.Length > 0 ? ": " + inner.Detail : string.Empty);
                break;
        }

        return rest.Length == 0 ? start : Lookup.Properties(heap, start, JsPropertyChain.Of(rest));
    }

    // ------------------------------------------------------------------ conditions

    /// <summary>Whether a condition held, from its recorded tests (null when a test it needs was not made).</summary>
    internal static bool? Evaluate(JsonElement condition, List<TestResult> tests)
    {
        if (condition.TryGetProperty("test", out var index))
        {
            int i = index.GetInt32();
            TestResult? result = tests.LastOrDefault(t => t.Index == i);
            return result?.Result;
        }

        if (condition.TryGetProperty("all", out var all))
        {
            foreach (JsonElement item in all.EnumerateArray())
            {
                bool? holds = Evaluate(item, tests);
                if (holds != true) return holds;
            }

            return true;
        }

        if (condition.TryGetProperty("any", out var any))
        {
            foreach (JsonElement item in any.EnumerateArray())
            {
                bool? holds = Evaluate(item, tests);
                if (holds != false) return holds;
            }

            return false;
        }

        if (condition.TryGetProperty("not", out var not))
        {
            return !Evaluate(not, tests);
        }

        return null;
    }

    /// <summary>The tests of a condition that were made, each with its value and result: what decided it.</summary>
    internal static string Tests(JsonElement condition, List<TestResult> tests)
    {
        var lines = new List<string>();
        Collect(condition);
        return lines.Count == 0 ? "not tested" : string.Join("; ", lines);

        void Collect(JsonElement c)
        {
            if (c.TryGetProperty("test", out var index))
            {
                TestResult? result = tests.LastOrDefault(t => t.Index == index.GetInt32());
                if (result is null) return;
                string text = c.TryGetProperty("text", out var t) ? t.GetString()! : "test";
                lines.Add($"{text} is {(result.Result ? "true" : "false")} (value: {Show(result.Operand)})");
                return;
            }

            foreach (string name in new[] { "all", "any" })
            {
                if (c.TryGetProperty(name, out var items))
                {
                    foreach (JsonElement item in items.EnumerateArray()) Collect(item);
                }
            }

            if (c.TryGetProperty("not", out var not)) Collect(not);
        }
    }

    /// <summary>A value (JSON) as an explanation quotes it: cut to 160 characters (<see cref="Explanation.Cut"/>; <c>--json</c>'s values are whole).</summary>
    internal static string Show(string? json) => json is null ? "undefined" : Explanation.Cut(json);

    private static string[] Strings(JsonElement? array) =>
        array is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];

    private static readonly JsonSerializerOptions ShowOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
