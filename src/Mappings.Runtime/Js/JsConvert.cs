using Mappings.Runtime.Json;

namespace Mappings.Runtime.Js;

/// <summary>
/// JavaScript's conversions of a value to a string or a number (<c>String(v)</c>, <c>Number(v)</c>),
/// with the one way they can fail on JSON input: an object with its own <c>toString</c> key
/// (spec §14.2) cannot be turned into a primitive. <c>what</c> names the field for that error.
/// </summary>
public static class JsConvert
{
    private static ReadOnlySpan<byte> ToStringKey => "toString"u8;

    /// <summary>Appends <c>String(value)</c> as WTF-8.</summary>
    public static void AppendString(JsHeap heap, int value, ByteBuffer output, string what)
    {
        long end = long.MaxValue;
        AppendString(heap, value, output, what, ref end);
    }

    /// <summary>
    /// Appends the start of <c>String(value)</c>: at most <paramref name="maxBytes"/> bytes of it, cut
    /// at a character's start. Stops as soon as they are written, so naming a large array (a
    /// request's destType, to quote its first characters in an error) costs what is quoted, not
    /// what the whole text would. Throws as <see cref="AppendString(JsHeap, int, ByteBuffer, string)"/>
    /// does, wherever the value that cannot be converted is (checked first, building no text).
    /// </summary>
    public static void AppendStringPrefix(JsHeap heap, int value, ByteBuffer output, string what, int maxBytes)
    {
        ThrowIfOwnToString(heap, value, what);
        long end = (long)output.Length + maxBytes;
        AppendString(heap, value, output, what, ref end);
    }

    /// <summary><paramref name="end"/>: where the text must stop; once a piece was cut it is where it stopped, so nothing follows.</summary>
    private static void AppendString(JsHeap heap, int value, ByteBuffer output, string what, ref long end)
    {
        switch (heap.TypeOf(value))
        {
            case JsType.Undefined: AppendCut(output, "undefined"u8, ref end); return;
            case JsType.Null: AppendCut(output, "null"u8, ref end); return;
            case JsType.Boolean: AppendCut(output, value == JsHeap.True ? "true"u8 : "false"u8, ref end); return;
            case JsType.Number:
            {
                // ASCII: any cut is at a character's start.
                int length = JsNumber.FormatUtf8(heap.NumberOf(value), output.GetSpan(JsNumber.MaxLength));
                long room = Math.Max(end - output.Length, 0);
                if (length > room) end = output.Length + room; // cut: nothing follows
                output.Advance((int)Math.Min(length, room));
                return;
            }
            case JsType.String: AppendCut(output, heap.StringBytes(value), ref end); return;
            case JsType.Function: JsFunctions.AppendSource(heap.FunctionId(value), output); return;
            case JsType.Array:
            {
                int length = heap.ArrayLength(value);
                for (int i = 0; i < length && output.Length < end; i++)
                {
                    if (i > 0) AppendCut(output, ","u8, ref end);
                    int element = heap.ArrayElement(value, i);
                    if (!heap.IsNullish(element)) AppendString(heap, element, output, what, ref end);
                }
                return;
            }
            default:
                ThrowIfOwnToString(heap, value, what);
                AppendCut(output, "[object Object]"u8, ref end);
                return;
        }
    }

    /// <summary>
    /// Appends <paramref name="text"/> (WTF-8), or as much of it as ends before <paramref name="end"/>
    /// at a character's start; after such a cut, <paramref name="end"/> is where the text stopped.
    /// </summary>
    private static void AppendCut(ByteBuffer output, ReadOnlySpan<byte> text, ref long end)
    {
        long room = end - output.Length;
        if (text.Length > room)
        {
            int cut = (int)Math.Max(room, 0);
            while (cut > 0 && (text[cut] & 0xC0) == 0x80) cut--;
            text = text[..cut];
            end = output.Length + cut;
        }
        output.Append(text);
    }

    /// <summary>Throws the §14.2 error when an object has its own <c>toString</c> key.</summary>
    public static void ThrowIfOwnToString(JsHeap heap, int value, string what)
    {
        if (heap.TypeOf(value) == JsType.Object && heap.GetOwn(value, ToStringKey) != JsHeap.Undefined)
        {
            throw new JsTypeError($"{what} cannot be converted to a string: it is an object with its own \"toString\" key");
        }
        if (heap.TypeOf(value) == JsType.Array)
        {
            int length = heap.ArrayLength(value);
            for (int i = 0; i < length; i++) ThrowIfOwnToString(heap, heap.ArrayElement(value, i), what);
        }
    }

