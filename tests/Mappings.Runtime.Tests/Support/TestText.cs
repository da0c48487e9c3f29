using System.Globalization;
using System.Text;
using Mappings.Runtime.Json;
using W = Mappings.Runtime.Json.Wtf8;

namespace Mappings.Runtime.Tests.Support;

/// <summary>
/// The tables of the primitive tests keep their data ASCII, so that test names and logs never
/// hold control characters or lone surrogates: every UTF-16 code unit outside printable ASCII is
/// written <c>{U+XXXX}</c> (upper-case hex, at least four digits; a surrogate pair as one code
/// point, a lone surrogate as itself). <see cref="Decode"/> turns that notation back into a .NET
/// string (lone surrogates included), <see cref="ToWtf8"/> into the heap's WTF-8 bytes, and
/// <see cref="Show(ReadOnlySpan{byte})"/> turns WTF-8 output back into the notation, so expected
/// and actual values are compared in one exact, readable form.
/// </summary>
internal static class TestText
{
    private static readonly UTF8Encoding Strict = new(false, true);

    /// <summary>The .NET string written in the <c>{U+XXXX}</c> notation.</summary>
    public static string Decode(string notation)
    {
        var sb = new StringBuilder(notation.Length);
        int i = 0;
        while (i < notation.Length)
        {
            if (notation[i] == '{' && i + 3 < notation.Length && notation[i + 1] == 'U' && notation[i + 2] == '+')
            {
                int close = notation.IndexOf('}', i + 3);
                int cp = int.Parse(notation.AsSpan(i + 3, close - i - 3), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (cp > 0xFFFF) sb.Append(char.ConvertFromUtf32(cp));
                else sb.Append((char)cp);
                i = close + 1;
                continue;
            }
            sb.Append(notation[i++]);
        }
        return sb.ToString();
    }

    /// <summary>The WTF-8 bytes of a string written in the notation (lone surrogates as 3-byte sequences).</summary>
    public static byte[] ToWtf8(string notation)
    {
        string s = Decode(notation);
        var bytes = new byte[s.Length * 3];
        int n = W.FromUtf16(s, bytes);
        return bytes.AsSpan(0, n).ToArray();
    }

    /// <summary>The notation of a .NET string.</summary>
    public static string Show(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c >= 0x20 && c < 0x7F)
            {
                sb.Append(c);
                continue;
            }
            int cp = c;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                cp = char.ConvertToUtf32(c, s[i + 1]);
                i++;
            }
            sb.Append("{U+").Append(cp.ToString("X4", CultureInfo.InvariantCulture)).Append('}');
        }
        return sb.ToString();
    }

    /// <summary>
    /// The notation of WTF-8 bytes; bytes that are not well-formed WTF-8 (which JavaScript could
    /// never produce) are shown as <c>&lt;invalid WTF-8: hex&gt;</c> so that the comparison fails.
    /// </summary>
    public static string Show(ReadOnlySpan<byte> wtf8)
    {
        try
        {
            var chars = new char[wtf8.Length];
            int n = W.ToUtf16(wtf8, chars);
            var back = new byte[n * 3];
            int m = W.FromUtf16(chars.AsSpan(0, n), back);
            if (back.AsSpan(0, m).SequenceEqual(wtf8)) return Show(new string(chars, 0, n));
        }
        catch (IndexOutOfRangeException)
        {
        }
        return "<invalid WTF-8: " + Convert.ToHexString(wtf8) + ">";
    }

    /// <summary>Parses a JSON text written in the notation.</summary>
    public static int Parse(JsHeap heap, string notation) => heap.Parse(ToWtf8(notation));

    /// <summary>
    /// A heap value as the tables describe JavaScript values: <c>JSON.stringify(v)</c> in the
    /// notation, or <c>undefined</c>, or <c>function</c> (an inherited method).
    /// </summary>
    public static string Describe(JsHeap heap, int value)
    {
        if (heap.TypeOf(value) == JsType.Function) return "function";
        var output = new ByteBuffer();
        return heap.Stringify(value, output) ? Show(output.WrittenSpan) : "undefined";
    }

    /// <summary>Strictly decodes UTF-8 (throws on invalid bytes).</summary>
    public static string Utf8(ReadOnlySpan<byte> utf8) => Strict.GetString(utf8);
}

/// <summary>
/// Runs an action many times after a warm-up and asserts it allocated nothing. The measurement is
/// repeated a few times and the smallest count is used: a real per-call allocation shows up in every
/// round, while a one-off runtime effect (a pooled array trimmed by a GC triggered by tests running in
/// parallel, a lazily initialised runtime table) does not.
/// </summary>
internal static class Allocations
{
    public static void AssertNone(Action run, int warmup = 50, int iterations = 500, int rounds = 3)
    {
        Assert.Equal(0, Minimum(run, warmup, iterations, rounds));
    }

    public static long Minimum(Action run, int warmup, int iterations, int rounds = 3)
    {
        for (int i = 0; i < warmup; i++) run();
        long minimum = long.MaxValue;
        for (int round = 0; round < rounds && minimum != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < iterations; i++) run();
            minimum = Math.Min(minimum, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return minimum;
    }
}
