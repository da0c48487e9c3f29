using System.Text;
using Mappings.Runtime.Js;
using Mappings.Runtime.Json;

namespace Mappings.CleverTap.Delivery;

/// <summary>Heap values as .NET text: JavaScript's <c>String(value)</c>, and WTF-8 decoding.</summary>
internal static class HeapText
{
    /// <summary><c>String(value)</c>; throws <see cref="JsTypeError"/> for an object with its own <c>toString</c> key.</summary>
    public static string ToJsString(JsHeap heap, int value, string what)
    {
        if (heap.TypeOf(value) == JsType.String) return Decode(heap.StringBytes(value));
        var buffer = heap.RentBuffer();
        try
        {
            JsConvert.AppendString(heap, value, buffer, what);
            return Decode(buffer.WrittenSpan);
        }
        finally
        {
            heap.ReturnBuffer();
        }
    }

    /// <summary>UTF-16 text of WTF-8 bytes (lone surrogates kept).</summary>
    public static string Decode(ReadOnlySpan<byte> wtf8) => Wtf8.ToUtf16String(wtf8);

    /// <summary>UTF-8 bytes of a heap string as Node would send it (lone surrogates become U+FFFD).</summary>
    public static byte[] Utf8Bytes(JsHeap heap, int value) => Encoding.UTF8.GetBytes(Decode(heap.StringBytes(value)));

    /// <summary>The bytes of a .NET string as a heap string value.</summary>
    public static int NewString(JsHeap heap, string text)
    {
        if (text.Length == 0) return JsHeap.EmptyString;
        var buffer = heap.RentBuffer();
        try
        {
            var span = buffer.GetSpan(text.Length * 3);
            int n = Wtf8.FromUtf16(text, span);
            buffer.Advance(n);
            return heap.NewString(buffer.WrittenSpan);
        }
        finally
        {
            heap.ReturnBuffer();
        }
    }
}