    /// <summary>Appends ECMAScript Number::toString(d) ("NaN", "Infinity" included).</summary>
    public static void AppendNumber(double d, ByteBuffer output)
    {
        int len = JsNumber.FormatUtf8(d, output.GetSpan(JsNumber.MaxLength));
        output.Advance(len);
    }

    /// <summary><c>Number(value)</c> (spec §6.4).</summary>
    public static double ToNumber(JsHeap heap, int value, string what)
    {
        switch (heap.TypeOf(value))
        {
            case JsType.Undefined: return double.NaN;
            case JsType.Null: return 0;
            case JsType.Boolean: return value == JsHeap.True ? 1 : 0;
            case JsType.Number: return heap.NumberOf(value);
            case JsType.String: return StringToNumber(heap.StringBytes(value));
            case JsType.Object:
                ThrowIfOwnToString(heap, value, what);
                return double.NaN; // "[object Object]"
            case JsType.Array:
            {
                ThrowIfOwnToString(heap, value, what);
                var buffer = heap.RentBuffer();
                AppendString(heap, value, buffer, what);
                double d = StringToNumber(buffer.WrittenSpan);
                heap.ReturnBuffer();
                return d;
            }
            default: return double.NaN;
        }
    }

    /// <summary><c>Number(text)</c> for WTF-8 text.</summary>
    public static double StringToNumber(ReadOnlySpan<byte> wtf8)
    {
        Span<char> chars = wtf8.Length <= 256 ? stackalloc char[wtf8.Length] : new char[wtf8.Length];
        int n = Wtf8.ToUtf16(wtf8, chars);
        return JsNumber.StringToNumber(chars[..n]);
    }

    /// <summary>
    /// <c>typeof value === "string" ? value.toLowerCase() === target : throw</c> for an ASCII
    /// lower-case target. Only ASCII letters and the Kelvin sign (U+212A → "k") lower-case into
    /// ASCII, so that is all the comparison needs to know. A non-string value throws (D1).
    /// </summary>
    public static bool LowerCaseEquals(JsHeap heap, int value, ReadOnlySpan<byte> asciiLowerTarget, string what)
    {
        if (heap.TypeOf(value) != JsType.String) throw new JsTypeError($"{what} must be a string");
        return LowerCaseEquals(heap.StringBytes(value), asciiLowerTarget);
    }

    /// <summary><c>text.toLowerCase() === target</c> for WTF-8 text and an ASCII lower-case target.</summary>
    public static bool LowerCaseEquals(ReadOnlySpan<byte> wtf8, ReadOnlySpan<byte> asciiLowerTarget)
    {
        int t = 0;
        int i = 0;
        while (i < wtf8.Length)
        {
            if (t == asciiLowerTarget.Length) return false;
            byte b = wtf8[i];
            byte lower;
            if (b < 0x80)
            {
                lower = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
                i++;
            }
            else if (b == 0xE2 && i + 2 < wtf8.Length && wtf8[i + 1] == 0x84 && wtf8[i + 2] == 0xAA)
            {
                lower = (byte)'k'; // U+212A KELVIN SIGN
                i += 3;
            }
            else
            {
                return false;
            }
            if (lower != asciiLowerTarget[t++]) return false;
        }
        return t == asciiLowerTarget.Length;
    }

    /// <summary>True when the character is JavaScript white space or a line terminator (as <c>trim</c> sees it).</summary>
    private static bool IsJsSpaceAt(ReadOnlySpan<byte> wtf8, int index, out int length)
    {
        byte b = wtf8[index];
        if (b < 0x80)
        {
            length = 1;
            return JsWhitespace.IsWhiteSpaceOrLineTerminator((char)b);
        }
        length = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        if (length == 4 || index + length > wtf8.Length) return false;
        char c = length == 2
            ? (char)(((b & 0x1F) << 6) | (wtf8[index + 1] & 0x3F))
            : (char)(((b & 0x0F) << 12) | ((wtf8[index + 1] & 0x3F) << 6) | (wtf8[index + 2] & 0x3F));
        return JsWhitespace.IsWhiteSpaceOrLineTerminator(c);
    }

    /// <summary><c>String.prototype.trim</c> on WTF-8 text.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> wtf8)
    {
        int start = 0;
        while (start < wtf8.Length && IsJsSpaceAt(wtf8, start, out int len)) start += len;
        int end = wtf8.Length;
        while (end > start)
        {
            int lead = end - 1;
            while (lead > start && (wtf8[lead] & 0xC0) == 0x80) lead--;
            if (!IsJsSpaceAt(wtf8, lead, out _)) break;
            end = lead;
        }
        return wtf8[start..end];
    }
}
