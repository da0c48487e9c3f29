using System.Text;
using System.Text.Json;
using Mappings.CleverTap.Delivery;
using Mappings.Runtime;
using Mappings.Runtime.Json;

namespace Mappings.Service.Tests;

/// <summary>
/// The cuts of request-supplied text (D10) and of CleverTap's answer in v1 job errors (D9), the log
/// escaping, and JSON error texts that give a position instead of quoting the input.
/// </summary>
public sealed class RequestTextTests
{
    private const string Emoji = "\U0001F600"; // a surrogate pair: two UTF-16 code units, four UTF-8 bytes

    private static string A(int n) => new('a', n);

    public static TheoryData<string?, string> QuoteCases() => new()
    {
        { null, "" },
        { "", "" },
        { "clevertap", "clevertap" },
        { A(255), A(255) },
        { A(256), A(256) },                                   // exactly the limit: whole
        { A(257), A(256) + "…" },                             // one more: cut
        { A(1_000_000), A(256) + "…" },
        { A(254) + Emoji, A(254) + Emoji },                   // 256 units, the pair last
        { A(254) + Emoji + "b", A(254) + Emoji + "…" },       // the pair fits before the cut
        { A(255) + Emoji, A(255) + "…" },                     // 257 units; the cut would split the pair
        { A(255) + Emoji + "b", A(255) + "…" },
        { "line\nbreak", "line\nbreak" },                     // answers are JSON: escaping is the writer's
    };

    [Theory]
    [MemberData(nameof(QuoteCases))]
    public void D10_quote_cuts_at_256_characters(string? name, string expected) => Assert.Equal(expected, RequestText.Quote(name));

    public static TheoryData<string?, string> LogCases() => new()
    {
        { null, "" },
        { "/v0/destinations/clevertap", "/v0/destinations/clevertap" },
        { "CLEVERTAP\nINFO forged line", "CLEVERTAP\\nINFO forged line" },
        { "a\r\nb", "a\\r\\nb" },
        { "tab\there", "tab\\there" },
        { "nul\0", "nul\\u0000" },
        { "\u001b[31mred", "\\u001B[31mred" },
        { "del\u007f", "del\\u007F" },
        { "next\u0085line", "next\\u0085line" },
        { "ls\u2028ps\u2029", "ls\\u2028ps\\u2029" },
        { "back\\slash", "back\\\\slash" },
        { "é " + Emoji, "é " + Emoji },
        { new string('\n', 300), string.Concat(Enumerable.Repeat("\\n", 256)) + "…" },
        { A(300), A(256) + "…" },
    };

    [Theory]
    [MemberData(nameof(LogCases))]
    public void Log_text_is_cut_and_its_control_characters_escaped(string? text, string expected)
    {
        string logged = RequestText.ForLog(text);
        Assert.Equal(expected, logged);
        Assert.DoesNotContain(logged, c => c < ' ' || c is '\u2028' or '\u2029');
    }

    // Lone surrogates cannot travel through theory data (xUnit replaces them when it serialises cases).
    [Fact]
    public void Log_text_escapes_lone_surrogates()
    {
        Assert.Equal("lone\\uD800x", RequestText.ForLog("lone\uD800x"));
        Assert.Equal("lone\\uDC00", RequestText.ForLog("lone\uDC00"));
        Assert.Equal("\\uDC00\\uD800", RequestText.ForLog("\uDC00\uD800"));
        var buffer = new ByteBuffer();
        RequestText.AppendQuoted([.. Encoding.UTF8.GetBytes(A(255)), 0xED, 0xA0, 0x80], buffer);
        Assert.True(A(255) + "\uD800" == Decode(buffer.WrittenSpan));
    }

    public static TheoryData<byte[], string> Wtf8QuoteCases() => new()
    {
        { Encoding.UTF8.GetBytes(A(256)), A(256) },
        { Encoding.UTF8.GetBytes(A(257)), A(256) + "…" },
        { Encoding.UTF8.GetBytes(new string('é', 300)), new string('é', 256) + "…" },
        { Encoding.UTF8.GetBytes(A(254) + Emoji), A(254) + Emoji },
        { Encoding.UTF8.GetBytes(A(255) + Emoji), A(255) + "…" },
        { [.. Encoding.UTF8.GetBytes(A(256)), 0xED, 0xA0, 0x80], A(256) + "…" },                      // a lone surrogate (WTF-8) is one unit
    };

