using Mappings.Runtime.Js;
using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Js;

/// <summary>
/// Handlebars 4.7.9 rendering of <c>{{value}}</c> (spec §6.7, §14.3) and the page/screen name
/// templates, against Node 20: null → "", false/0 → "false"/"0", other values through
/// <c>String()</c>, then <c>&amp; &lt; &gt; " ' ` =</c> HTML-escaped; an object with a truthy own
/// <c>toHTML</c> throws (D1). Page names: template trimmed, rendered, result trimmed (JS whitespace).
/// </summary>
public class HandlebarsTests
{
    /// <summary>value → <c>Handlebars.compile("{{value}}")({value})</c>, or THROWS.</summary>
    public static TheoryData<string, string> Values => new()
    {
        { "\"Rudder\"", "Rudder" },
        { "\"a&b\"", "a&amp;b" },
        { "\"<script>alert(1)</script>\"", "&lt;script&gt;alert(1)&lt;/script&gt;" },
        { "\"\\\"q\\\"\"", "&quot;q&quot;" },
        { "\"it's\"", "it&#x27;s" },
        { "\"`tick`\"", "&#x60;tick&#x60;" },
        { "\"a=b\"", "a&#x3D;b" },
        { "\"&amp;\"", "&amp;amp;" },
        { "\"&<>\\\"'`=\"", "&amp;&lt;&gt;&quot;&#x27;&#x60;&#x3D;" },
        { "\"\"", "" },
        { "\" \"", " " },
        { "\"/\\\\\"", "/\\" },
        { "\"\\ud800\"", "{U+D800}" },
        { "\"\\ud83d\\ude00&\"", "{U+1F600}&amp;" },
        { "\"{U+00E9}<\"", "{U+00E9}&lt;" },
        { "\"{{value}}\"", "{{value}}" },
        { "\"\\n\"", "{U+000A}" },
        { "0", "0" },
        { "-0", "0" },
        { "1.5", "1.5" },
        { "1e21", "1e+21" },
        { "false", "false" },
        { "true", "true" },
        { "null", "" },
        { "[]", "" },
        { "[1,2]", "1,2" },
        { "[null]", "" },
        { "[\"<\",\">\"]", "&lt;,&gt;" },
        { "[[],[\"&\"]]", ",&amp;" },
        { "{}", "[object Object]" },
        { "{\"a\":\"<\"}", "[object Object]" },
        { "{\"toHTML\":1}", "THROWS" },
        { "{\"toHTML\":\"x\"}", "THROWS" },
        { "{\"toHTML\":0}", "[object Object]" },
        { "{\"toHTML\":\"\"}", "[object Object]" },
        { "{\"toHTML\":null}", "[object Object]" },
        { "{\"toHTML\":false}", "[object Object]" },
        { "{\"toString\":1}", "THROWS" },
        { "[{\"toHTML\":1}]", "[object Object]" },
        { "[{\"toString\":1}]", "THROWS" },
        { "{\"valueOf\":1}", "[object Object]" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void AppendEscapedValue_matches_Handlebars(string input, string expected)
    {
        var heap = new JsHeap();
        int value = TestText.Parse(heap, input);
        var output = new ByteBuffer();
        string actual;
        try
        {
            Handlebars.AppendEscapedValue(heap, value, output, "name");
            actual = TestText.Show(output.WrittenSpan);
        }
        catch (JsTypeError)
        {
            actual = "THROWS";
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Undefined_renders_as_nothing()
    {
        var heap = new JsHeap();
        var output = new ByteBuffer();
        Handlebars.AppendEscapedValue(heap, JsHeap.Undefined, output, "name");
        Assert.Equal(0, output.Length);
    }

    /// <summary>literal part, value → <c>Handlebars.compile(template.trim())({value}).trim()</c>.</summary>
    public static TheoryData<string, string, string> PageNames => new()
    {
        { "Web Page Viewed: ", "\"Rudder\"", "Web Page Viewed: Rudder" },
        { "Web Page Viewed: ", "\"  \"", "Web Page Viewed:" },
        { "Web Page Viewed: ", "\"\\nA\\n\"", "Web Page Viewed: {U+000A}A" },
        { "Web Page Viewed: ", "\"\\u00a0x\\u0085\"", "Web Page Viewed: {U+00A0}x{U+0085}" },
        { "Web Page Viewed: ", "\"x\\ufeff\"", "Web Page Viewed: x" },
        { "Web Page Viewed: ", "\" & \"", "Web Page Viewed:  &amp;" },
        { "Web Page Viewed: ", "\"\\u2028\"", "Web Page Viewed:" },
        { "Web Page Viewed: ", "0", "Web Page Viewed: 0" },
        { "Web Page Viewed: ", "false", "Web Page Viewed: false" },
        { "Web Page Viewed: ", "[]", "Web Page Viewed:" },
        { "Web Page Viewed: ", "[\" a \"]", "Web Page Viewed:  a" },
        { "Web Page Viewed: ", "{}", "Web Page Viewed: [object Object]" },
        { "Web Page Viewed: ", "\"\\ud800 \"", "Web Page Viewed: {U+D800}" },
        { "Web Page Viewed: ", "\"Order Completed\"", "Web Page Viewed: Order Completed" },
        { "Screen Viewed: ", "\"Rudder\"", "Screen Viewed: Rudder" },
        { "Screen Viewed: ", "\"  \"", "Screen Viewed:" },
        { "Screen Viewed: ", "\"\\nA\\n\"", "Screen Viewed: {U+000A}A" },
        { "Screen Viewed: ", "\"\\u00a0x\\u0085\"", "Screen Viewed: {U+00A0}x{U+0085}" },
        { "Screen Viewed: ", "\"x\\ufeff\"", "Screen Viewed: x" },
        { "Screen Viewed: ", "\" & \"", "Screen Viewed:  &amp;" },
        { "Screen Viewed: ", "\"\\u2028\"", "Screen Viewed:" },
        { "Screen Viewed: ", "0", "Screen Viewed: 0" },
        { "Screen Viewed: ", "false", "Screen Viewed: false" },
        { "Screen Viewed: ", "[]", "Screen Viewed:" },
        { "Screen Viewed: ", "[\" a \"]", "Screen Viewed:  a" },
        { "Screen Viewed: ", "{}", "Screen Viewed: [object Object]" },
        { "Screen Viewed: ", "\"\\ud800 \"", "Screen Viewed: {U+D800}" },
        { "Screen Viewed: ", "\"Order Completed\"", "Screen Viewed: Order Completed" },
    };

    [Theory]
    [MemberData(nameof(PageNames))]
    public void Page_and_screen_names_match_the_reference(string literal, string input, string expected)
    {
        var heap = new JsHeap();
        int value = TestText.Parse(heap, input);
        var buffer = heap.RentBuffer();
        Templates.AppendLiteral(buffer, TestText.ToWtf8(literal));
        Templates.AppendHtmlEscaped(heap, buffer, value, "name");
        int name = Templates.Finish(heap, buffer, trim: true);
        Assert.Equal(expected, TestText.Show(heap.StringBytes(name)));
    }

    [Fact]
    public void Rendering_allocates_nothing_once_warm()
    {
        var inputs = Values.Where(r => (string)r[1] != "THROWS").Select(r => TestText.ToWtf8((string)r[0])).ToArray();
        var literal = TestText.ToWtf8("Web Page Viewed: ");
        var heap = new JsHeap();
        Allocations.AssertNone(() =>
        {
            foreach (var input in inputs)
            {
                heap.Reset();
                int value = heap.Parse(input);
                var buffer = heap.RentBuffer();
                Templates.AppendLiteral(buffer, literal);
                Templates.AppendHtmlEscaped(heap, buffer, value, "name");
                Templates.Finish(heap, buffer, trim: true);
            }
        }, warmup: 5, iterations: 50);
    }
}
