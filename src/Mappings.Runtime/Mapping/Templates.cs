using Mappings.Runtime.Js;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Mapping;

/// <summary>
/// String templates (<c>"Web Page Viewed: {{value}}"</c>): literal parts and values, each value
/// converted with JavaScript's <c>String()</c>, optionally HTML-escaped as Handlebars does
/// (spec §6.7), optionally trimmed as JavaScript trims. The generated code appends the parts into
/// a scratch buffer from the heap and calls <see cref="Finish"/>.
/// </summary>
public static class Templates
{
    public static void AppendLiteral(ByteBuffer buffer, byte[] literal) => buffer.Append(literal);

    /// <summary>Appends <c>String(value)</c>.</summary>
    public static void AppendValue(JsHeap heap, ByteBuffer buffer, int value, string what) =>
        JsConvert.AppendString(heap, value, buffer, what);

    /// <summary>Appends the value as Handlebars renders <c>{{value}}</c> (HTML-escaped).</summary>
    public static void AppendHtmlEscaped(JsHeap heap, ByteBuffer buffer, int value, string what) =>
        Handlebars.AppendEscapedValue(heap, value, buffer, what);

    /// <summary>Makes the string value (trimmed when asked) and gives the buffer back to the heap.</summary>
    public static int Finish(JsHeap heap, ByteBuffer buffer, bool trim)
    {
        var text = trim ? JsConvert.Trim(buffer.WrittenSpan) : buffer.WrittenSpan;
        int value = heap.NewString(text);
        heap.ReturnBuffer();
        return value;
    }
}
