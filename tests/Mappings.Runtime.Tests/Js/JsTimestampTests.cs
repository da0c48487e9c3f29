using Mappings.Runtime.Js;
using Mappings.Runtime.Json;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Js;

/// <summary>
/// The timestamp rule (spec §3.9, §5.7, §6.4) against Node 20 with <c>TZ=UTC</c> (D2):
/// <c>v &amp;&amp; (Number(v) === 0 || isNaN(Number(v))) ? Math.floor(new Date(String(v)).getTime() / 1000) : v</c>,
/// written with <c>JSON.stringify</c> (NaN → null); THROWS where <c>Number(v)</c> throws (§14.2, D1).
/// </summary>
public class JsTimestampTests
{
    public static TheoryData<string, string> Values => new()
    {
        { "\"2021-03-10T11:59:22.080Z\"", "1615377562" },
        { "\"2021-03-10\"", "1615334400" },
        { "\"2021-03-10T11:59:22\"", "1615377562" },
        { "\"2021-03-10T11:59:22.080+05:30\"", "1615357762" },
        { "\"0\"", "946684800" },
        { "\" 0 \"", "946684800" },
        { "\"-0\"", "946684800" },
        { "\"0x0\"", "null" },
        { "\"0.0\"", "null" },
        { "\"00\"", "946684800" },
        { "\"garbage\"", "null" },
        { "{}", "null" },
        { "[]", "null" },
        { "[\"2021-03-10\"]", "1615334400" },
        { "[\"2021-03-10\",\"x\"]", "null" },
        { "[0]", "946684800" },
        { "[[]]", "null" },
        { "[\"0\"]", "946684800" },
        { "\"Wed, 10 Mar 2021 11:59:22 GMT\"", "1615377562" },
        { "\"March 10, 2021\"", "1615334400" },
        { "\"2021/03/10\"", "1615334400" },
        { "\"1969-12-31T23:59:59.500Z\"", "-1" },
        { "\"1969-12-31T23:59:59.999Z\"", "-1" },
        { "\"1970-01-01T00:00:00.000Z\"", "0" },
        { "\"1615377562\"", "\"1615377562\"" },
        { "1615377562", "1615377562" },
        { "1615377562080", "1615377562080" },
        { "1.5", "1.5" },
        { "true", "true" },
        { "false", "false" },
        { "0", "0" },
        { "-0", "0" },
        { "\"\"", "\"\"" },
        { "null", "null" },
        { "[5]", "[5]" },
        { "[\"5\"]", "[\"5\"]" },
        { "\"1e3\"", "\"1e3\"" },
        { "\"Infinity\"", "\"Infinity\"" },
        { "\"-Infinity\"", "\"-Infinity\"" },
        { "\"NaN\"", "null" },
        { "\"10/14/2019\"", "1571011200" },
        { "\"2019-10-14 09:03:17\"", "1571043797" },
        { "\"Oct 14 2019\"", "1571011200" },
        { "\"14 Oct 2019 10:00 GMT+0530\"", "1571027400" },
        { "\"+275760-09-13T00:00:00.000Z\"", "8640000000000" },
        { "\"+275760-09-13T00:00:00.001Z\"", "null" },
        { "\"-271821-04-20T00:00:00.000Z\"", "-8640000000000" },
        { "\"2021-02-30\"", "1614643200" },
        { "\"2021-13-01\"", "null" },
        { "\"2021-03-10T24:00:00Z\"", "1615420800" },
        { "\"  2021-03-10T11:59:22Z  \"", "null" },
        { "{\"valueOf\":1}", "null" },
        { "{\"toString\":1}", "THROWS" },
        { "[{\"toString\":1}]", "THROWS" },
        { "\"2021-03-10T11:59:22.080z\"", "1615377562" },
        { "\"2021-03-10t11:59:22Z\"", "1615377562" },
        { "\"20210310\"", "\"20210310\"" },
        { "\"Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)\"", "0" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void ToUnixSeconds_matches_the_reference(string input, string expected)
    {
        var heap = new JsHeap();
        int value = TestText.Parse(heap, input);
        string actual;
        try
        {
            int result = JsTimestamp.ToUnixSeconds(heap, value, "ts");
            actual = TestText.Describe(heap, result);
            if (expected == TestText.Describe(heap, value)) Assert.Equal(value, result); // kept unchanged, JSON type included
        }
        catch (JsTypeError)
        {
            actual = "THROWS";
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ToUnixSeconds_allocates_nothing_once_warm()
    {
        var inputs = Values.Where(r => (string)r[1] != "THROWS").Select(r => TestText.ToWtf8((string)r[0])).ToArray();
        var heap = new JsHeap();
        Allocations.AssertNone(() =>
        {
            foreach (var input in inputs)
            {
                heap.Reset();
                JsTimestamp.ToUnixSeconds(heap, heap.Parse(input), "ts");
            }
        }, warmup: 5, iterations: 50);
    }
}
