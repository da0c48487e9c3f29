using Mappings.Runtime.Js;
using Mappings.Runtime.Json;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Js;

/// <summary>
/// JavaScript's conversions against Node 20: <c>String(v)</c> (spec §3.3, §14.2: arrays joined with
/// ",", null elements empty, objects "[object Object]", an own non-function <c>toString</c> throws —
/// a TypeError there, <see cref="JsTypeError"/> here, D1; an own <c>valueOf</c> alone does not),
/// <c>Number(v)</c> (spec §6.4) and <c>String.prototype.trim</c> on WTF-8 text (spec §6.7: U+FEFF
/// trimmed, U+0085 kept). Data in the {U+XXXX} notation of <see cref="TestText"/>.
/// </summary>
public class JsConvertTests
{
    /// <summary>value → <c>String(value)</c>, or THROWS.</summary>
    public static TheoryData<string, string> Strings => new()
    {
        { "null", "null" },
        { "true", "true" },
        { "false", "false" },
        { "0", "0" },
        { "-0", "0" },
        { "1.5", "1.5" },
        { "1.0", "1" },
        { "100", "100" },
        { "1e21", "1e+21" },
        { "1e-7", "1e-7" },
        { "12345678901234567890", "12345678901234567000" },
        { "0.1", "0.1" },
        { "-1e-7", "-1e-7" },
        { "\"s\"", "s" },
        { "\"\"", "" },
        { "\"\\ud800\"", "{U+D800}" },
        { "\"{U+00E9}{U+2028}\"", "{U+00E9}{U+2028}" },
        { "\"\\ud83d\\ude00\"", "{U+1F600}" },
        { "[]", "" },
        { "[null]", "" },
        { "[null,null]", "," },
        { "[1,[2,[3,null]]]", "1,2,3," },
        { "[{}]", "[object Object]" },
        { "[[],[]]", "," },
        { "[true,false]", "true,false" },
        { "[1e21,-0]", "1e+21,0" },
        { "[\"a,b\",[\"c\"]]", "a,b,c" },
        { "[{\"a\":1},[]]", "[object Object]," },
        { "[[null]]", "" },
        { "[\"\"]", "" },
        { "{}", "[object Object]" },
        { "{\"a\":1}", "[object Object]" },
        { "{\"valueOf\":1}", "[object Object]" },
        { "{\"toString\":1}", "THROWS" },
        { "{\"toString\":null}", "THROWS" },
        { "{\"toString\":1,\"valueOf\":1}", "THROWS" },
        { "[{\"toString\":1}]", "THROWS" },
        { "[[{\"toString\":1}]]", "THROWS" },
        { "[null,{\"toString\":1}]", "THROWS" },
        { "{\"a\":{\"toString\":1}}", "[object Object]" },
        { "[{\"valueOf\":1}]", "[object Object]" },
        { "{\"toHTML\":1}", "[object Object]" },
        { "{\"b\":1,\"1\":2}", "[object Object]" },
    };

