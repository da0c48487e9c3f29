using System.Text;

namespace Mappings.Fuzz;

/// <summary>
/// Deterministic byte-level mutations of JSON inputs, for runs without a fuzzer (the seeded run
/// of CI, <c>--mutate</c>): generic ones (bit flips, byte insertions and deletions, truncation,
/// a duplicated slice, a splice of two inputs) and ones aimed at this runtime's bounds and
/// deliberate differences (numbers JavaScript reads lossily, nesting past 1,000 levels (D7), a
/// <c>__proto__</c> key (D6), a dotted key asking for a huge array (D8), dynamic config
/// templates, invalid UTF-8, lone surrogates). The same seed gives the same mutations.
/// </summary>
public sealed class Mutator(int seed)
{
    private readonly Random _random = new(seed);

    private static readonly byte[][] Numbers =
    [
        .. new[]
        {
            "1e309", "-1e309", "-0", "-0.0", "0.1e1", "1e-400", "9007199254740993", "123456789012345678901234567890",
            "4294967295", "4294967296", "-1", "1.5", "NaN", "0x10", "1e2147483648",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    private static readonly byte[][] Members =
    [
        .. new[]
        {
            "\"__proto__\":{}", "\"\\u005f_proto__\":1", "\"x.80000000\":1", "\"a.b.c\":\"d\"", "\"0\":1", "\"4294967294\":true",
            "\"x.2147483647.y\":1", "\"x.1e21\":1", "\"x.length\":80000000", "\"x.0.length\":4294967295", "\"x.-1\":1", "\"constructor\":{}", "\"toString\":1", "\"valueOf\":{}", "\"toHTML\":\"x\"", "\"\":null",
            "\"type\":\"identify\"", "\"type\":\"track\"", "\"type\":7", "\"event\":\"Order Completed\"", "\"userId\":{\"a\":1}",
            "\"statusCode\":200", "\"Config\":{}", "\"jobId\":1", "\"hasDynamicConfig\":true",
            "\"accountId\":\"{{ message.userId || \\\"x\\\" }}\"", "\"passcode\":\"{{ metadata.jobId || 1 }}\"",
            "\"k\":\"\\ud800\"", "\"k\":\"\\udc00\\ud800\"", "\"products\":\"[{]\"", "\"traits\":{\"a.b\":1}",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "null", "true", "false", "\"\"", "[]", "{}", "\"\\ud800\"", "\"{{ message.userId }}\"", ",", ":", "\"", "\\", "]", "}", "[", "{",
        }.Select(Encoding.UTF8.GetBytes),
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x00],
    ];

    /// <summary>Depths of inserted nesting: around the limit of D7 (1,000 per item) and well past it.</summary>
    private static readonly int[] Depths = [998, 999, 1000, 1001, 1100, 3000];

    /// <summary>A mutated copy of <paramref name="input"/>: one to four mutations; <paramref name="other"/> is spliced in by some.</summary>
    public byte[] Mutate(byte[] input, byte[] other)
    {
        var data = new List<byte>(input);
        int mutations = 1 + _random.Next(4);
        for (int i = 0; i < mutations; i++) MutateOnce(data, other);
        return data.ToArray();
    }

    private void MutateOnce(List<byte> data, byte[] other)
    {
        switch (_random.Next(16))
        {
            case 0: FlipBit(data); break;
            case 1: data.Insert(_random.Next(data.Count + 1), (byte)_random.Next(256)); break;
            case 2: DeleteBytes(data); break;
            case 3: Truncate(data); break;
            case 4: DuplicateSlice(data); break;
            case 5: Splice(data, other); break;
            case 6:
            case 7: ReplaceNumber(data); break;
            case 8: InsertMember(data, Nesting(Depths[_random.Next(Depths.Length)])); break;
            case 9:
            case 10:
            case 11: InsertMember(data, Members[_random.Next(Members.Length)]); break;
            case 12: InsertToken(data); break;
            case 13: ReplaceString(data); break;
            case 14: InsertMember(data, [.. "\"k\":"u8, .. other.Length <= 65536 ? other : other.AsSpan(0, 65536).ToArray()]); break;
            default: InsertMember(data, Members[_random.Next(Members.Length)]); FlipBit(data); break;
        }
        // The result may hold a member whose value is cut (a splice of 64 KiB): any bytes are input.
        if (data.Count > MaxLength) data.RemoveRange(MaxLength, data.Count - MaxLength);
    }

    /// <summary>Mutated inputs are kept under 1 MiB (every target is run on them several times).</summary>
    public const int MaxLength = 1 << 20;

    private static byte[] Nesting(int levels)
    {
        var bytes = new byte[4 + levels * 2 + 1];
        "\"n\":"u8.CopyTo(bytes);
        int at = 4;
        for (int i = 0; i < levels; i++) bytes[at++] = (byte)'[';
        bytes[at++] = (byte)'1';
        for (int i = 0; i < levels; i++) bytes[at++] = (byte)']';
        return bytes;
    }

    private void FlipBit(List<byte> data)
    {
        if (data.Count == 0) return;
        int at = _random.Next(data.Count);
        data[at] ^= (byte)(1 << _random.Next(8));
    }

    private void DeleteBytes(List<byte> data)
    {
        if (data.Count == 0) return;
        int at = _random.Next(data.Count);
        data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(16)));
    }

    private void Truncate(List<byte> data)
    {
        if (data.Count == 0) return;
        int keep = _random.Next(data.Count);
        data.RemoveRange(keep, data.Count - keep);
    }

    private void DuplicateSlice(List<byte> data)
    {
        if (data.Count == 0) return;
        int start = _random.Next(data.Count);
        int length = 1 + _random.Next(Math.Min(data.Count - start, 4096));
        var slice = data.GetRange(start, length);
        data.InsertRange(_random.Next(data.Count + 1), slice);
    }

    private void Splice(List<byte> data, byte[] other)
    {
        if (other.Length == 0 || data.Count == 0) return;
        int cut = _random.Next(data.Count);
        int from = _random.Next(other.Length);
        data.RemoveRange(cut, data.Count - cut);
        data.AddRange(other.AsSpan(from).ToArray());
    }

    /// <summary>Replaces a number (a run of digits after ':', ',' or '[') with an edge number.</summary>
    private void ReplaceNumber(List<byte> data)
    {
        int at = FindFrom(data, _random.Next(Math.Max(1, data.Count)), i =>
            IsDigit(data[i]) && i > 0 && data[i - 1] is (byte)':' or (byte)',' or (byte)'[' or (byte)'-');
        if (at < 0) { InsertToken(data); return; }
        if (data[at - 1] == (byte)'-') at--;
        int end = at + 1;
        while (end < data.Count && (IsDigit(data[end]) || data[end] is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+' or (byte)'-')) end++;
        data.RemoveRange(at, end - at);
        data.InsertRange(at, Numbers[_random.Next(Numbers.Length)]);
    }

    /// <summary>Replaces a string value (after ':') with another value: a number, another type, a template, an odd string.</summary>
    private void ReplaceString(List<byte> data)
    {
        int at = FindFrom(data, _random.Next(Math.Max(1, data.Count)), i => data[i] == (byte)'"' && i > 0 && data[i - 1] == (byte)':');
        if (at < 0) { InsertToken(data); return; }
        int end = at + 1;
        while (end < data.Count && data[end] != (byte)'"') end += data[end] == (byte)'\\' ? 2 : 1;
        end = Math.Min(end + 1, data.Count);
        data.RemoveRange(at, end - at);
        byte[] value = _random.Next(3) switch
        {
            0 => Numbers[_random.Next(Numbers.Length)],
            1 => Tokens[_random.Next(8)],
            _ => Encoding.UTF8.GetBytes(OddStrings[_random.Next(OddStrings.Length)]),
        };
        data.InsertRange(at, value);
    }

    private static readonly string[] OddStrings =
    [
        "\"{{ message.traits.email || \\\"x\\\" }}\"", "\"{{destination.Config.accountId}}\"", "\"2021-02-30T25:61:00Z\"", "\"Sat, 01 Jan 2000 00:00:00 GMT\"",
        "\"<b>&amp;</b>\"", "\"\\u0000\\u2028\\ud83d\\ude00\"", "\"  TRACK  \"", "\"IDENTIFY\"", "\"" + new string('x', 5000) + "\"", "\"[1,{\\\"a\\\":2}]\"",
        "\"a.b.c\"", "\"-0\"", "\"1e309\"", "\"true\"",
    ];

    private void InsertToken(List<byte> data) => data.InsertRange(_random.Next(data.Count + 1), Tokens[_random.Next(Tokens.Length)]);

    /// <summary>
    /// Inserts a member into an object: first (after a '{') or last (before a '}', where a
    /// repeated key wins, as in JSON.parse), with the commas it needs.
    /// </summary>
    private void InsertMember(List<byte> data, byte[] member)
    {
        bool last = _random.Next(2) == 0;
        int at = FindFrom(data, _random.Next(Math.Max(1, data.Count)), i => data[i] == (last ? (byte)'}' : (byte)'{'));
        if (at < 0)
        {
            data.InsertRange(_random.Next(data.Count + 1), member);
            return;
        }
        if (last)
        {
            int previous = at - 1;
            while (previous >= 0 && data[previous] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') previous--;
            bool empty = previous >= 0 && data[previous] == (byte)'{';
            data.InsertRange(at, empty ? member : [(byte)',', .. member]);
            return;
        }
        int next = at + 1;
        while (next < data.Count && data[next] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') next++;
        bool emptyObject = next < data.Count && data[next] == (byte)'}';
        data.InsertRange(at + 1, emptyObject ? member : [.. member, (byte)',']);
    }

    /// <summary>The first index from <paramref name="start"/> on (wrapping around) where the predicate holds, or -1.</summary>
    private static int FindFrom(List<byte> data, int start, Func<int, bool> predicate)
    {
        for (int k = 0; k < data.Count; k++)
        {
            int i = (start + k) % data.Count;
            if (predicate(i)) return i;
        }
        return -1;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
