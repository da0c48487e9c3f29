using System.Text;
using Mappings.Runtime.Js;
using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Mapping;

/// <summary>
/// Strict equality with constants and comparisons of lower-cased values (spec §3.2 Gender map,
/// §3.10 OS family, §5.1 "order completed", §6.8), against Node 20: <c>toLowerCase()</c> is full
/// Unicode, and the only non-ASCII UTF-16 code unit that lower-cases to pure ASCII is U+212A
/// KELVIN SIGN ("İ" gives "i" + U+0307).
/// </summary>
public class CompareTests
{
    private static readonly byte[][] Female = ["f"u8.ToArray(), "F"u8.ToArray(), "Female"u8.ToArray(), "female"u8.ToArray(), "FEMALE"u8.ToArray()];
    private static readonly byte[][] Apple = ["ios"u8.ToArray(), "watchos"u8.ToArray(), "ipados"u8.ToArray(), "tvos"u8.ToArray()];

    public static TheoryData<string, bool> InStringsRows => new()
    {
        { "\"f\"", true },
        { "\"F\"", true },
        { "\"Female\"", true },
        { "\"female\"", true },
        { "\"FEMALE\"", true },
        { "\"fEmale\"", false },
        { "\"f \"", false },
        { "\" f\"", false },
        { "[\"f\"]", false },
        { "5", false },
        { "null", false },
        { "false", false },
    };

    [Theory]
    [MemberData(nameof(InStringsRows))]
    public void InStrings_is_strict_membership(string value, bool expected)
    {
        var heap = new JsHeap();
        Assert.Equal(expected, Compare.InStrings(heap, TestText.Parse(heap, value), Female));
    }

    public static TheoryData<string, double, bool> NumberEqualsRows => new()
    {
        { "0", 0, true },
        { "-0", 0, true },
        { "0.0", 0, true },
        { "\"0\"", 0, false },
        { "false", 0, false },
        { "null", 0, false },
        { "1", 1, true },
        { "1.0", 1, true },
        { "[1]", 1, false },
        { "1e0", 1, true },
    };

    [Theory]
    [MemberData(nameof(NumberEqualsRows))]
    public void NumberEquals_is_strict_equality(string value, double number, bool expected)
    {
        var heap = new JsHeap();
        Assert.Equal(expected, Compare.NumberEquals(heap, TestText.Parse(heap, value), number));
    }

    /// <summary>value → <c>typeof v === "string" &amp;&amp; ["ios","watchos","ipados","tvos"].includes(v.toLowerCase())</c>.</summary>
    public static TheoryData<string, bool> AppleFamily => new()
    {
        { "\"ios\"", true },
        { "\"IOS\"", true },
        { "\"watchos\"", true },
        { "\"ipados\"", true },
        { "\"tvOS\"", true },
        { "\"macos\"", false },
        { "\"android\"", false },
        { "\"Android\"", false },
        { "\"ios \"", false },
        { "5", false },
        { "null", false },
        { "\"\"", false },
    };

    [Theory]
    [MemberData(nameof(AppleFamily))]
    public void LowerInStrings_matches_toLowerCase_membership(string value, bool expected)
    {
        var heap = new JsHeap();
        Assert.Equal(expected, Compare.LowerInStrings(heap, TestText.Parse(heap, value), Apple));
    }

