using Mappings.Runtime.Json;

namespace Mappings.Runtime.Mapping;

/// <summary>
/// The "stringify nested values" rule (spec §3.5): a truthy value is replaced by a new object
/// built from its keys (<c>Object.keys</c>: object keys, array indices, string code units), where
/// every truthy object or array value becomes its <c>JSON.stringify</c> text, except under the
/// excepted keys. Falsy values are returned unchanged.
/// Optionally one key holds JSON to be parsed instead (the Charged <c>Items</c> rule, spec §5.4).
/// </summary>
public static class ValueStringifier
{
    /// <summary>Returned when the parsed key failed its "array of objects" validation.</summary>
    public const int Rejected = -2;

    /// <summary>Stringifies nested values; no key is parsed.</summary>
    public static int Apply(JsHeap heap, int value, KeySet except) => Apply(heap, value, except, default, false, string.Empty);

    /// <summary>
    /// Stringifies nested values; when <paramref name="parse"/> is true, the value under
    /// <paramref name="parseKey"/> is instead taken as JSON (a string is parsed, anything else kept)
    /// and must then be an array whose first element is an object (or null or an array).
    /// </summary>
    public static int Apply(JsHeap heap, int value, KeySet except, ReadOnlySpan<byte> parseKey, bool parse, string parseWhat)
    {
        if (!heap.IsTruthy(value)) return value;
        int result = heap.NewObject();
        var keys = heap.Keys(value);
        try
        {
            for (int i = 0; i < keys.Count; i++)
            {
                int m = heap.KeyMember(in keys, i);
                var key = heap.MemberKey(m);
                int v = heap.MemberValue(m);
                var keyBytes = heap.KeyBytes(in key);
                if (parse && keyBytes.SequenceEqual(parseKey))
                {
                    // Stringified like any value, then parsed back: a JSON round trip for objects
                    // and arrays (NaN/Infinity become null, …), a parse for strings.
                    if (heap.IsTruthy(v))
                    {
                        v = heap.IsContainer(v) ? JsonText.RoundTrip(heap, v) : JsonText.ParseIfString(heap, v, parseWhat);
                        if (!IsArrayOfObjects(heap, v)) return Rejected;
                    }
                }
                else if (heap.IsContainer(v) && !except.Contains(keyBytes))
                {
                    v = heap.NewStringified(v);
                }
                heap.AppendUnique(result, in key, v);
            }
        }
        finally
        {
            heap.EndKeys(in keys);
        }
        return result;
    }

    /// <summary>
    /// <see cref="Apply(JsHeap, int, KeySet, ReadOnlySpan{byte}, bool, string)"/> on an object the
    /// mapper is building and nothing else references yet: its member values are replaced where they
    /// are instead of being copied into a new object. The result is the same object, whose keys
    /// (in JavaScript's order, which is how it is read and written) are those the copy would have.
    /// </summary>
    public static int ApplyInPlace(JsHeap heap, int obj, KeySet except, ReadOnlySpan<byte> parseKey = default, bool parse = false, string parseWhat = "")
    {
        var keys = heap.Keys(obj);
        try
        {
            for (int i = 0; i < keys.Count; i++)
            {
                int m = heap.KeyMember(in keys, i);
                int v = heap.MemberValue(m);
                var keyBytes = heap.KeyBytes(heap.MemberKey(m));
                if (parse && keyBytes.SequenceEqual(parseKey))
                {
                    if (heap.IsTruthy(v))
                    {
                        v = heap.IsContainer(v) ? JsonText.RoundTrip(heap, v) : JsonText.ParseIfString(heap, v, parseWhat);
                        if (!IsArrayOfObjects(heap, v)) return Rejected;
                        heap.SetMemberValue(obj, m, v);
                    }
                }
                else if (heap.IsContainer(v) && !except.Contains(keyBytes))
                {
                    heap.SetMemberValue(obj, m, heap.NewStringified(v));
                }
            }
        }
        finally
        {
            heap.EndKeys(in keys);
        }
        return obj;
    }

    /// <summary><c>Array.isArray(v) &amp;&amp; typeof v[0] === "object"</c>.</summary>
    public static bool IsArrayOfObjects(JsHeap heap, int value)
    {
        if (heap.TypeOf(value) != JsType.Array || heap.ArrayLength(value) == 0) return false;
        var first = heap.TypeOf(heap.ArrayElement(value, 0));
        return first is JsType.Null or JsType.Object or JsType.Array;
    }
}
