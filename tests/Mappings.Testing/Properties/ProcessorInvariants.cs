using System.Text;
using System.Text.RegularExpressions;
using Mappings.CleverTap.Tests;
using Mappings.Runtime.Json;
using Mappings.Testing.Json;

namespace Mappings.Testing.Properties;

/// <summary>
/// What every processor answer must satisfy whatever the item, with no reference to compare with.
/// Each check returns null when it holds, else what is wrong.
/// </summary>
public static partial class ProcessorInvariants
{
    /// <summary>
    /// Invariant 1, "every item gets exactly its outcome": the item's entries are a JSON array of one
    /// entry, or two for an identify with a device token (a profile record, then a token record,
    /// both 200); every entry has a numeric statusCode; a 200 entry has an output and no error; any
    /// other has a non-empty error and statTags; every entry carries the item's own metadata,
    /// compared by value — or none when the item has none (or is not an object). A dynamic-config
    /// template may read a metadata key and so delete it (spec §10.5): those keys may be missing.
    /// </summary>
    public static string? CheckOutcome(RawJson item, ReadOnlyMemory<byte> entries)
    {
        if (!TryElements(entries, out var list)) return "the answer is not a JSON array: " + Show(entries);
        if (list.Count is not (1 or 2)) return $"expected 1 entry (2 for identify + device token), got {list.Count}: {Show(entries)}";
        for (int i = 0; i < list.Count; i++)
        {
            var entry = list[i];
            string? problem = CheckEntry(entry);
            if (problem is not null) return $"entry {i}: {problem}: {Show(entry)}";
            problem = CheckMetadata(item, entry);
            if (problem is not null) return $"entry {i}: {problem}";
        }
        if (list.Count == 2)
        {
            if (Status(list[0]) != "200" || Status(list[1]) != "200") return "two entries, not both 200: " + Show(entries);
            if (RecordType(list[0]) != "\"profile\"" || RecordType(list[1]) != "\"token\"") return "two entries, not a profile then a token record: " + Show(entries);
        }
        return null;
    }

    private static string? CheckEntry(ReadOnlyMemory<byte> entry)
    {
        if (!IsObject(entry)) return "not an object";
        var status = JsonSlices.At(entry, "statusCode");
        if (status is null || !IsNumber(status.Value)) return "no numeric statusCode";
        if (Text(status.Value) == "200")
        {
            if (JsonSlices.At(entry, "output") is not { } output || !IsObject(output)) return "a 200 entry without an output object";
            if (JsonSlices.At(entry, "error") is not null) return "a 200 entry with an error";
            return null;
        }
        if (JsonSlices.At(entry, "error") is not { } error || error.Span[0] != (byte)'"' || error.Length <= 2) return "an error entry without a non-empty error";
        if (JsonSlices.At(entry, "statTags") is not { } tags || !IsObject(tags)) return "an error entry without statTags";
        return null;
    }

    /// <summary>The entry's metadata is the item's (by value), allowing for keys that dynamic-config templates delete.</summary>
    public static string? CheckMetadata(RawJson item, ReadOnlyMemory<byte> entry)
    {
        var actual = JsonSlices.At(entry, "metadata");
        var expected = (item as RawObject)?.Get("metadata");
        var candidates = new List<RawJson?> { expected };
        if (expected is not null)
        {
            var deletable = TemplateMetadataPaths(item).Take(4).ToList();
            for (int mask = 1; mask < 1 << deletable.Count; mask++)
            {
                RawJson? reduced = new RawObject([new RawMember(RawString.Of("metadata"), expected)]);
                for (int b = 0; b < deletable.Count; b++)
                {
                    if ((mask & (1 << b)) != 0) reduced = reduced?.RemoveAt(deletable[b]);
                }
                candidates.Add(reduced?["metadata"]);
            }
        }
        var comparer = new JsonComparer();
        foreach (var candidate in candidates)
        {
            if (candidate is null && actual is null) return null;
            if (candidate is not null && actual is not null && comparer.CompareValues(AsJavaScriptWritesIt(candidate), actual.Value.Span) is null) return null;
        }
        return $"metadata {(actual is null ? "missing" : Show(actual.Value))}, expected {(expected is null ? "none" : expected.ToString())}";
    }

