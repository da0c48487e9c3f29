using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Mappings.Runtime.Json;

/// <summary>
/// Text inside the heap is WTF-8: UTF-8 that may also hold lone UTF-16 surrogates (as 3-byte
/// sequences <c>ED A0..BF xx</c>), because JavaScript strings are sequences of UTF-16 code units
/// and JSON escapes such as <c>"\ud800"</c> must survive a round trip. These helpers convert
/// between JSON escapes, WTF-8, UTF-16 and the exact escaping of <c>JSON.stringify</c>.
/// </summary>
public static class Wtf8
{
    // Control characters, '"', '\\' and 0xED (the lead byte of a surrogate in WTF-8).
    private static readonly SearchValues<byte> NeedsAttention = SearchValues.Create(
    [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
        0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F,
        (byte)'"', (byte)'\\', 0xED,
    ]);

    private static ReadOnlySpan<byte> HexLower => "0123456789abcdef"u8;

    /// <summary>Largest number of bytes <see cref="Escape"/> writes for one input byte.</summary>
    public const int MaxEscapeExpansion = 6;

    /// <summary>
    /// Decodes the raw content of a JSON string (between the quotes, escapes included) into WTF-8.
    /// Returns the number of bytes written; the destination needs at most <c>raw.Length</c> bytes
    /// (every escape is at least as long as what it decodes to).
    /// </summary>
    public static int Unescape(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        int w = 0;
        int i = 0;
        while (i < raw.Length)
        {
            int slash = raw[i..].IndexOf((byte)'\\');
            if (slash < 0)
            {
                raw[i..].CopyTo(destination[w..]);
                return w + raw.Length - i;
            }
            raw.Slice(i, slash).CopyTo(destination[w..]);
            w += slash;
            i += slash + 1;
            byte e = raw[i++];
            switch (e)
            {
                case (byte)'b': destination[w++] = 0x08; break;
                case (byte)'f': destination[w++] = 0x0C; break;
                case (byte)'n': destination[w++] = 0x0A; break;
                case (byte)'r': destination[w++] = 0x0D; break;
                case (byte)'t': destination[w++] = 0x09; break;
                case (byte)'u':
                {
                    int cu = ParseHex4(raw.Slice(i, 4));
                    i += 4;
                    if (char.IsHighSurrogate((char)cu) && i + 6 <= raw.Length && raw[i] == '\\' && raw[i + 1] == 'u')
                    {
                        int low = ParseHex4(raw.Slice(i + 2, 4));
                        if (char.IsLowSurrogate((char)low))
                        {
                            i += 6;
                            w += EncodeScalar(char.ConvertToUtf32((char)cu, (char)low), destination[w..]);
                            break;
                        }
                    }
                    w += EncodeScalar(cu, destination[w..]);
                    break;
                }
                default: destination[w++] = e; break; // \" \\ \/
            }
        }
        return w;
    }