    [Theory]
    [MemberData(nameof(Wtf8QuoteCases))]
    public void D10_quote_of_heap_strings(byte[] wtf8, string expected)
    {
        var buffer = new ByteBuffer();
        RequestText.AppendQuoted(wtf8, buffer);
        Assert.Equal(expected, Decode(buffer.WrittenSpan));
    }

    public static TheoryData<string, string?> TruncateCases()
    {
        const int Max = RequestText.MaxJobError;
        const string Marker = RequestText.TruncatedMarker;
        int keep = Max - Marker.Length;
        return new()
        {
            { "{\"status\":\"success\"}", null },
            { A(Max - 1), null },
            { A(Max), null },                                            // exactly the limit: unchanged
            { A(Max + 1), A(keep) + Marker },                            // one more: cut, Max in all
            { A(Max - 2) + Emoji, null },                                // Max units with the pair last
            { A(Max - 1) + Emoji, A(keep) + Marker },
            { A(keep - 2) + Emoji + A(100), A(keep - 2) + Emoji + Marker },  // the pair ends right at the cut
            { A(keep - 1) + Emoji + A(100), A(keep - 1) + Marker },          // the cut would split it: one unit less
            { A(keep) + Emoji + A(100), A(keep) + Marker },
            { string.Concat(Enumerable.Repeat(Emoji, Max)), string.Concat(Enumerable.Repeat(Emoji, keep / 2)) + Marker },
            { new string('é', 3 * Max), new string('é', keep) + Marker },
        };
    }

    [Theory]
    [MemberData(nameof(TruncateCases))]
    public void D9_job_errors_are_cut_to_16384_characters(string text, string? expected)
    {
        var buffer = new ByteBuffer();
        bool cut = RequestText.TryTruncateJobError(Encoding.UTF8.GetBytes(text), buffer);
        Assert.Equal(expected is not null, cut);
        if (expected is null) return;
        string result = Decode(buffer.WrittenSpan);
        Assert.Equal(expected.Length, result.Length);
        Assert.True(expected == result, "the cut text differs");
        Assert.True(result.Length <= RequestText.MaxJobError);
        Assert.EndsWith("…(truncated)", result);
        Assert.True(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(result)) == result, "a surrogate pair was split");
    }

    [Fact]
    public void D9_counts_a_lone_surrogate_as_one_unit()
    {
        byte[] loneSurrogates = new byte[3 * (RequestText.MaxJobError + 1)];
        for (int i = 0; i < loneSurrogates.Length; i += 3) (loneSurrogates[i], loneSurrogates[i + 1], loneSurrogates[i + 2]) = (0xED, 0xB0, 0x80);
        var buffer = new ByteBuffer();
        Assert.False(RequestText.TryTruncateJobError(loneSurrogates.AsSpan(3), buffer));
        Assert.True(RequestText.TryTruncateJobError(loneSurrogates, buffer));
        Assert.Equal(RequestText.MaxJobError, Wtf8.Utf16Length(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData("{\"passcode\": tSECRET}", "The request body is not valid JSON (line 1, byte 15)")]
    [InlineData("{\"passcode\": falsSECRET}", "The request body is not valid JSON (line 1, byte 18)")]
    [InlineData("[1,\n 2,\n oSECRET]", "The request body is not valid JSON (line 3, byte 2)")]
    [InlineData("{\"a\":\"SECRET\" \"b\"}", "The request body is not valid JSON (line 1, byte 15)")]
    public void Json_errors_give_a_position_not_the_text(string json, string expected)
    {
        // System.Text.Json's own message quotes the input ("'tSECRET}' is an invalid JSON literal …").
        var e = Assert.ThrowsAny<JsonException>(() => Read(json));
        Assert.Equal(expected, JsonErrorText.NotJson("The request body", e));
    }

    [Fact]
    public void Json_nested_too_deep_says_so()
    {
        string deep = new string('[', 1001) + new string(']', 1001);
        var e = Assert.ThrowsAny<JsonException>(() => new JsHeap().Parse(Encoding.UTF8.GetBytes(deep)));
        Assert.StartsWith("The request body is nested more than 1000 levels deep (line 1, byte", JsonErrorText.NotJson("The request body", e));
    }

    private static void Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        while (reader.Read())
        {
        }
    }

    private static string Decode(ReadOnlySpan<byte> wtf8)
    {
        var chars = new char[Wtf8.Utf16Length(wtf8)];
        return new string(chars, 0, Wtf8.ToUtf16(wtf8, chars));
    }
}
