using Mappings.Runtime.Json;

namespace Mappings.Runtime.Js;

/// <summary>
/// How Handlebars renders <c>{{value}}</c> (spec §6.7): null/undefined → "", other falsy values
/// and everything else through JavaScript string conversion, then HTML-escaped:
/// <c>&amp; &lt; &gt; " ' ` =</c>. A value with a truthy <c>toHTML</c> key makes Handlebars call
/// it, which fails on JSON input (spec §14.3; D1).
/// </summary>
public static class Handlebars
{
    private static ReadOnlySpan<byte> ToHtmlKey => "toHTML"u8;

    /// <summary>Appends the rendered, escaped value.</summary>
    public static void AppendEscapedValue(JsHeap heap, int value, ByteBuffer output, string what)
    {
        if (heap.IsNullish(value)) return;
        if (heap.TypeOf(value) == JsType.Object && heap.IsTruthy(heap.GetOwn(value, ToHtmlKey)))
        {
            throw new JsTypeError($"{what} cannot be rendered: it is an object with its own \"toHTML\" key");
        }
        var text = heap.RentBuffer();
        JsConvert.AppendString(heap, value, text, what);
        AppendEscaped(text.WrittenSpan, output);
        heap.ReturnBuffer();
    }

    /// <summary>Appends text with Handlebars' HTML escaping.</summary>
    public static void AppendEscaped(ReadOnlySpan<byte> text, ByteBuffer output)
    {
        foreach (byte b in text)
        {
            switch (b)
            {
                case (byte)'&': output.Append("&amp;"u8); break;
                case (byte)'<': output.Append("&lt;"u8); break;
                case (byte)'>': output.Append("&gt;"u8); break;
                case (byte)'"': output.Append("&quot;"u8); break;
                case (byte)'\'': output.Append("&#x27;"u8); break;
                case (byte)'`': output.Append("&#x60;"u8); break;
                case (byte)'=': output.Append("&#x3D;"u8); break;
                default: output.Append(b); break;
            }
        }
    }
}
