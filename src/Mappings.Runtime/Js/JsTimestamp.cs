using Mappings.Runtime.Json;

namespace Mappings.Runtime.Js;

/// <summary>
/// The timestamp rule (spec §3.9, §5.7): when the value is truthy and <c>Number(value)</c> is 0 or
/// NaN, it becomes <c>Math.floor(Date.parse(String(value)) / 1000)</c> (NaN when unparseable,
/// written as null); otherwise it is kept unchanged, JSON type included.
/// </summary>
public static class JsTimestamp
{
    public static int ToUnixSeconds(JsHeap heap, int value, string what)
    {
        if (!heap.IsTruthy(value)) return value;
        double number = JsConvert.ToNumber(heap, value, what);
        if (number != 0 && !double.IsNaN(number)) return value;

        var text = heap.RentBuffer();
        JsConvert.AppendString(heap, value, text, what);
        var wtf8 = text.WrittenSpan;
        Span<char> chars = wtf8.Length <= 512 ? stackalloc char[wtf8.Length] : new char[wtf8.Length];
        int n = Wtf8.ToUtf16(wtf8, chars);
        heap.ReturnBuffer();
        return JsDate.TryParseUnixSeconds(chars[..n], out long seconds)
            ? heap.NewNumber(seconds)
            : heap.NewNumber(double.NaN);
    }
}
