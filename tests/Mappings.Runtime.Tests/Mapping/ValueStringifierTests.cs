using Mappings.Runtime.Js;
using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Mapping;

/// <summary>
/// Stringification of nested values (spec §3.5) against the reference's
/// <c>convertObjectAndArrayToString</c> in Node 20, applied to truthy values only: keys in
/// <c>Object.keys</c> order (strings spread their UTF-16 code units, arrays their indices, numbers and
/// booleans nothing), truthy objects/arrays become their <c>JSON.stringify</c> text except under
/// <c>category-unsubscribe</c>/<c>category-resubscribe</c> (case-sensitive). And the Charged
/// <c>Items</c> rule (spec §5.4): after stringification a truthy Items is <c>JSON.parse</c>d and must be
/// an array whose first element is an object (or null or an array).
/// </summary>
public class ValueStringifierTests
{
    private static readonly KeySet Except = new("category-unsubscribe", "category-resubscribe");

    public static TheoryData<string, string> Stringify => new()
    {
        { "{\"a\":{\"b\":1},\"c\":[1,2],\"d\":\"s\",\"e\":5,\"f\":null,\"g\":true,\"h\":{},\"i\":[],\"j\":0,\"k\":false,\"l\":\"\"}", "{\"a\":\"{\\\"b\\\":1}\",\"c\":\"[1,2]\",\"d\":\"s\",\"e\":5,\"f\":null,\"g\":true,\"h\":\"{}\",\"i\":\"[]\",\"j\":0,\"k\":false,\"l\":\"\"}" },
        { "{\"category-unsubscribe\":{\"email\":[\"M\"]},\"category-resubscribe\":[\"x\"],\"Category-unsubscribe\":{\"a\":1},\"category-unsubscribe \":[1],\"categoryunsubscribe\":{}}", "{\"category-unsubscribe\":{\"email\":[\"M\"]},\"category-resubscribe\":[\"x\"],\"Category-unsubscribe\":\"{\\\"a\\\":1}\",\"category-unsubscribe \":\"[1]\",\"categoryunsubscribe\":\"{}\"}" },
        { "{\"nested\":{\"z\":1,\"10\":2,\"a\":{\"s\":\"q\\\"\\\\\\n\\u0000\\ud800{U+2028}\"}},\"num\":[1.0,-0,1e21,1e-7,12345678901234567890]}", "{\"nested\":\"{\\\"10\\\":2,\\\"z\\\":1,\\\"a\\\":{\\\"s\\\":\\\"q\\\\\\\"\\\\\\\\\\\\n\\\\u0000\\\\ud800{U+2028}\\\"}}\",\"num\":\"[1,0,1e+21,1e-7,12345678901234567000]\"}" },
        { "{\"a\":[null,{}],\"b\":[[]],\"c\":{\"d\":null}}", "{\"a\":\"[null,{}]\",\"b\":\"[[]]\",\"c\":\"{\\\"d\\\":null}\"}" },
        { "{\"b\":1,\"1\":{\"x\":1},\"a\":[0]}", "{\"1\":\"{\\\"x\\\":1}\",\"b\":1,\"a\":\"[0]\"}" },
        { "\"abc\"", "{\"0\":\"a\",\"1\":\"b\",\"2\":\"c\"}" },
        { "\"\"", "\"\"" },
        { "\"{U+1F600}x\"", "{\"0\":\"\\ud83d\",\"1\":\"\\ude00\",\"2\":\"x\"}" },
        { "[1,{\"a\":1},[2],null]", "{\"0\":1,\"1\":\"{\\\"a\\\":1}\",\"2\":\"[2]\",\"3\":null}" },
        { "[]", "{}" },
        { "{}", "{}" },
        { "5", "{}" },
        { "0", "0" },
        { "true", "{}" },
        { "false", "false" },
        { "null", "null" },
        { "{\"dup\":{\"a\":1,\"a\":2}}", "{\"dup\":\"{\\\"a\\\":2}\"}" },
        { "{\"employed\":{\"a\":1},\"Employed\":\"x\"}", "{\"employed\":\"{\\\"a\\\":1}\",\"Employed\":\"x\"}" },
    };

    [Theory]
    [MemberData(nameof(Stringify))]
    public void Apply_matches_convertObjectAndArrayToString(string input, string expected)
    {
        var heap = new JsHeap();
        int result = ValueStringifier.Apply(heap, TestText.Parse(heap, input), Except);
        Assert.Equal(expected, TestText.Describe(heap, result));
    }

