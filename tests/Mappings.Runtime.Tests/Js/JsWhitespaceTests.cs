using Mappings.Runtime.Js;

namespace Mappings.Runtime.Tests.Js;

public class JsWhitespaceTests
{
    /// <summary>
    /// Every UTF-16 code unit c for which Node 20 gives <c>String.fromCharCode(c).trim() === ""</c>
    /// (the same set as <c>/\s/</c> and as <c>Number(c + "5" + c) === 5</c>), found by probing all 65,536.
    /// </summary>
    private static readonly int[] NodeWhitespace =
    [
        0x0009, 0x000A, 0x000B, 0x000C, 0x000D, 0x0020, 0x00A0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF,
    ];

    [Fact]
    public void Matches_node_on_all_65536_code_units()
    {
        var expected = new HashSet<int>(NodeWhitespace);
        for (int c = 0; c <= 0xFFFF; c++)
        {
            Assert.True(
                expected.Contains(c) == JsWhitespace.IsWhiteSpaceOrLineTerminator((char)c),
                $"U+{c:X4}: expected {expected.Contains(c)}");
        }
    }

    [Theory]
    [InlineData('\u0009', true)]
    [InlineData('\u000A', true)]
    [InlineData('\u000B', true)]
    [InlineData('\u000C', true)]
    [InlineData('\u000D', true)]
    [InlineData(' ', true)]
    [InlineData('\u00A0', true)]
    [InlineData('\u1680', true)]
    [InlineData('\u2000', true)]
    [InlineData('\u200A', true)]
    [InlineData('\u2028', true)]
    [InlineData('\u2029', true)]
    [InlineData('\u202F', true)]
    [InlineData('\u205F', true)]
    [InlineData('\u3000', true)]
    [InlineData('\uFEFF', true)]
    [InlineData('\u0085', false)] // char.IsWhiteSpace says true
    [InlineData('\u180E', false)]
    [InlineData('\u200B', false)]
    [InlineData('\u0008', false)]
    [InlineData('\u000E', false)]
    [InlineData('\u001F', false)]
    [InlineData('a', false)]
    [InlineData('\u0000', false)]
    public void Classifies(char c, bool expected)
    {
        Assert.Equal(expected, JsWhitespace.IsWhiteSpaceOrLineTerminator(c));
    }

    /// <summary>Input → <c>input.trim()</c> in Node 20.</summary>
    public static TheoryData<string, string> TrimTable => new()
    {
        { "", "" },
        { " ", "" },
        { "a", "a" },
        { " a ", "a" },
        { "\u00a0a\ufeff", "a" },
        { "\u0085a\u0085", "\u0085a\u0085" },
        { "\u200ba\u200b", "\u200ba\u200b" },
        { "\u180ea", "\u180ea" },
        { "\u2028\u2029a b\u3000\u205f", "a b" },
        { "\u0009\u000a\u000b\u000c\u000d a\u000d\u000a", "a" },
        { " \u1680\u2000\u200a\u202fx", "x" },
    };

    [Theory]
    [MemberData(nameof(TrimTable))]
    public void Trim_matches_node(string input, string expected)
    {
        Assert.Equal(expected, JsWhitespace.Trim(input).ToString());
    }
}