    private static int ParseHex4(ReadOnlySpan<byte> hex)
    {
        int v = 0;
        for (int k = 0; k < 4; k++)
        {
            int c = hex[k];
            v = (v << 4) | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return v;
    }

    /// <summary>Encodes a code point or a lone surrogate code unit as (W)UTF-8.</summary>
    public static int EncodeScalar(int cp, Span<byte> destination)
    {
        if (cp < 0x80) { destination[0] = (byte)cp; return 1; }
        if (cp < 0x800)
        {
            destination[0] = (byte)(0xC0 | (cp >> 6));
            destination[1] = (byte)(0x80 | (cp & 0x3F));
            return 2;
        }
        if (cp < 0x10000)
        {
            destination[0] = (byte)(0xE0 | (cp >> 12));
            destination[1] = (byte)(0x80 | ((cp >> 6) & 0x3F));
            destination[2] = (byte)(0x80 | (cp & 0x3F));
            return 3;
        }
        destination[0] = (byte)(0xF0 | (cp >> 18));
        destination[1] = (byte)(0x80 | ((cp >> 12) & 0x3F));
        destination[2] = (byte)(0x80 | ((cp >> 6) & 0x3F));
        destination[3] = (byte)(0x80 | (cp & 0x3F));
        return 4;
    }

    /// <summary>Number of UTF-16 code units the WTF-8 text decodes to.</summary>
    public static int Utf16Length(ReadOnlySpan<byte> wtf8)
    {
        int n = 0;
        foreach (byte b in wtf8)
        {
            if ((b & 0xC0) != 0x80) n += b >= 0xF0 ? 2 : 1;
        }
        return n;
    }

    /// <summary>Decodes well-formed WTF-8 into UTF-16 code units. Returns the count written.</summary>
    public static int ToUtf16(ReadOnlySpan<byte> wtf8, Span<char> destination)
    {
        int w = 0;
        int i = 0;
        while (i < wtf8.Length)
        {
            int b = wtf8[i];
            if (b < 0x80) { destination[w++] = (char)b; i++; }
            else if (b < 0xE0) { destination[w++] = (char)(((b & 0x1F) << 6) | (wtf8[i + 1] & 0x3F)); i += 2; }
            else if (b < 0xF0) { destination[w++] = (char)(((b & 0x0F) << 12) | ((wtf8[i + 1] & 0x3F) << 6) | (wtf8[i + 2] & 0x3F)); i += 3; }
            else
            {
                int cp = ((b & 0x07) << 18) | ((wtf8[i + 1] & 0x3F) << 12) | ((wtf8[i + 2] & 0x3F) << 6) | (wtf8[i + 3] & 0x3F);
                cp -= 0x10000;
                destination[w++] = (char)(0xD800 + (cp >> 10));
                destination[w++] = (char)(0xDC00 + (cp & 0x3FF));
                i += 4;
            }
        }
        return w;
    }

    /// <summary>
    /// Whether the reader's current property name or string is <paramref name="text"/> (UTF-8), its
    /// escapes decoded. Use it instead of <see cref="Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/>
    /// on text from outside: that throws on an escaped lone surrogate (<c>"\udc00"</c>), which JSON
    /// allows and JavaScript reads as any other text (no UTF-8 text equals one).
    /// </summary>
    public static bool ValueEquals(ref Utf8JsonReader reader, ReadOnlySpan<byte> text)
    {
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (!reader.ValueIsEscaped) return raw.SequenceEqual(text);
        // An escape (six bytes at most, twelve for a pair) decodes to at least a sixth of its length.
        if (raw.Length > text.Length * 6) return false;
        Span<byte> decoded = raw.Length <= 256 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        int n = Unescape(raw, decoded);
        return decoded[..n].SequenceEqual(text);
    }

    /// <summary>
    /// WTF-8 text as a .NET string with JavaScript's code units: lone surrogates are kept, not
    /// replaced (a string holding one is still written back as <c>\udxxx</c> by <see cref="Escape"/>).
    /// </summary>
    public static string ToUtf16String(ReadOnlySpan<byte> wtf8)
    {
        if (wtf8.Length == 0) return string.Empty;
        if (System.Text.Unicode.Utf8.IsValid(wtf8)) return System.Text.Encoding.UTF8.GetString(wtf8);
        var chars = new char[Utf16Length(wtf8)];
        int n = ToUtf16(wtf8, chars);
        return new string(chars, 0, n);
    }

    /// <summary>Encodes UTF-16 code units (lone surrogates allowed) as WTF-8. Returns the count written (≤ 3 per unit).</summary>
    public static int FromUtf16(ReadOnlySpan<char> utf16, Span<byte> destination)
    {
        int w = 0;
        for (int i = 0; i < utf16.Length; i++)
        {
            char c = utf16[i];
            if (char.IsHighSurrogate(c) && i + 1 < utf16.Length && char.IsLowSurrogate(utf16[i + 1]))
            {
                w += EncodeScalar(char.ConvertToUtf32(c, utf16[i + 1]), destination[w..]);
                i++;
            }
            else
            {
                w += EncodeScalar(c, destination[w..]);
            }
        }
        return w;
    }

    /// <summary>True when the text can be written between JSON quotes as-is, exactly as JSON.stringify would.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsJsonSafe(ReadOnlySpan<byte> wtf8) => IndexOfEscape(wtf8) < 0;

    private static int IndexOfEscape(ReadOnlySpan<byte> wtf8)
    {
        int start = 0;
        while (true)
        {
            int k = wtf8[start..].IndexOfAny(NeedsAttention);
            if (k < 0) return -1;
            k += start;
            // 0xED starts both U+D000–U+D7FF (second byte 80–9F, fine) and surrogates (A0–BF, escaped).
            if (wtf8[k] != 0xED || (k + 1 < wtf8.Length && wtf8[k + 1] >= 0xA0)) return k;
            start = k + 1;
        }
    }

    /// <summary>
    /// Writes the text as the content of a JSON string exactly as <c>JSON.stringify</c> does:
    /// <c>\"</c>, <c>\\</c>, <c>\b \f \n \r \t</c>, other controls as <c>\u00xx</c>, lone surrogates
    /// as <c>\udxxx</c> (lowercase hex); everything else literal. Destination needs
    /// <c>wtf8.Length * MaxEscapeExpansion</c> bytes at most.
    /// </summary>
    public static int Escape(ReadOnlySpan<byte> wtf8, Span<byte> destination)
    {
        int w = 0;
        int i = 0;
        while (i < wtf8.Length)
        {
            int k = IndexOfEscape(wtf8[i..]);
            if (k < 0)
            {
                wtf8[i..].CopyTo(destination[w..]);
                return w + wtf8.Length - i;
            }
            wtf8.Slice(i, k).CopyTo(destination[w..]);
            w += k;
            i += k;
            byte b = wtf8[i];
            if (b == 0xED)
            {
                int unit = 0xD000 | ((wtf8[i + 1] & 0x3F) << 6) | (wtf8[i + 2] & 0x3F);
                destination[w++] = (byte)'\\';
                destination[w++] = (byte)'u';
                destination[w++] = HexLower[(unit >> 12) & 0xF];
                destination[w++] = HexLower[(unit >> 8) & 0xF];
                destination[w++] = HexLower[(unit >> 4) & 0xF];
                destination[w++] = HexLower[unit & 0xF];
                i += 3;
                continue;
            }
            destination[w++] = (byte)'\\';
            switch (b)
            {
                case (byte)'"': destination[w++] = (byte)'"'; break;
                case (byte)'\\': destination[w++] = (byte)'\\'; break;
                case 0x08: destination[w++] = (byte)'b'; break;
                case 0x0C: destination[w++] = (byte)'f'; break;
                case 0x0A: destination[w++] = (byte)'n'; break;
                case 0x0D: destination[w++] = (byte)'r'; break;
                case 0x09: destination[w++] = (byte)'t'; break;
                default:
                    destination[w++] = (byte)'u';
                    destination[w++] = (byte)'0';
                    destination[w++] = (byte)'0';
                    destination[w++] = HexLower[b >> 4];
                    destination[w++] = HexLower[b & 0xF];
                    break;
            }
            i++;
        }
        return w;
    }

    /// <summary>
    /// A body's text as the reference reads it: a leading UTF-8 byte order mark dropped (koa's body
    /// parser decodes with iconv-lite, and axios reads CleverTap's answers with its stripBOM; both
    /// drop it), then <see cref="AsValidUtf8"/> (spec §14.7). The one way a request body or an
    /// answer from outside becomes text.
    /// </summary>
    public static ReadOnlySpan<byte> AsBodyText(ReadOnlySpan<byte> input, ByteBuffer scratch) =>
        AsValidUtf8(input.StartsWith(ByteOrderMark) ? input[ByteOrderMark.Length..] : input, scratch);

    /// <summary>U+FEFF in UTF-8.</summary>
    public static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// The text as valid UTF-8 (spec §14.7): the input itself when it is valid, else its repair
    /// (<see cref="TryRepairUtf8"/>) written into <paramref name="scratch"/>, which is cleared first.
    /// </summary>
    public static ReadOnlySpan<byte> AsValidUtf8(ReadOnlySpan<byte> input, ByteBuffer scratch)
    {
        if (Utf8.IsValid(input)) return input;
        scratch.Clear();
        TryRepairUtf8(input, scratch);
        return scratch.WrittenSpan;
    }

    /// <summary>
    /// Replaces every invalid UTF-8 sequence with U+FFFD (maximal subparts, as Node's decoder does).
    /// Returns false (and writes nothing) when the input is already valid.
    /// </summary>
    public static bool TryRepairUtf8(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        if (Utf8.IsValid(input)) return false;
        int i = 0;
        while (i < input.Length)
        {
            var status = Rune.DecodeFromUtf8(input[i..], out _, out int consumed);
            if (status == OperationStatus.Done)
            {
                output.Write(input.Slice(i, consumed));
            }
            else
            {
                output.Write("\uFFFD"u8);
            }
            i += consumed;
        }
        return true;
    }
}