    /// <summary>evtData → JSON of the result, or REJECTED (400 "Products property value must be an array of objects"), or THROWS (JSON.parse SyntaxError, D1).</summary>
    public static TheoryData<string, string> ChargedItems => new()
    {
        { "{\"Charged ID\":\"c\",\"Items\":[{\"a\":1}],\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[{\"a\":1}],\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":[],\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":[1],\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":[\"a\"],\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":[null],\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[null],\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":[[1]],\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[[1]],\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":{},\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":{\"a\":1},\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":5,\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":0,\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":0,\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":true,\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":false,\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":false,\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":\"\",\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":\"\",\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":null,\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":null,\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":\"[{\\\"a\\\":1}]\",\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[{\"a\":1}],\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":\"  [ {} ]\\n\",\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[{}],\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":\"[1]\",\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":\"[null]\",\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[null],\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":\"[]\",\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":\"{}\",\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":\"abc\",\"x\":{\"y\":1}}", "THROWS" },
        { "{\"Charged ID\":\"c\",\"Items\":\"[{}] x\",\"x\":{\"y\":1}}", "THROWS" },
        { "{\"Charged ID\":\"c\",\"Items\":\"[{},]\",\"x\":{\"y\":1}}", "THROWS" },
        { "{\"Charged ID\":\"c\",\"Items\":\"[{}]//c\",\"x\":{\"y\":1}}", "THROWS" },
        { "{\"Charged ID\":\"c\",\"Items\":\"\\\"[{}]\\\"\",\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":\"5\",\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":\"true\",\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":\"null\",\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":\"[{\\\"a\\\":1,\\\"a\\\":2,\\\"1\\\":0}]\",\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[{\"1\":0,\"a\":2}],\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":\"[{\\\"n\\\":1e400,\\\"m\\\":1.50}]\",\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[{\"n\":null,\"m\":1.5}],\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":\"[\\\"\\\\ud800\\\"]\",\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":\"\\ufeff[{}]\",\"x\":{\"y\":1}}", "THROWS" },
        { "{\"Charged ID\":\"c\",\"Items\":\"\\\"\\ud800\\\"\",\"x\":{\"y\":1}}", "REJECTED" },
        { "{\"Charged ID\":\"c\",\"Items\":[{\"z\":1,\"10\":2}],\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[{\"10\":2,\"z\":1}],\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":[{\"s\":\"\\u2028<>\"}],\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[{\"s\":\"{U+2028}<>\"}],\"x\":\"{\\\"y\\\":1}\"}" },
        // A JSON round trip: a number JSON cannot hold becomes null (so [Infinity] is an array of objects).
        { "{\"Charged ID\":\"c\",\"Items\":[1e309],\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[null],\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":[{\"a\":1e309}],\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[{\"a\":null}],\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":[[1e309]],\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[[null]],\"x\":\"{\\\"y\\\":1}\"}" },
    };

    /// <summary>
    /// A products/Items string holding a raw lone surrogate, in a value or a key (written
    /// <c>\ud800</c> in the request):
    /// <c>JSON.parse</c> keeps it and JSON.stringify writes it as <c>\ud800</c>, never as raw bytes
    /// (the heap's parser checks unescaped text that comes from a string).
    /// </summary>
    public static TheoryData<string, string> ChargedItemsEdgeCases => new()
    {
        { "{\"Charged ID\":\"c\",\"Items\":\"[{\\\"k\\\":\\\"\\ud800\\\"}]\",\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[{\"k\":\"\\ud800\"}],\"x\":\"{\\\"y\\\":1}\"}" },
        { "{\"Charged ID\":\"c\",\"Items\":\"[{\\\"\\udc00\\\":1}]\",\"x\":{\"y\":1}}", "{\"Charged ID\":\"c\",\"Items\":[{\"\\udc00\":1}],\"x\":\"{\\\"y\\\":1}\"}" },
    };

    [Theory]
    [MemberData(nameof(ChargedItemsEdgeCases))]
    public void Items_are_parsed_back_and_validated_edge_cases(string evtData, string expected) =>
        Items_are_parsed_back_and_validated(evtData, expected);

    [Theory]
    [MemberData(nameof(ChargedItems))]
    public void Items_are_parsed_back_and_validated(string evtData, string expected)
    {
        var heap = new JsHeap();
        int value = TestText.Parse(heap, evtData);
        string actual;
        try
        {
            int result = ValueStringifier.Apply(heap, value, Except, "Items"u8, true, "properties.products");
            actual = result == ValueStringifier.Rejected ? "REJECTED" : TestText.Describe(heap, result);
        }
        catch (JsTypeError)
        {
            actual = "THROWS";
        }
        Assert.Equal(expected, actual);
    }

    /// <summary>In place, on an object the mapper built (a copy of the input): the same result.</summary>
    [Theory]
    [MemberData(nameof(Stringify))]
    public void ApplyInPlace_matches_Apply_on_built_objects(string input, string expected)
    {
        var heap = new JsHeap();
        int value = TestText.Parse(heap, input);
        if (heap.TypeOf(value) != JsType.Object) return; // only objects are built and stringified in place
        int built = heap.MakeMutable(value);
        Assert.Equal(built, ValueStringifier.ApplyInPlace(heap, built, Except));
        Assert.Equal(expected, TestText.Describe(heap, built));
    }

    [Theory]
    [MemberData(nameof(ChargedItems))]
    public void ApplyInPlace_parses_Items_as_Apply_does(string evtData, string expected)
    {
        var heap = new JsHeap();
        int built = heap.MakeMutable(TestText.Parse(heap, evtData));
        string actual;
        try
        {
            int result = ValueStringifier.ApplyInPlace(heap, built, Except, "Items"u8, true, "properties.products");
            actual = result == ValueStringifier.Rejected ? "REJECTED" : TestText.Describe(heap, result);
        }
        catch (JsTypeError)
        {
            actual = "THROWS";
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Apply_allocates_nothing_once_warm()
    {
        var inputs = Stringify.Select(r => TestText.ToWtf8((string)r[0])).ToArray();
        var items = TestText.ToWtf8("{\"Items\":\"[{\\\"a\\\":1}]\",\"x\":{\"y\":[1]}}");
        var heap = new JsHeap();
        var output = new ByteBuffer();
        Allocations.AssertNone(() =>
        {
            foreach (var input in inputs)
            {
                heap.Reset();
                output.Clear();
                heap.Stringify(ValueStringifier.Apply(heap, heap.Parse(input), Except), output);
            }
            heap.Reset();
            output.Clear();
            heap.Stringify(ValueStringifier.Apply(heap, heap.Parse(items), Except, "Items"u8, true, "Items"), output);
        }, warmup: 5, iterations: 50);
    }
}
