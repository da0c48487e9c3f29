using System.Text;
using Mappings.Runtime.Json;

namespace Mappings.Runtime;

/// <summary>
/// The one place where text that came with a request is cut before it is quoted in an answer or
/// written to a log (D10), and where CleverTap's answer is cut for the jobs of a v1 proxy answer
/// (D9). Lengths are counted in UTF-16 code units, as JavaScript counts them; a surrogate pair is
/// never split (the cut then keeps one unit less).
/// </summary>
public static class RequestText
{
    /// <summary>D10: most characters of a request-supplied name quoted in an error answer or a log line.</summary>
    public const int MaxQuoted = 256;

    /// <summary>
    /// Bytes of WTF-8 that always hold more than <see cref="MaxQuoted"/> UTF-16 code units of a longer
    /// text, even cut back to a character's start: a name built only this far is quoted (and cut) as
    /// the whole name would be.
    /// </summary>
    public const int MaxQuotedBytes = (MaxQuoted + 2) * 3;

    /// <summary>D10: what follows a name that was cut.</summary>
    public const string Ellipsis = "…";

    /// <summary>D9: most characters of each job's <c>error</c> in a v1 proxy answer, marker included.</summary>
    public const int MaxJobError = 16_384;

    /// <summary>D9: the end of a job's <c>error</c> that was cut (12 UTF-16 code units).</summary>
    public const string TruncatedMarker = "…(truncated)";

    private static readonly byte[] EllipsisUtf8 = Encoding.UTF8.GetBytes(Ellipsis);
    private static readonly byte[] TruncatedMarkerUtf8 = Encoding.UTF8.GetBytes(TruncatedMarker);

    /// <summary>
    /// A request-supplied name as an error answer quotes it (D10): whole when it has at most
    /// <see cref="MaxQuoted"/> characters, else its first <see cref="MaxQuoted"/> followed by <c>…</c>.
    /// </summary>
    public static string Quote(string? name)
    {
        if (name is null) return "";
        if (name.Length <= MaxQuoted) return name;
        return string.Concat(name.AsSpan(0, CutPoint(name, MaxQuoted)), Ellipsis);
    }

    /// <summary>
    /// Request-supplied text for a log line: cut as <see cref="Quote"/> cuts it, then every control
    /// character (C0, DEL, C1, U+2028, U+2029), lone surrogate and backslash escaped
    /// (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\\</c>, else <c>\uXXXX</c>), so that no request can
    /// start a log line of its own or make one unreadably long.
    /// </summary>
    public static string ForLog(string? text)
    {
        string cut = Quote(text);
        int first = 0;
        while (first < cut.Length && !NeedsLogEscape(cut, first)) first++;
        if (first == cut.Length) return cut;

        var builder = new StringBuilder(cut.Length + 16);
        builder.Append(cut, 0, first);
        for (int i = first; i < cut.Length; i++)
        {
            char c = cut[i];
            if (char.IsHighSurrogate(c) && i + 1 < cut.Length && char.IsLowSurrogate(cut[i + 1]))
            {
                builder.Append(c).Append(cut[i + 1]);
                i++;
                continue;
            }
            if (!NeedsLogEscape(cut, i))
            {
                builder.Append(c);
                continue;
            }
            switch (c)
            {
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\\': builder.Append("\\\\"); break;
                default: builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }
        return builder.ToString();
    }

    private static bool NeedsLogEscape(string s, int i)
    {
        char c = s[i];
        if (c < 0x20 || c == '\\' || c is >= '\u007F' and <= '\u009F' || c is '\u2028' or '\u2029') return true;
        if (char.IsHighSurrogate(c)) return !(i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]));
        if (char.IsLowSurrogate(c)) return !(i > 0 && char.IsHighSurrogate(s[i - 1]));
        return false;
    }

    /// <summary>
    /// D10 on WTF-8 text (a heap string): appends the name, or its first <see cref="MaxQuoted"/>
    /// characters and <c>…</c>.
    /// </summary>
    public static void AppendQuoted(ReadOnlySpan<byte> wtf8, ByteBuffer destination)
    {
        int end = Wtf8Prefix(wtf8, MaxQuoted, out bool whole);
        destination.Append(wtf8[..end]);
        if (!whole) destination.Append(EllipsisUtf8);
    }

    /// <summary>
    /// D9 on WTF-8 text: false when it has at most <see cref="MaxJobError"/> characters (use it as it
    /// is); otherwise true, with its first characters and <see cref="TruncatedMarker"/> appended to
    /// <paramref name="destination"/>, <see cref="MaxJobError"/> characters in all (one less when the
    /// last one kept would have split a surrogate pair).
    /// </summary>
    public static bool TryTruncateJobError(ReadOnlySpan<byte> wtf8, ByteBuffer destination) =>
        TryTruncate(wtf8, MaxJobError, TruncatedMarkerUtf8, TruncatedMarker.Length, destination);

    /// <summary>The same cut with any limit and marker (tests; <paramref name="markerUnits"/>: the marker's UTF-16 length).</summary>
    public static bool TryTruncate(ReadOnlySpan<byte> wtf8, int maxUnits, ReadOnlySpan<byte> marker, int markerUnits, ByteBuffer destination)
    {
        // A text that fits is left alone; this bound is cheap (a code unit takes at least one byte).
        if (wtf8.Length <= maxUnits || Wtf8.Utf16Length(wtf8) <= maxUnits) return false;
        int end = Wtf8Prefix(wtf8, maxUnits - markerUnits, out _);
        destination.Append(wtf8[..end]);
        destination.Append(marker);
        return true;
    }

    /// <summary>
    /// The byte length of the longest prefix of the WTF-8 text with at most <paramref name="units"/>
    /// UTF-16 code units that ends between two characters (a 4-byte sequence is a surrogate pair: two units).
    /// </summary>
    private static int Wtf8Prefix(ReadOnlySpan<byte> wtf8, int units, out bool whole)
    {
        int count = 0;
        int i = 0;
        while (i < wtf8.Length)
        {
            byte b = wtf8[i];
            int length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
            int width = length == 4 ? 2 : 1;
            if (count + width > units)
            {
                whole = false;
                return i;
            }
            count += width;
            i += Math.Min(length, wtf8.Length - i);
        }
        whole = true;
        return wtf8.Length;
    }

    /// <summary>The UTF-16 length of the longest prefix of at most <paramref name="units"/> that does not split a surrogate pair.</summary>
    private static int CutPoint(string s, int units) =>
        units > 0 && units < s.Length && char.IsHighSurrogate(s[units - 1]) && char.IsLowSurrogate(s[units]) ? units - 1 : Math.Min(units, s.Length);
}