    /// <summary>
    /// A value as JavaScript writes it back after reading it (JSON.parse then JSON.stringify):
    /// <c>1e309</c> becomes <c>null</c>, the last of duplicate keys wins, and so on.
    /// </summary>
    public static byte[] AsJavaScriptWritesIt(RawJson value)
    {
        var heap = new JsHeap();
        var output = new ByteBuffer();
        heap.Stringify(heap.Parse(value.ToUtf8()), output);
        return output.WrittenMemory.ToArray();
    }

    /// <summary>The metadata paths (as steps from the item) read by templates in the item's destination.</summary>
    public static IEnumerable<string[]> TemplateMetadataPaths(RawJson item)
    {
        var found = new List<string[]>();
        Collect(item.At("destination", "Config"), found);
        return found;

        static void Collect(RawJson? value, List<string[]> found)
        {
            switch (value)
            {
                case RawString s:
                    var match = MetadataTemplate().Match(s.Value);
                    if (match.Success) found.Add(match.Groups[1].Value.Split('.'));
                    break;
                case RawArray a:
                    foreach (var v in a.Items) Collect(v, found);
                    break;
                case RawObject o:
                    foreach (var m in o.Members) Collect(m.Value, found);
                    break;
            }
        }
    }

    [GeneratedRegex(@"^\s*\{\{\s*(metadata(?:\.\w+)*)\s*\|\|")]
    private static partial Regex MetadataTemplate();

    /// <summary>
    /// Invariant 3 (and the service's part of 2): the answer to a request of several items is the
    /// concatenation of the answers each item gets alone, byte for byte. This is that concatenation.
    /// </summary>
    public static byte[] ConcatenatedAnswer(IEnumerable<ReadOnlyMemory<byte>> aloneAnswers)
    {
        var body = new MemoryStream();
        body.WriteByte((byte)'[');
        bool first = true;
        foreach (var answer in aloneAnswers)
        {
            var inner = answer.Span[1..^1];
            if (inner.IsEmpty) continue;
            if (!first) body.WriteByte((byte)',');
            body.Write(inner);
            first = false;
        }
        body.WriteByte((byte)']');
        return body.ToArray();
    }

    /// <summary>Where two answers first differ, for messages (null when equal).</summary>
    public static string? FirstDifference(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        int common = expected.CommonPrefixLength(actual);
        if (common == expected.Length && common == actual.Length) return null;
        int from = Math.Max(0, common - 80);
        string Around(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes[from..Math.Min(bytes.Length, common + 120)]);
        return $"byte {common} of {expected.Length} / {actual.Length}:\n  expected …{Around(expected)}…\n  actual   …{Around(actual)}…";
    }

    internal static bool TryElements(ReadOnlyMemory<byte> json, out List<ReadOnlyMemory<byte>> elements)
    {
        elements = [];
        try
        {
            if (json.IsEmpty || json.Span[0] != (byte)'[') return false;
            elements = JsonSlices.Elements(json);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    internal static string Status(ReadOnlyMemory<byte> entry) => JsonSlices.At(entry, "statusCode") is { } s ? Text(s) : "";

    private static string RecordType(ReadOnlyMemory<byte> entry) =>
        JsonSlices.At(entry, "output", "body", "JSON", "d", "0", "type") is { } t ? Text(t) : "";

    internal static bool IsObject(ReadOnlyMemory<byte> json) => !json.IsEmpty && json.Span[0] == (byte)'{';

    private static bool IsNumber(ReadOnlyMemory<byte> json) => !json.IsEmpty && (json.Span[0] == (byte)'-' || char.IsAsciiDigit((char)json.Span[0]));

    internal static string Text(ReadOnlyMemory<byte> json) => Encoding.UTF8.GetString(json.Span);

    internal static string Show(ReadOnlyMemory<byte> json)
    {
        string s = Text(json);
        return s.Length > 600 ? s[..600] + "…" : s;
    }
}
