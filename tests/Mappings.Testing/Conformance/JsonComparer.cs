using System.Text;
using Mappings.Runtime.Json;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// Compares JSON as conformance/README.md says: objects as unordered sets of keys, arrays in order,
/// numbers by value, strings exactly (lone surrogates included). Processor entries that the reference
/// failed with a 500 (a JavaScript error) must be our 400 instead (deliberate difference D1): same
/// metadata, a non-empty error and statTags with errorCategory "dataValidation".
/// </summary>
public sealed class JsonComparer
{
    private readonly JsHeap _expected = new();
    private readonly JsHeap _actual = new();

    /// <summary>Null when equal, else where and how they differ.</summary>
    public string? CompareProcessorEntries(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        _expected.Reset();
        _actual.Reset();
        int e = _expected.Parse(expected);
        int a = _actual.Parse(actual);
        if (_expected.TypeOf(e) != JsType.Array || _actual.TypeOf(a) != JsType.Array) return Compare(e, a, "$");
        int n = _expected.ArrayLength(e);
        if (_actual.ArrayLength(a) != n) return $"$: expected {n} entries, got {_actual.ArrayLength(a)}: {Show(_actual, a)}";
        for (int i = 0; i < n; i++)
        {
            string path = $"$[{i}]";
            int ee = _expected.ArrayElement(e, i), ae = _actual.ArrayElement(a, i);
            string? diff = IsJsError(ee) ? CompareD1(ee, ae, path) : Compare(ee, ae, path);
            if (diff is not null) return diff;
        }
        return null;
    }

    /// <summary>Null when equal (plain comparison, no D1 rule).</summary>
    public string? CompareValues(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        _expected.Reset();
        _actual.Reset();
        return Compare(_expected.Parse(expected), _actual.Parse(actual), "$");
    }

    private bool IsJsError(int entry) =>
        _expected.TypeOf(entry) == JsType.Object
        && _expected.GetOwn(entry, "statusCode"u8) is var s and >= 0
        && _expected.TypeOf(s) == JsType.Number && _expected.NumberOf(s) == 500;

    private string? CompareD1(int expected, int actual, string path)
    {
        if (_actual.TypeOf(actual) != JsType.Object) return $"{path}: expected a D1 error entry, got {Show(_actual, actual)}";
        int status = _actual.GetOwn(actual, "statusCode"u8);
        if (_actual.TypeOf(status) != JsType.Number || _actual.NumberOf(status) != 400)
            return $"{path}.statusCode: the reference's 500 must be a 400 (D1), got {Show(_actual, actual)}";
        int error = _actual.GetOwn(actual, "error"u8);
        if (_actual.TypeOf(error) != JsType.String || _actual.StringBytes(error).Length == 0) return $"{path}.error: D1 needs a non-empty error";
        int tags = _actual.GetOwn(actual, "statTags"u8);
        int category = _actual.TypeOf(tags) == JsType.Object ? _actual.GetOwn(tags, "errorCategory"u8) : JsHeap.Undefined;
        if (!_actual.StringEquals(category, "dataValidation"u8)) return $"{path}.statTags.errorCategory: D1 needs dataValidation, got {Show(_actual, tags)}";
        // Everything but statusCode, error and statTags must match.
        foreach (var (key, e, a) in Members(expected, actual))
        {
            if (key is "statusCode" or "error" or "statTags") continue;
            string? diff = Compare(e, a, $"{path}.{key}");
            if (diff is not null) return diff;
        }
        return null;
    }

    /// <summary>
    /// The union of both objects' keys, compared as the heap's bytes (WTF-8: a key may hold a lone
    /// surrogate, which a round trip through a .NET string would turn into U+FFFD).
    /// </summary>
    private IEnumerable<(string Key, int Expected, int Actual)> Members(int expected, int actual)
    {
        var keys = new List<byte[]>();
        var seen = new HashSet<string>();
        foreach (var heapAndValue in new[] { (_expected, expected), (_actual, actual) })
        {
            var (heap, value) = heapAndValue;
            var list = heap.Keys(value);
            for (int i = 0; i < list.Count; i++)
            {
                byte[] key = heap.KeyBytes(heap.MemberKey(heap.KeyMember(in list, i))).ToArray();
                if (seen.Add(Convert.ToHexString(key))) keys.Add(key);
            }
            heap.EndKeys(in list);
        }
        foreach (byte[] k in keys) yield return (Show(k), _expected.GetOwn(expected, k), _actual.GetOwn(actual, k));
    }

    private static string Show(byte[] key)
    {
        var escaped = new byte[key.Length * 6];
        return Encoding.UTF8.GetString(escaped, 0, Wtf8.Escape(key, escaped));
    }

    private string? Compare(int e, int a, string path)
    {
        var te = _expected.TypeOf(e);
        var ta = _actual.TypeOf(a);
        if (te != ta) return $"{path}: expected {Show(_expected, e)}, got {Show(_actual, a)}";
        switch (te)
        {
            case JsType.Boolean:
                return e == a ? null : $"{path}: expected {Show(_expected, e)}, got {Show(_actual, a)}";
            case JsType.Number:
                double de = _expected.NumberOf(e), da = _actual.NumberOf(a);
                return de.Equals(da) ? null : $"{path}: expected {Show(_expected, e)}, got {Show(_actual, a)}";
            case JsType.String:
                return _expected.StringBytes(e).SequenceEqual(_actual.StringBytes(a)) ? null : $"{path}: expected {Show(_expected, e)}, got {Show(_actual, a)}";
            case JsType.Array:
            {
                int n = _expected.ArrayLength(e);
                if (_actual.ArrayLength(a) != n) return $"{path}: expected {n} elements {Show(_expected, e)}, got {_actual.ArrayLength(a)}: {Show(_actual, a)}";
                for (int i = 0; i < n; i++)
                {
                    string? diff = Compare(_expected.ArrayElement(e, i), _actual.ArrayElement(a, i), $"{path}[{i}]");
                    if (diff is not null) return diff;
                }
                return null;
            }
            case JsType.Object:
                foreach (var (key, ev, av) in Members(e, a))
                {
                    if (ev == JsHeap.Undefined) return $"{path}: unexpected key \"{key}\" = {Show(_actual, av)}";
                    if (av == JsHeap.Undefined) return $"{path}: missing key \"{key}\" (expected {Show(_expected, ev)})";
                    string? diff = Compare(ev, av, $"{path}.{key}");
                    if (diff is not null) return diff;
                }
                return null;
            default:
                return null;
        }
    }

    private static string Show(JsHeap heap, int value)
    {
        if (value == JsHeap.Undefined) return "undefined";
        var buffer = new ByteBuffer();
        heap.Stringify(value, buffer);
        string text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