    [Theory]
    [MemberData(nameof(Strings))]
    public void AppendString_matches_String(string input, string expected)
    {
        var heap = new JsHeap();
        int value = TestText.Parse(heap, input);
        var output = new ByteBuffer();
        string actual;
        try
        {
            JsConvert.AppendString(heap, value, output, "field");
            actual = TestText.Show(output.WrittenSpan);
        }
        catch (JsTypeError)
        {
            actual = "THROWS";
        }
        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// Every cut of every row's text: the longest prefix of the whole text that fits and ends at a
    /// character's start (a piece cut short is never followed by the next one's text).
    /// </summary>
    [Theory]
    [MemberData(nameof(Strings))]
    public void AppendStringPrefix_is_the_longest_prefix_that_fits(string input, string expected)
    {
        if (expected == "THROWS")
        {
            // Wherever the value that cannot be converted is, even past the cut.
            var throwing = new JsHeap();
            int value = TestText.Parse(throwing, "[\"" + new string('x', 100) + "\"," + input + "]");
            Assert.Throws<JsTypeError>(() => JsConvert.AppendStringPrefix(throwing, value, new ByteBuffer(), "field", 10));
            return;
        }
        foreach (string text in new[] { input, "[" + input + ",\"é😀\",[" + input + "],12.5]" })
        {
            var heap = new JsHeap();
            int value = TestText.Parse(heap, text);
            var whole = new ByteBuffer();
            JsConvert.AppendString(heap, value, whole, "field");
            for (int max = 0; max <= whole.Length + 1; max++)
            {
                var output = new ByteBuffer();
                output.Append("x"u8); // the prefix is counted from where it starts
                JsConvert.AppendStringPrefix(heap, value, output, "field", max);
                var prefix = output.WrittenSpan[1..];
                int longest = Math.Min(max, whole.Length);
                while (longest < whole.Length && longest > 0 && (whole.WrittenSpan[longest] & 0xC0) == 0x80) longest--;
                Assert.True(whole.WrittenSpan[..longest].SequenceEqual(prefix), $"{text} cut at {max}: {TestText.Show(prefix)}");
            }
        }
    }

    [Fact]
    public void AppendStringPrefix_of_a_huge_array_stops_at_its_limit()
    {
        var heap = new JsHeap();
        int value = heap.Parse(System.Text.Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("{}", 100_000)) + "]"));
        var output = new ByteBuffer();
        JsConvert.AppendStringPrefix(heap, value, output, "field", 100);
        Assert.Equal(string.Concat(Enumerable.Repeat("[object Object],", 7))[..100], TestText.Show(output.WrittenSpan));
    }

    [Fact]
    public void AppendString_of_undefined_is_undefined()
    {
        var heap = new JsHeap();
        var output = new ByteBuffer();
        JsConvert.AppendString(heap, JsHeap.Undefined, output, "field");
        Assert.Equal("undefined", TestText.Show(output.WrittenSpan));
    }

    /// <summary>value → IEEE-754 bits of <c>Number(value)</c>, or null when it throws.</summary>
    public static TheoryData<string, ulong?> Numbers => new()
    {
        { "\"\"", 0x0000000000000000UL },
        { "\" \"", 0x0000000000000000UL },
        { "\"\\t\\n\"", 0x0000000000000000UL },
        { "\"12\"", 0x4028000000000000UL },
        { "\" 12 \"", 0x4028000000000000UL },
        { "\"1e3\"", 0x408F400000000000UL },
        { "\"1E3\"", 0x408F400000000000UL },
        { "\"-1e-3\"", 0xBF50624DD2F1A9FCUL },
        { "\"0x1F\"", 0x403F000000000000UL },
        { "\"0X1f\"", 0x403F000000000000UL },
        { "\"0o17\"", 0x402E000000000000UL },
        { "\"0O17\"", 0x402E000000000000UL },
        { "\"0b101\"", 0x4014000000000000UL },
        { "\"0B1\"", 0x3FF0000000000000UL },
        { "\"-0x10\"", 0x7FF8000000000000UL },
        { "\"+0x10\"", 0x7FF8000000000000UL },
        { "\"0x\"", 0x7FF8000000000000UL },
        { "\"0b2\"", 0x7FF8000000000000UL },
        { "\"0o8\"", 0x7FF8000000000000UL },
        { "\"Infinity\"", 0x7FF0000000000000UL },
        { "\"-Infinity\"", 0xFFF0000000000000UL },
        { "\"+Infinity\"", 0x7FF0000000000000UL },
        { "\"infinity\"", 0x7FF8000000000000UL },
        { "\"INFINITY\"", 0x7FF8000000000000UL },
        { "\"NaN\"", 0x7FF8000000000000UL },
        { "\".5\"", 0x3FE0000000000000UL },
        { "\"5.\"", 0x4014000000000000UL },
        { "\".\"", 0x7FF8000000000000UL },
        { "\"-.5\"", 0xBFE0000000000000UL },
        { "\"+.5\"", 0x3FE0000000000000UL },
        { "\"1_000\"", 0x7FF8000000000000UL },
        { "\"1,5\"", 0x7FF8000000000000UL },
        { "\"12px\"", 0x7FF8000000000000UL },
        { "\"1e\"", 0x7FF8000000000000UL },
        { "\"e5\"", 0x7FF8000000000000UL },
        { "\"--1\"", 0x7FF8000000000000UL },
        { "\"+-1\"", 0x7FF8000000000000UL },
        { "\"1e400\"", 0x7FF0000000000000UL },
        { "\"-1e400\"", 0xFFF0000000000000UL },
        { "\"1e-400\"", 0x0000000000000000UL },
        { "\"{U+00A0}12{U+2028}\"", 0x4028000000000000UL },
        { "\"{U+FEFF}12\"", 0x4028000000000000UL },
        { "\"{U+0085}12\"", 0x7FF8000000000000UL },
        { "\"12{U+0085}\"", 0x7FF8000000000000UL },
        { "\"{U+180E}12\"", 0x7FF8000000000000UL },
        { "\"{U+200B}12\"", 0x7FF8000000000000UL },
        { "\"{U+3000}12{U+3000}\"", 0x4028000000000000UL },
        { "\"00012\"", 0x4028000000000000UL },
        { "\"-0\"", 0x8000000000000000UL },
        { "\"+0\"", 0x0000000000000000UL },
        { "\"0.1\"", 0x3FB999999999999AUL },
        { "\"0.30000000000000004\"", 0x3FD3333333333334UL },
        { "\"1.7976931348623159e308\"", 0x7FF0000000000000UL },
        { "\"9007199254740993\"", 0x4340000000000000UL },
        { "\"1615377562\"", 0x41D8122D26800000UL },
        { "\"2021-03-10\"", 0x7FF8000000000000UL },
        { "\"0.0000001\"", 0x3E7AD7F29ABCAF48UL },
        { "\"{U+FF11}{U+FF12}\"", 0x7FF8000000000000UL },
        { "\"{U+0661}{U+0662}\"", 0x7FF8000000000000UL },
        { "\"0x1F \"", 0x403F000000000000UL },
        { "\" 0b11 \"", 0x4008000000000000UL },
        { "\"0xffffffffffffffffff\"", 0x4470000000000000UL },
        { "\"1e+3\"", 0x408F400000000000UL },
        { "\"1e+\"", 0x7FF8000000000000UL },
        { "\".e1\"", 0x7FF8000000000000UL },
        { "\"5e-324\"", 0x0000000000000001UL },
        { "\"2e-324\"", 0x0000000000000000UL },
        { "null", 0x0000000000000000UL },
        { "true", 0x3FF0000000000000UL },
        { "false", 0x0000000000000000UL },
        { "0", 0x0000000000000000UL },
        { "-0", 0x8000000000000000UL },
        { "1.5", 0x3FF8000000000000UL },
        { "[]", 0x0000000000000000UL },
        { "[5]", 0x4014000000000000UL },
        { "[\"5\"]", 0x4014000000000000UL },
        { "[\" 5 \"]", 0x4014000000000000UL },
        { "[1,2]", 0x7FF8000000000000UL },
        { "[[5]]", 0x4014000000000000UL },
        { "[null]", 0x0000000000000000UL },
        { "[[]]", 0x0000000000000000UL },
        { "[true]", 0x7FF8000000000000UL },
        { "[\"0x10\"]", 0x4030000000000000UL },
        { "[{}]", 0x7FF8000000000000UL },
        { "[[1,2]]", 0x7FF8000000000000UL },
        { "[\"\"]", 0x0000000000000000UL },
        { "[\"-0\"]", 0x8000000000000000UL },
        { "{}", 0x7FF8000000000000UL },
        { "{\"valueOf\":1}", 0x7FF8000000000000UL },
        { "{\"toString\":1}", null },
        { "[{\"toString\":1}]", null },
        { "{\"a\":1}", 0x7FF8000000000000UL },
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void ToNumber_matches_Number(string input, ulong? expectedBits)
    {
        var heap = new JsHeap();
        int value = TestText.Parse(heap, input);
        if (expectedBits is not { } bits)
        {
            Assert.Throws<JsTypeError>(() => JsConvert.ToNumber(heap, value, "field"));
            return;
        }
        double actual = JsConvert.ToNumber(heap, value, "field");
        double expected = BitConverter.UInt64BitsToDouble(bits);
        Assert.True(BitConverter.DoubleToUInt64Bits(actual) == bits || (double.IsNaN(expected) && double.IsNaN(actual)), $"expected {expected:R} ({bits:X16}), got {actual:R}");
    }

    [Fact]
    public void ToNumber_of_undefined_is_NaN()
    {
        Assert.True(double.IsNaN(JsConvert.ToNumber(new JsHeap(), JsHeap.Undefined, "field")));
    }

    /// <summary>text → <c>text.trim()</c>.</summary>
    public static TheoryData<string, string> Trims => new()
    {
        { "", "" },
        { " ", "" },
        { "a", "a" },
        { " a ", "a" },
        { "  a  b  ", "a  b" },
        { "{U+000A}A{U+000A}", "A" },
        { "{U+00A0}x{U+0085}", "x{U+0085}" },
        { "{U+0085}x{U+0085}", "{U+0085}x{U+0085}" },
        { "x{U+FEFF}", "x" },
        { "{U+FEFF}x", "x" },
        { "{U+3000}{U+2028}x{U+2029}{U+3000}", "x" },
        { "{U+0009}{U+000A}{U+000B}{U+000C}{U+000D} {U+00A0}{U+1680}{U+2000}{U+2005}{U+200A}{U+2028}{U+2029}{U+202F}{U+205F}{U+3000}{U+FEFF}", "" },
        { "{U+0009}{U+000A}{U+000B}{U+000C}{U+000D} {U+00A0}{U+1680}{U+2000}{U+2005}{U+200A}{U+2028}{U+2029}{U+202F}{U+205F}{U+3000}{U+FEFF}x{U+0009}{U+000A}{U+000B}{U+000C}{U+000D} {U+00A0}{U+1680}{U+2000}{U+2005}{U+200A}{U+2028}{U+2029}{U+202F}{U+205F}{U+3000}{U+FEFF}", "x" },
        { "{U+1F600} ", "{U+1F600}" },
        { " {U+1F600}", "{U+1F600}" },
        { " {U+D800} ", "{U+D800}" },
        { "{U+DC00}{U+2028}", "{U+DC00}" },
        { "a{U+200B}", "a{U+200B}" },
        { "{U+200B}a", "{U+200B}a" },
        { "{U+180E}", "{U+180E}" },
        { "e{U+0301} ", "e{U+0301}" },
        { " {U+00E9}", "{U+00E9}" },
        { "{U+00E9}{U+00A0}", "{U+00E9}" },
        { "{U+4E2D}{U+3000}", "{U+4E2D}" },
        { "{U+0009}x{U+0009}", "x" },
        { "{U+000A}x{U+000A}", "x" },
        { "{U+000B}x{U+000B}", "x" },
        { "{U+000C}x{U+000C}", "x" },
        { "{U+000D}x{U+000D}", "x" },
        { " x ", "x" },
        { "{U+00A0}x{U+00A0}", "x" },
        { "{U+1680}x{U+1680}", "x" },
        { "{U+2000}x{U+2000}", "x" },
        { "{U+2005}x{U+2005}", "x" },
        { "{U+200A}x{U+200A}", "x" },
        { "{U+2028}x{U+2028}", "x" },
        { "{U+2029}x{U+2029}", "x" },
        { "{U+202F}x{U+202F}", "x" },
        { "{U+205F}x{U+205F}", "x" },
        { "{U+3000}x{U+3000}", "x" },
        { "{U+FEFF}x{U+FEFF}", "x" },
        { " {U+0085} ", "{U+0085}" },
        { " {U+180E} ", "{U+180E}" },
        { "{U+180E}x{U+180E}", "{U+180E}x{U+180E}" },
        { " {U+200B} ", "{U+200B}" },
        { "{U+200B}x{U+200B}", "{U+200B}x{U+200B}" },
        { " {U+200C} ", "{U+200C}" },
        { "{U+200C}x{U+200C}", "{U+200C}x{U+200C}" },
        { " {U+2060} ", "{U+2060}" },
        { "{U+2060}x{U+2060}", "{U+2060}x{U+2060}" },
        { " {U+0000} ", "{U+0000}" },
        { "{U+0000}x{U+0000}", "{U+0000}x{U+0000}" },
        { " {U+001F} ", "{U+001F}" },
        { "{U+001F}x{U+001F}", "{U+001F}x{U+001F}" },
        { " {U+00AD} ", "{U+00AD}" },
        { "{U+00AD}x{U+00AD}", "{U+00AD}x{U+00AD}" },
        { "{U+D800}x{U+D800}", "{U+D800}x{U+D800}" },
        { " {U+DC00} ", "{U+DC00}" },
        { "{U+DC00}x{U+DC00}", "{U+DC00}x{U+DC00}" },
        { " {U+1F600} ", "{U+1F600}" },
        { "{U+1F600}x{U+1F600}", "{U+1F600}x{U+1F600}" },
        { " {U+FFFD} ", "{U+FFFD}" },
        { "{U+FFFD}x{U+FFFD}", "{U+FFFD}x{U+FFFD}" },
        { "xxx", "xxx" },
    };

    [Theory]
    [MemberData(nameof(Trims))]
    public void Trim_matches_String_prototype_trim(string input, string expected)
    {
        Assert.Equal(expected, TestText.Show(JsConvert.Trim(TestText.ToWtf8(input))));
        Assert.Equal(expected, TestText.Show(JsWhitespace.Trim(TestText.Decode(input)).ToString()));
    }

    [Fact]
    public void Conversions_allocate_nothing_once_warm()
    {
        var inputs = Strings.Select(r => TestText.ToWtf8((string)r[0])).Where(b => !System.Text.Encoding.UTF8.GetString(b).Contains("toString")).ToArray();
        var numbers = Numbers.Where(r => r[1] is not null).Select(r => TestText.ToWtf8((string)r[0])).ToArray();
        var trims = Trims.Select(r => TestText.ToWtf8((string)r[0])).ToArray();
        var heap = new JsHeap();
        var output = new ByteBuffer();
        Allocations.AssertNone(() =>
        {
            foreach (var input in inputs)
            {
                heap.Reset();
                output.Clear();
                JsConvert.AppendString(heap, heap.Parse(input), output, "field");
            }
            foreach (var input in numbers)
            {
                heap.Reset();
                JsConvert.ToNumber(heap, heap.Parse(input), "field");
            }
            foreach (var t in trims) JsConvert.Trim(t);
        }, warmup: 5, iterations: 50);
    }
}
