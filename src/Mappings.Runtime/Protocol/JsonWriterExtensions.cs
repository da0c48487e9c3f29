using System.Text;
using System.Text.Json;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>
/// Writing .NET strings through a writer that uses <see cref="PreEscapedEncoder"/>: the text is
/// escaped the way JSON.stringify escapes it first. For messages made at run time (error paths).
/// </summary>
public static class JsonWriterExtensions
{
    public static void WriteJsString(this Utf8JsonWriter writer, JsName name, string value)
    {
        writer.WritePropertyName(name.Encoded);
        writer.WriteJsStringValue(value);
    }

    public static void WriteJsStringValue(this Utf8JsonWriter writer, string value)
    {
        byte[] wtf8 = new byte[value.Length * 3];
        int n = Wtf8.FromUtf16(value, wtf8);
        byte[] escaped = new byte[n * Wtf8.MaxEscapeExpansion];
        int e = Wtf8.Escape(wtf8.AsSpan(0, n), escaped);
        writer.WriteStringValue(escaped.AsSpan(0, e));
    }

    /// <summary>
    /// Options for every writer of protocol output: no escaping by the writer, no validation, and
    /// room for the deepest output an accepted item can make (D7). An item nests at most
    /// <see cref="JsHeap.MaxDepth"/> levels; a path write whose segments and value would together
    /// nest deeper fails the event (<c>PathWriter</c>; paths of up to 16 segments are not
    /// measured and add at most 16 levels), so twice that depth plus the envelope is a bound with
    /// room to spare, not a depth any output reaches.
    /// </summary>
    public static JsonWriterOptions Options => new() { Encoder = PreEscapedEncoder.Instance, SkipValidation = true, MaxDepth = MaxOutputDepth };

    /// <summary>The deepest nesting a protocol writer accepts (see <see cref="Options"/>).</summary>
    public const int MaxOutputDepth = 2 * JsHeap.MaxDepth + 64;
}
