using Mappings.Runtime.Json;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Json;

/// <summary>
/// Invalid UTF-8 in a request body is read as Node reads it (spec §14.7): each maximal invalid
/// subpart becomes U+FFFD. Rows: bytes (hex) → valid?, <c>Buffer.from(hex, "hex").toString("utf8")</c>.
/// </summary>
public class Wtf8Tests
{
    public static TheoryData<string, bool, string> Repair => new()
    {
        { "ff", false, "{U+FFFD}" },
        { "c0", false, "{U+FFFD}" },
        { "c0af", false, "{U+FFFD}{U+FFFD}" },
        { "e080af", false, "{U+FFFD}{U+FFFD}{U+FFFD}" },
        { "eda080", false, "{U+FFFD}{U+FFFD}{U+FFFD}" },
        { "edbfbf", false, "{U+FFFD}{U+FFFD}{U+FFFD}" },
        { "f4908080", false, "{U+FFFD}{U+FFFD}{U+FFFD}{U+FFFD}" },
        { "f8", false, "{U+FFFD}" },
        { "fe", false, "{U+FFFD}" },
        { "80", false, "{U+FFFD}" },
        { "bf", false, "{U+FFFD}" },
        { "c2", false, "{U+FFFD}" },
        { "e282", false, "{U+FFFD}" },
        { "f09f98", false, "{U+FFFD}" },
        { "f09f9880", true, "{U+1F600}" },
        { "41ff42", false, "A{U+FFFD}B" },
        { "e28228", false, "{U+FFFD}(" },
        { "f09f98ff", false, "{U+FFFD}{U+FFFD}" },
        { "eda080edb080", false, "{U+FFFD}{U+FFFD}{U+FFFD}{U+FFFD}{U+FFFD}{U+FFFD}" },
        { "c3a9ff", false, "{U+00E9}{U+FFFD}" },
        { "e0a080", true, "{U+0800}" },
        { "efbfbf", true, "{U+FFFF}" },
        { "f0808080", false, "{U+FFFD}{U+FFFD}{U+FFFD}{U+FFFD}" },
        { "f48fbfbf", true, "{U+10FFFF}" },
        { "7bff7d", false, "{{U+FFFD}}" },
        { "22ff22", false, "\"{U+FFFD}\"" },
        { "e2", false, "{U+FFFD}" },
        { "e2ff", false, "{U+FFFD}{U+FFFD}" },
        { "cc", false, "{U+FFFD}" },
        { "f1", false, "{U+FFFD}" },
        { "f1808080", true, "{U+40000}" },
        { "f18080", false, "{U+FFFD}" },
    };

    [Theory]
    [MemberData(nameof(Repair))]
    public void TryRepairUtf8_matches_Node_decoding(string hex, bool valid, string expected)
    {
        var input = Convert.FromHexString(hex);
        var output = new ByteBuffer();
        bool repaired = Wtf8.TryRepairUtf8(input, output);
        Assert.Equal(!valid, repaired);
        var text = repaired ? output.WrittenSpan : input;
        Assert.Equal(expected, TestText.Show(text));
    }

    [Fact]
    public void Escape_writes_what_JSON_stringify_writes()
    {
        // JSON.stringify("\"\\\b\f\n\r\t\u0000\u001f\u007f\u2028<>&'/\ud800x\udc00\ud83d\ude00")
        var text = TestText.ToWtf8("\"\\{U+0008}{U+000C}{U+000A}{U+000D}{U+0009}{U+0000}{U+001F}{U+007F}{U+2028}<>&'/{U+D800}x{U+DC00}{U+1F600}");
        var output = new byte[text.Length * Wtf8.MaxEscapeExpansion];
        int n = Wtf8.Escape(text, output);
        Assert.Equal("\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f{U+007F}{U+2028}<>&'/\\ud800x\\udc00{U+1F600}", TestText.Show(output.AsSpan(0, n)));
        Assert.False(Wtf8.IsJsonSafe(text));
        Assert.True(Wtf8.IsJsonSafe(TestText.ToWtf8("abc{U+D7FF}{U+E000}{U+2028}<&>")));
    }

    [Fact]
    public void Utf16_round_trip_keeps_lone_surrogates()
    {
        string s = TestText.Decode("a{U+D800}b{U+DFFF}{U+1F600}{U+DC00}{U+D83D}");
        var bytes = new byte[s.Length * 3];
        int n = Wtf8.FromUtf16(s, bytes);
        Assert.Equal(s.Length, Wtf8.Utf16Length(bytes.AsSpan(0, n)));
        var chars = new char[s.Length];
        Assert.Equal(s.Length, Wtf8.ToUtf16(bytes.AsSpan(0, n), chars));
        Assert.Equal(s, new string(chars));
    }

    [Fact]
    public void ToUtf16String_keeps_lone_surrogates_and_reads_valid_text_as_UTF8()
    {
        string s = TestText.Decode("a{U+D800}b{U+DFFF}{U+1F600}{U+DC00}");
        var bytes = new byte[s.Length * 3];
        int n = Wtf8.FromUtf16(s, bytes);
        Assert.Equal(s, Wtf8.ToUtf16String(bytes.AsSpan(0, n)));
        Assert.Equal("zü😀", Wtf8.ToUtf16String("zü😀"u8));
        Assert.Equal("", Wtf8.ToUtf16String([]));
    }

    [Theory]
    [InlineData("EFBBBF5B5D", "[]")]            // a leading mark is dropped
    [InlineData("EFBBBFEFBBBF5B5D", "\uFEFF[]")] // only one
    [InlineData("20EFBBBF5B5D", " \uFEFF[]")]    // only at the very start
    [InlineData("EFBBBF22FF22", "\"\uFFFD\"")] // then repaired
    [InlineData("EFBB5B5D", "\uFFFD[]")]        // half a mark is an invalid sequence
    public void AsBodyText_drops_a_leading_byte_order_mark_then_repairs(string hex, string expected)
    {
        var text = Wtf8.AsBodyText(Convert.FromHexString(hex), new ByteBuffer());
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(text));
    }

    [Fact]
    public void An_item_alone_keeps_its_mark_as_it_would_inside_a_body()
    {
        var heap = new JsHeap();
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => heap.ParseRepairedItem([0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}']));
        heap.Reset();
        Assert.Equal(JsType.Array, heap.TypeOf(heap.ParseRepairedItems([0xEF, 0xBB, 0xBF, (byte)'[', (byte)']'], itemDepth: 2)));
    }

    [Theory]
    [InlineData("""{"destType":1}""", true)]
    [InlineData("""{"dest\u0054ype":1}""", true)]
    [InlineData("""{"\u0064\u0065\u0073\u0074\u0054\u0079\u0070\u0065":1}""", true)]
    [InlineData("""{"destTyp":1}""", false)]
    [InlineData("""{"\udc00":1}""", false)]           // ValueTextEquals throws on it
    [InlineData("""{"destType\ud800":1}""", false)]
    [InlineData("""{"dest\u0054ype\u0020":1}""", false)]
    public void ValueEquals_decodes_escapes_and_never_throws_on_lone_surrogates(string json, bool expected)
    {
        var reader = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        reader.Read();
        reader.Read();
        Assert.Equal(expected, Wtf8.ValueEquals(ref reader, "destType"u8));
    }
}
