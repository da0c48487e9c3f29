using Mappings.Runtime.Js;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Mapping;

/// <summary>Strict equality with constants (<c>equals</c>, <c>in</c>, value maps), and comparisons of lower-cased values.</summary>
public static class Compare
{
    /// <summary><c>value === number</c>.</summary>
    public static bool NumberEquals(JsHeap heap, int value, double number) =>
        heap.TypeOf(value) == JsType.Number && heap.NumberOf(value) == number;

    /// <summary><c>value === one of the strings</c>.</summary>
    public static bool InStrings(JsHeap heap, int value, byte[][] strings)
    {
        if (heap.TypeOf(value) != JsType.String) return false;
        var text = heap.StringBytes(value);
        foreach (var s in strings)
        {
            if (text.SequenceEqual(s)) return true;
        }
        return false;
    }

    /// <summary><c>typeof value === "string" &amp;&amp; value.toLowerCase() === target</c> (target lower-case ASCII).</summary>
    public static bool LowerEquals(JsHeap heap, int value, ReadOnlySpan<byte> target) =>
        heap.TypeOf(value) == JsType.String && JsConvert.LowerCaseEquals(heap.StringBytes(value), target);

    /// <summary><c>value.toLowerCase()</c> is one of the (lower-case ASCII) strings.</summary>
    public static bool LowerInStrings(JsHeap heap, int value, byte[][] strings)
    {
        if (heap.TypeOf(value) != JsType.String) return false;
        var text = heap.StringBytes(value);
        foreach (var s in strings)
        {
            if (JsConvert.LowerCaseEquals(text, s)) return true;
        }
        return false;
    }

    /// <summary>
    /// A value compared lower-cased must be a string when truthy (JavaScript would call
    /// <c>toLowerCase</c> on it and fail; D1). Returns the value.
    /// </summary>
    public static int RequireStringIfTruthy(JsHeap heap, int value, string what)
    {
        if (heap.IsTruthy(value) && heap.TypeOf(value) != JsType.String) throw new JsTypeError($"{what} must be a string");
        return value;
    }
}