    /// <summary>text, ASCII target → <c>text.toLowerCase() === target</c>.</summary>
    public static TheoryData<string, string, bool> LowerCase => new()
    {
        { "IDENTIFY", "identify", true },
        { "IDENTIFY", "screen", false },
        { "IDENTIFY", "ios", false },
        { "IDENTIFY", "ipados", false },
        { "IDENTIFY", "tvos", false },
        { "Identify", "identify", true },
        { "Identify", "track", false },
        { "Identify", "alias", false },
        { "Identify", "ios", false },
        { "Identify", "watchos", false },
        { "Identify", "ipados", false },
        { "Identify", "order completed", false },
        { "identify", "identify", true },
        { "identify", "page", false },
        { "identify", "android", false },
        { "identify", "ios", false },
        { "identify", "ipados", false },
        { "identify", "k", false },
        { "identify ", "identify", false },
        { "identify ", "screen", false },
        { "identify ", "ios", false },
        { "identify ", "ipados", false },
        { "identify ", "tvos", false },
        { " identify", "track", false },
        { " identify", "alias", false },
        { " identify", "watchos", false },
        { " identify", "order completed", false },
        { "identif", "identify", false },
        { "identif", "page", false },
        { "identif", "android", false },
        { "identif", "ios", false },
        { "identif", "ipados", false },
        { "identif", "k", false },
        { "identifyy", "identify", false },
        { "identifyy", "screen", false },
        { "identifyy", "ios", false },
        { "identifyy", "ipados", false },
        { "identifyy", "tvos", false },
        { "TRACK", "track", true },
        { "TRACK", "alias", false },
        { "TRACK", "watchos", false },
        { "TRACK", "tvos", false },
        { "TRACK", "order completed", false },
        { "Page", "page", true },
        { "Page", "android", false },
        { "Page", "ipados", false },
        { "Page", "k", false },
        { "sCrEeN", "identify", false },
        { "sCrEeN", "screen", true },
        { "sCrEeN", "ios", false },
        { "sCrEeN", "tvos", false },
        { "ALIAS", "track", false },
        { "ALIAS", "alias", true },
        { "ALIAS", "android", false },
        { "ALIAS", "watchos", false },
        { "ALIAS", "order completed", false },
        { "Android", "page", false },
        { "Android", "alias", false },
        { "Android", "android", true },
        { "Android", "ipados", false },
        { "Android", "k", false },
        { "ANDROID", "identify", false },
        { "ANDROID", "screen", false },
        { "ANDROID", "alias", false },
        { "ANDROID", "android", true },
        { "ANDROID", "ios", false },
        { "ANDROID", "tvos", false },
        { "iOS", "identify", false },
        { "iOS", "track", false },
        { "iOS", "alias", false },
        { "iOS", "ios", true },
        { "iOS", "watchos", false },
        { "iOS", "ipados", false },
        { "iOS", "order completed", false },
        { "IOS", "identify", false },
        { "IOS", "page", false },
        { "IOS", "android", false },
        { "IOS", "ios", true },
        { "IOS", "ipados", false },
        { "IOS", "k", false },
        { "watchOS", "identify", false },
        { "watchOS", "screen", false },
        { "watchOS", "ios", false },
        { "watchOS", "watchos", true },
        { "watchOS", "tvos", false },
        { "WatchOS", "track", false },
        { "WatchOS", "alias", false },
        { "WatchOS", "watchos", true },
        { "WatchOS", "order completed", false },
        { "iPadOS", "identify", false },
        { "iPadOS", "page", false },
        { "iPadOS", "android", false },
        { "iPadOS", "ios", false },
        { "iPadOS", "ipados", true },
        { "iPadOS", "k", false },
        { "tvOS", "identify", false },
        { "tvOS", "track", false },
        { "tvOS", "screen", false },
        { "tvOS", "ios", false },
        { "tvOS", "tvos", true },
        { "macOS", "track", false },
        { "macOS", "alias", false },
        { "macOS", "watchos", false },
        { "macOS", "order completed", false },
        { "Order Completed", "page", false },
        { "Order Completed", "android", false },
        { "Order Completed", "ipados", false },
        { "Order Completed", "order completed", true },
        { "Order Completed", "k", false },
        { "K", "identify", false },
        { "K", "screen", false },
        { "K", "ios", false },
        { "K", "tvos", false },
        { "K", "k", true },
        { "{U+212A}", "track", false },
        { "{U+212A}", "alias", false },
        { "{U+212A}", "watchos", false },
        { "{U+212A}", "order completed", false },
        { "{U+212A}", "k", true },
        { "k", "page", false },
        { "k", "android", false },
        { "k", "ipados", false },
        { "k", "k", true },
        { "{U+212A}ey", "identify", false },
        { "{U+212A}ey", "screen", false },
        { "{U+212A}ey", "ios", false },
        { "{U+212A}ey", "tvos", false },
        { "{U+212A}ey", "k", false },
        { "ident{U+0130}fy", "identify", false },
        { "ident{U+0130}fy", "track", false },
        { "ident{U+0130}fy", "alias", false },
        { "ident{U+0130}fy", "ios", false },
        { "ident{U+0130}fy", "watchos", false },
        { "ident{U+0130}fy", "ipados", false },
        { "ident{U+0130}fy", "order completed", false },
        { "ident{U+0131}fy", "identify", false },
        { "ident{U+0131}fy", "page", false },
        { "ident{U+0131}fy", "android", false },
        { "ident{U+0131}fy", "ios", false },
        { "ident{U+0131}fy", "ipados", false },
        { "ident{U+0131}fy", "k", false },
        { "{U+0130}OS", "identify", false },
        { "{U+0130}OS", "screen", false },
        { "{U+0130}OS", "ios", false },
        { "{U+0130}OS", "ipados", false },
        { "{U+0130}OS", "tvos", false },
        { "i{U+0307}os", "identify", false },
        { "i{U+0307}os", "track", false },
        { "i{U+0307}os", "alias", false },
        { "i{U+0307}os", "ios", false },
        { "i{U+0307}os", "watchos", false },
        { "i{U+0307}os", "ipados", false },
        { "i{U+0307}os", "order completed", false },
        { "{U+FF29}{U+FF2F}{U+FF33}", "page", false },
        { "{U+FF29}{U+FF2F}{U+FF33}", "android", false },
        { "{U+FF29}{U+FF2F}{U+FF33}", "ipados", false },
        { "{U+FF29}{U+FF2F}{U+FF33}", "k", false },
        { "IO{U+017F}", "identify", false },
        { "IO{U+017F}", "screen", false },
        { "IO{U+017F}", "ios", false },
        { "IO{U+017F}", "ipados", false },
        { "IO{U+017F}", "tvos", false },
        { "tr{U+0391}ck", "track", false },
        { "tr{U+0391}ck", "alias", false },
        { "tr{U+0391}ck", "watchos", false },
        { "tr{U+0391}ck", "tvos", false },
        { "tr{U+0391}ck", "order completed", false },
        { "", "page", false },
        { "", "android", false },
        { "", "ipados", false },
        { "", "k", false },
        { "ios{U+0000}", "identify", false },
        { "ios{U+0000}", "screen", false },
        { "ios{U+0000}", "ios", false },
        { "ios{U+0000}", "ipados", false },
        { "ios{U+0000}", "tvos", false },
        { "i{U+D800}os", "identify", false },
        { "i{U+D800}os", "track", false },
        { "i{U+D800}os", "alias", false },
        { "i{U+D800}os", "ios", false },
        { "i{U+D800}os", "watchos", false },
        { "i{U+D800}os", "ipados", false },
        { "i{U+D800}os", "order completed", false },
        { "{U+1F600}", "page", false },
        { "{U+1F600}", "android", false },
        { "{U+1F600}", "ipados", false },
        { "{U+1F600}", "k", false },
        { "ANDRO{U+0130}D", "identify", false },
        { "ANDRO{U+0130}D", "screen", false },
        { "ANDRO{U+0130}D", "alias", false },
        { "ANDRO{U+0130}D", "android", false },
        { "ANDRO{U+0130}D", "ios", false },
        { "ANDRO{U+0130}D", "tvos", false },
    };

    [Theory]
    [MemberData(nameof(LowerCase))]
    public void LowerCaseEquals_matches_toLowerCase(string text, string target, bool expected)
    {
        var heap = new JsHeap();
        var bytes = TestText.ToWtf8(text);
        var t = Encoding.ASCII.GetBytes(target);
        Assert.Equal(expected, JsConvert.LowerCaseEquals(bytes, t));
        int value = heap.NewString(bytes);
        Assert.Equal(expected, JsConvert.LowerCaseEquals(heap, value, t, "field"));
        Assert.Equal(expected, Compare.LowerEquals(heap, value, t));
    }

    /// <summary>The non-ASCII code units whose <c>toLowerCase()</c> is pure ASCII, as found by Node 20 over U+0080–U+FFFF.</summary>
    private static readonly (int CodeUnit, string Lower)[] AsciiLowering = [(0x212A, "k")];

    [Fact]
    public void Only_the_Kelvin_sign_lower_cases_into_ASCII()
    {
        var known = AsciiLowering.ToDictionary(x => x.CodeUnit, x => x.Lower);
        var targets = Enumerable.Range('a', 26).Select(c => new[] { (byte)c }).ToArray();
        var unit = new byte[3];
        for (int c = 0x80; c <= 0xFFFF; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF) continue;
            int n = Mappings.Runtime.Json.Wtf8.EncodeScalar(c, unit);
            foreach (var t in targets)
            {
                bool expected = known.TryGetValue(c, out var lower) && lower == Encoding.ASCII.GetString(t);
                Assert.True(expected == JsConvert.LowerCaseEquals(unit.AsSpan(0, n), t), $"U+{c:X4} vs {(char)t[0]}");
            }
        }
    }

    [Fact]
    public void Lower_casing_a_non_string_throws_where_JavaScript_would()
    {
        var heap = new JsHeap();
        Assert.Throws<JsTypeError>(() => JsConvert.LowerCaseEquals(heap, heap.NewNumber(5), "track"u8, "type"));
        Assert.Throws<JsTypeError>(() => Compare.RequireStringIfTruthy(heap, heap.NewNumber(5), "context.os.name"));
        Assert.Throws<JsTypeError>(() => Compare.RequireStringIfTruthy(heap, TestText.Parse(heap, "[\"ios\"]"), "context.os.name"));
        Assert.Equal(JsHeap.Null, Compare.RequireStringIfTruthy(heap, JsHeap.Null, "context.os.name"));
        Assert.Equal(JsHeap.False, Compare.RequireStringIfTruthy(heap, JsHeap.False, "context.os.name"));
        int zero = heap.NewNumber(0);
        Assert.Equal(zero, Compare.RequireStringIfTruthy(heap, zero, "context.os.name"));
        Assert.False(Compare.LowerEquals(heap, heap.NewNumber(5), "5"u8));
    }

    /// <summary>event → <c>!!v &amp;&amp; String(v).toLowerCase() === "order completed"</c>, or THROWS (§14.2, D1).</summary>
    public static TheoryData<string, string> OrderCompleted => new()
    {
        { "\"Order Completed\"", "true" },
        { "\"order completed\"", "true" },
        { "\"ORDER COMPLETED\"", "true" },
        { "\"Order Completed \"", "false" },
        { "\" Order Completed\"", "false" },
        { "\"Order  Completed\"", "false" },
        { "\"OrderCompleted\"", "false" },
        { "[\"Order Completed\"]", "true" },
        { "[[\"order completed\"]]", "true" },
        { "[\"Order\",\"Completed\"]", "false" },
        { "[\"Order Completed\",null]", "false" },
        { "[null,\"Order Completed\"]", "false" },
        { "0", "false" },
        { "false", "false" },
        { "\"\"", "false" },
        { "null", "false" },
        { "{}", "false" },
        { "5", "false" },
        { "true", "false" },
        { "[]", "false" },
        { "{\"toString\":1}", "THROWS" },
        { "[{\"toString\":1}]", "THROWS" },
        { "{\"valueOf\":1}", "false" },
        { "\"ORDER COMPLETED\\u0000\"", "false" },
        { "\"Order Completed\\u212a\"", "false" },
        { "\"\\u0130rder completed\"", "false" },
    };

    [Theory]
    [MemberData(nameof(OrderCompleted))]
    public void EventNames_Matches_is_String_then_toLowerCase(string value, string expected)
    {
        var heap = new JsHeap();
        int v = TestText.Parse(heap, value);
        string actual;
        try
        {
            actual = EventNames.Matches(heap, v, "order completed"u8, "event") ? "true" : "false";
        }
        catch (JsTypeError)
        {
            actual = "THROWS";
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Comparisons_allocate_nothing_once_warm()
    {
        var heap = new JsHeap();
        var input = TestText.ToWtf8("[\"IOS\",[\"Order Completed\"],\"FEMALE\",0]");
        Allocations.AssertNone(() =>
        {
            heap.Reset();
            int a = heap.Parse(input);
            Compare.LowerInStrings(heap, heap.ArrayElement(a, 0), Apple);
            EventNames.Matches(heap, heap.ArrayElement(a, 1), "order completed"u8, "event");
            Compare.InStrings(heap, heap.ArrayElement(a, 2), Female);
            Compare.NumberEquals(heap, heap.ArrayElement(a, 3), 0);
            JsConvert.LowerCaseEquals(heap, heap.ArrayElement(a, 0), "ios"u8, "os");
        });
    }
}
