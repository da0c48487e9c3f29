using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Mapping;

/// <summary>
/// Path writes (<see cref="PathWriter.Set"/>) against set-value 4.1.0 behind the wrapper of
/// @rudderstack/integrations-lib 0.2.74 (spec §6.3, §14.5): dots nest (a backslash escapes the next
/// character, a trailing backslash appends "undefined"), keys with '/' are literal, the empty key
/// writes nothing, a trailing empty segment is dropped, non-blank segments that are integers for
/// <c>Number()</c> ("007", "1e3", " 1", "0x1f", "-0") become numbers (and, below a segment, arrays),
/// and a segment <c>__proto__</c>, <c>constructor</c> or <c>prototype</c> makes the whole key literal
/// (segments joined with '.', numeric ones as numbers). Rows: initial object, the writes
/// <c>[[key, value], …]</c> applied in order, and <c>JSON.stringify</c> of the result in Node 20.
/// </summary>
public class PathWriterTests
{
    public static TheoryData<string, string, string> Writes => new()
    {
        { "{}", "[[\"a\",1]]", "{\"a\":1}" },
        { "{}", "[[\"a.b\",1]]", "{\"a\":{\"b\":1}}" },
        { "{}", "[[\"a.b.c\",1]]", "{\"a\":{\"b\":{\"c\":1}}}" },
        { "{}", "[[\"a\\\\.b\",1]]", "{\"a.b\":1}" },
        { "{}", "[[\"a\\\\\\\\.b\",1]]", "{\"a\\\\\":{\"b\":1}}" },
        { "{}", "[[\"a\\\\\\\\\\\\.b\",1]]", "{\"a\\\\.b\":1}" },
        { "{}", "[[\"a.\",1]]", "{\"a\":1}" },
        { "{}", "[[\"a..\",1]]", "{\"a\":{\"\":1}}" },
        { "{}", "[[\"a..b\",1]]", "{\"a\":{\"\":{\"b\":1}}}" },
        { "{}", "[[\".a\",1]]", "{\"\":{\"a\":1}}" },
        { "{}", "[[\".\",1]]", "{\"\":1}" },
        { "{}", "[[\"..\",1]]", "{\"\":{\"\":1}}" },
        { "{}", "[[\"...\",1]]", "{\"\":{\"\":{\"\":1}}}" },
        { "{}", "[[\"\",1]]", "{}" },
        { "{}", "[[\"a\\\\b\",1]]", "{\"ab\":1}" },
        { "{}", "[[\"\\\\.\",1]]", "{\".\":1}" },
        { "{}", "[[\"\\\\\\\\\",1]]", "{\"\\\\\":1}" },
        { "{}", "[[\"007\",1]]", "{\"7\":1}" },
        { "{}", "[[\"1e3\",1]]", "{\"1000\":1}" },
        { "{}", "[[\" 1\",1]]", "{\"1\":1}" },
        { "{}", "[[\"1 \",1]]", "{\"1\":1}" },
        { "{}", "[[\"{U+00A0}1\",1]]", "{\"1\":1}" },
        { "{}", "[[\"{U+0085}1\",1]]", "{\"{U+0085}1\":1}" },
        { "{}", "[[\"{U+FEFF}2\",1]]", "{\"2\":1}" },
        { "{}", "[[\"-0\",1]]", "{\"0\":1}" },
        { "{}", "[[\"0\",1]]", "{\"0\":1}" },
        { "{}", "[[\"00\",1]]", "{\"0\":1}" },
        { "{}", "[[\"0.0\",1]]", "{\"0\":[1]}" },
        { "{}", "[[\"+5\",1]]", "{\"5\":1}" },
        { "{}", "[[\"5.\",1]]", "{\"5\":1}" },
        { "{}", "[[\".5\",1]]", "{\"\":[null,null,null,null,null,1]}" },
        { "{}", "[[\"0x1f\",1]]", "{\"31\":1}" },
        { "{}", "[[\"0b11\",1]]", "{\"3\":1}" },
        { "{}", "[[\"0o7\",1]]", "{\"7\":1}" },
        { "{}", "[[\"-0x1\",1]]", "{\"-0x1\":1}" },
        { "{}", "[[\"1e21\",1]]", "{\"1e+21\":1}" },
        { "{}", "[[\"1e-7\",1]]", "{\"1e-7\":1}" },
        { "{}", "[[\"5e-1\",1]]", "{\"5e-1\":1}" },
        { "{}", "[[\"1e0\",1]]", "{\"1\":1}" },
        { "{}", "[[\"1e400\",1]]", "{\"1e400\":1}" },
        { "{}", "[[\"Infinity\",1]]", "{\"Infinity\":1}" },
        { "{}", "[[\"-1\",1]]", "{\"-1\":1}" },
        { "{}", "[[\"4294967295\",1]]", "{\"4294967295\":1}" },
        { "{}", "[[\"4294967294\",1]]", "{\"4294967294\":1}" },
        { "{}", "[[\"9007199254740993\",1]]", "{\"9007199254740992\":1}" },
        { "{}", "[[\"NaN\",1]]", "{\"NaN\":1}" },
        { "{}", "[[\" \",1]]", "{\" \":1}" },
        { "{}", "[[\"\\t\",1]]", "{\"\\t\":1}" },
        { "{}", "[[\"x.0\",1]]", "{\"x\":[1]}" },
        { "{}", "[[\"x.007\",1]]", "{\"x\":[null,null,null,null,null,null,null,1]}" },
        { "{}", "[[\"x.1e1\",1]]", "{\"x\":[null,null,null,null,null,null,null,null,null,null,1]}" },
        { "{}", "[[\"x. 1\",1]]", "{\"x\":[null,1]}" },
        { "{}", "[[\"x.\\t2\",1]]", "{\"x\":[null,null,1]}" },
        { "{}", "[[\"x.-1\",1]]", "{\"x\":[]}" },
        { "{}", "[[\"x.-0\",1]]", "{\"x\":[1]}" },
        { "{}", "[[\"x.0x2\",1]]", "{\"x\":[null,null,1]}" },
        { "{}", "[[\"x.1.5\",1]]", "{\"x\":[null,[null,null,null,null,null,1]]}" },
        { "{}", "[[\"x.0.y\",1]]", "{\"x\":[{\"y\":1}]}" },
        { "{}", "[[\"x.2\",1]]", "{\"x\":[null,null,1]}" },
        { "{}", "[[\"x.4294967295\",1]]", "{\"x\":[]}" },
        { "{}", "[[\"x.1e21\",1]]", "{\"x\":[]}" },
        { "{}", "[[\"x.Infinity\",1]]", "{\"x\":{\"Infinity\":1}}" },
        { "{}", "[[\"x.1e-7\",1]]", "{\"x\":{\"1e-7\":1}}" },
        { "{}", "[[\"x. \",1]]", "{\"x\":{\" \":1}}" },
        { "{}", "[[\"x.0.0\",1]]", "{\"x\":[[1]]}" },
        { "{}", "[[\"x.a.0\",1]]", "{\"x\":{\"a\":[1]}}" },
        { "{}", "[[\"0.a\",1]]", "{\"0\":{\"a\":1}}" },
        { "{}", "[[\"0.0.a\",1]]", "{\"0\":[{\"a\":1}]}" },
        { "{}", "[[\"a/b\",1]]", "{\"a/b\":1}" },
        { "{}", "[[\"a/b.c\",1]]", "{\"a/b.c\":1}" },
        { "{}", "[[\"a.b/c.d\",1]]", "{\"a.b/c.d\":1}" },
        { "{}", "[[\"/\",1]]", "{\"/\":1}" },
        { "{}", "[[\"a\\\\.b/c\",1]]", "{\"a\\\\.b/c\":1}" },
        { "{}", "[[\"007/\",1]]", "{\"007/\":1}" },
        { "{}", "[[\"x.0/1\",1]]", "{\"x.0/1\":1}" },
        { "{}", "[[\"a.constructor\",1]]", "{\"a.constructor\":1}" },
        { "{}", "[[\"constructor.a\",1]]", "{\"constructor.a\":1}" },
        { "{}", "[[\"__proto__.x\",1]]", "{\"__proto__.x\":1}" },
        { "{}", "[[\"a.prototype.b\",1]]", "{\"a.prototype.b\":1}" },
        { "{}", "[[\"a.__proto__\",1]]", "{\"a.__proto__\":1}" },
        { "{}", "[[\"constructor\",1]]", "{\"constructor\":1}" },
        { "{}", "[[\"prototype\",1]]", "{\"prototype\":1}" },
        { "{}", "[[\"__proto__\",1]]", "{\"__proto__\":1}" },
        { "{}", "[[\"a\\\\.constructor\",1]]", "{\"a.constructor\":1}" },
        { "{}", "[[\"constructor\\\\.x\",1]]", "{\"constructor.x\":1}" },
        { "{}", "[[\"a..constructor\",1]]", "{\"a..constructor\":1}" },
        { "{}", "[[\"a.constructor.\",1]]", "{\"a.constructor\":1}" },
        { "{}", "[[\"a\\\\.b.constructor\",1]]", "{\"a.b.constructor\":1}" },
        { "{}", "[[\"constructors\",1]]", "{\"constructors\":1}" },
        { "{}", "[[\"a.Constructor\",1]]", "{\"a\":{\"Constructor\":1}}" },
        { "{}", "[[\"k{U+00E9}y.{U+00FC}\",1]]", "{\"k{U+00E9}y\":{\"{U+00FC}\":1}}" },
        { "{}", "[[\"{U+1F600}.x\",1]]", "{\"{U+1F600}\":{\"x\":1}}" },
        { "{}", "[[\"a.{U+2028}\",1]]", "{\"a\":{\"{U+2028}\":1}}" },
        { "{}", "[[\"a.b\",null]]", "{\"a\":{\"b\":null}}" },
        { "{}", "[[\"a.b\",\"v\"]]", "{\"a\":{\"b\":\"v\"}}" },
        { "{}", "[[\"a.b\",[1,2]]]", "{\"a\":{\"b\":[1,2]}}" },
        { "{}", "[[\"a.b\",{\"k\":1}]]", "{\"a\":{\"b\":{\"k\":1}}}" },
        { "{}", "[[\"a.b\",0]]", "{\"a\":{\"b\":0}}" },
        { "{}", "[[\"a.b\",false]]", "{\"a\":{\"b\":false}}" },
        { "{}", "[[\"a.b\",\"\"]]", "{\"a\":{\"b\":\"\"}}" },
        { "{}", "[[\"x.0\",null]]", "{\"x\":[null]}" },
        { "{}", "[[\"x.0\",\"v\"]]", "{\"x\":[\"v\"]}" },
        { "{}", "[[\"x.0\",[1,2]]]", "{\"x\":[[1,2]]}" },
        { "{}", "[[\"x.0\",{\"k\":1}]]", "{\"x\":[{\"k\":1}]}" },
        { "{}", "[[\"x.0\",0]]", "{\"x\":[0]}" },
        { "{}", "[[\"x.0\",false]]", "{\"x\":[false]}" },
        { "{}", "[[\"x.0\",\"\"]]", "{\"x\":[\"\"]}" },
        { "{}", "[[\"a.constructor\",null]]", "{\"a.constructor\":null}" },
        { "{}", "[[\"a.constructor\",\"v\"]]", "{\"a.constructor\":\"v\"}" },
        { "{}", "[[\"a.constructor\",[1,2]]]", "{\"a.constructor\":[1,2]}" },
        { "{}", "[[\"a.constructor\",{\"k\":1}]]", "{\"a.constructor\":{\"k\":1}}" },
        { "{}", "[[\"a.constructor\",0]]", "{\"a.constructor\":0}" },
        { "{}", "[[\"a.constructor\",false]]", "{\"a.constructor\":false}" },
        { "{}", "[[\"a.constructor\",\"\"]]", "{\"a.constructor\":\"\"}" },
        { "{}", "[[\"007\",null]]", "{\"7\":null}" },
        { "{}", "[[\"007\",\"v\"]]", "{\"7\":\"v\"}" },
        { "{}", "[[\"007\",[1,2]]]", "{\"7\":[1,2]}" },
        { "{}", "[[\"007\",{\"k\":1}]]", "{\"7\":{\"k\":1}}" },
        { "{}", "[[\"007\",0]]", "{\"7\":0}" },
        { "{}", "[[\"007\",false]]", "{\"7\":false}" },
        { "{}", "[[\"007\",\"\"]]", "{\"7\":\"\"}" },
        { "{}", "[[\"a\\\\.b\",null]]", "{\"a.b\":null}" },
        { "{}", "[[\"a\\\\.b\",\"v\"]]", "{\"a.b\":\"v\"}" },
        { "{}", "[[\"a\\\\.b\",[1,2]]]", "{\"a.b\":[1,2]}" },
        { "{}", "[[\"a\\\\.b\",{\"k\":1}]]", "{\"a.b\":{\"k\":1}}" },
        { "{}", "[[\"a\\\\.b\",0]]", "{\"a.b\":0}" },
        { "{}", "[[\"a\\\\.b\",false]]", "{\"a.b\":false}" },
        { "{}", "[[\"a\\\\.b\",\"\"]]", "{\"a.b\":\"\"}" },
        { "{}", "[[\"a.b\",1],[\"a.c\",2]]", "{\"a\":{\"b\":1,\"c\":2}}" },
        { "{}", "[[\"a\",1],[\"a.b\",2]]", "{\"a\":{\"b\":2}}" },
        { "{}", "[[\"a.b\",1],[\"a\",5]]", "{\"a\":5}" },
        { "{}", "[[\"x.0\",1],[\"x.1\",2]]", "{\"x\":[1,2]}" },
        { "{}", "[[\"x.1\",2],[\"x.0\",1]]", "{\"x\":[1,2]}" },
        { "{}", "[[\"x.a\",1],[\"x.0\",2]]", "{\"x\":[2]}" },
        { "{}", "[[\"x.0\",1],[\"x.a\",2]]", "{\"x\":[1]}" },
        { "{}", "[[\"a\",\"str\"],[\"a.0\",\"z\"]]", "{\"a\":[\"z\"]}" },
        { "{}", "[[\"a\",\"str\"],[\"a.b\",\"z\"]]", "{\"a\":{\"b\":\"z\"}}" },
        { "{}", "[[\"a\",[1,9]],[\"a.1\",9]]", "{\"a\":[1,9]}" },
        { "{}", "[[\"a\",[1,2]],[\"a.b\",9]]", "{\"a\":[1,2]}" },
        { "{}", "[[\"a\",{\"k\":1,\"j\":2}],[\"a.j\",2]]", "{\"a\":{\"k\":1,\"j\":2}}" },
        { "{}", "[[\"a.0.b\",1],[\"a.0.c\",2]]", "{\"a\":[{\"b\":1,\"c\":2}]}" },
        { "{}", "[[\"a.b\",1],[\"a.b.c\",2]]", "{\"a\":{\"b\":{\"c\":2}}}" },
        { "{}", "[[\"b\",1],[\"10\",2],[\"a\",3],[\"2\",4]]", "{\"2\":4,\"10\":2,\"b\":1,\"a\":3}" },
        { "{}", "[[\"b.10\",1],[\"b.a\",2],[\"b.2\",3]]", "{\"b\":[null,null,3,null,null,null,null,null,null,null,1]}" },
        { "{}", "[[\"x.3\",\"d\"],[\"x.1\",\"b\"]]", "{\"x\":[null,\"b\",null,\"d\"]}" },
        { "{}", "[[\"a.constructor\",1],[\"a.constructor\",2],[\"a\",3]]", "{\"a.constructor\":2,\"a\":3}" },
        { "{}", "[[\"a.b\",1],[\"a\\\\.b\",2],[\"a\",3]]", "{\"a\":3,\"a.b\":2}" },
        { "{}", "[[\"007\",1],[\"7\",2]]", "{\"7\":2}" },
        { "{}", "[[\"x.0\",[1,2]],[\"x.0.1\",2]]", "{\"x\":[[1,2]]}" },
        { "{}", "[[\"x.0\",{\"y\":1,\"z\":2}],[\"x.0.z\",2]]", "{\"x\":[{\"y\":1,\"z\":2}]}" },
        { "{}", "[[\"a.b.c\",1],[\"a.b.d\",2],[\"a.e\",3]]", "{\"a\":{\"b\":{\"c\":1,\"d\":2},\"e\":3}}" },
        { "{}", "[[\"a\",null],[\"a.b\",1]]", "{\"a\":{\"b\":1}}" },
        { "{}", "[[\"a\",0],[\"a.b\",1]]", "{\"a\":{\"b\":1}}" },
        { "{}", "[[\"a\",false],[\"a.0\",1]]", "{\"a\":[1]}" },
        { "{\"a\":{\"x\":1},\"z\":0}", "[[\"a.y\",2]]", "{\"a\":{\"x\":1,\"y\":2},\"z\":0}" },
        { "{\"a\":[1,2]}", "[[\"a.5\",\"v\"]]", "{\"a\":[1,2,null,null,null,\"v\"]}" },
        { "{\"a\":\"str\"}", "[[\"a.b\",1]]", "{\"a\":{\"b\":1}}" },
        { "{\"a\":{\"b\":{\"c\":1}}}", "[[\"a.b.d\",2]]", "{\"a\":{\"b\":{\"c\":1,\"d\":2}}}" },
        { "{\"a\":{\"b\":[1]}}", "[[\"a.b.0\",9],[\"a.b.2\",8]]", "{\"a\":{\"b\":[9,null,8]}}" },
        { "{\"a\":{\"0\":1}}", "[[\"a.1\",2]]", "{\"a\":[null,2]}" },
        { "{\"a\":[1]}", "[[\"a.x\",2]]", "{\"a\":[1]}" },
        { "{\"Email\":\"mapped\",\"Name\":\"m\"}", "[[\"Name\",\"custom\"],[\"x.y\",1]]", "{\"Email\":\"mapped\",\"Name\":\"custom\",\"x\":{\"y\":1}}" },
        { "{\"10\":1,\"b\":2}", "[[\"2\",3],[\"a\",4]]", "{\"2\":3,\"10\":1,\"b\":2,\"a\":4}" },
        { "{}", "[[\"toString.0\",1]]", "{\"toString\":[1]}" },
        { "{}", "[[\"toString.0.a\",1]]", "{\"toString\":[{\"a\":1}]}" },
    };

    /// <summary>
    /// The corners of set-value behind the reference's wrapper: (1) a key ending in a backslash
    /// appends "undefined" to its last segment; (2) a key made literal by a reserved segment joins
    /// the numeric segments as numbers ("007" → "7", " 1" → "1", "1e3" → "1000"); (3) a segment naming
    /// a member inherited from Object.prototype ("toString.x") walks into that shared function and
    /// writes there, so nothing lands in the target.
    /// </summary>
    public static TheoryData<string, string, string> WriteEdgeCases => new()
    {
        { "{}", "[[\"a\\\\\",1]]", "{\"aundefined\":1}" },
        { "{}", "[[\"a.b\\\\\",1]]", "{\"a\":{\"bundefined\":1}}" },
        { "{}", "[[\"\\\\\",1]]", "{\"undefined\":1}" },
        { "{}", "[[\"007.constructor\",1]]", "{\"7.constructor\":1}" },
        { "{}", "[[\"x.1e3.prototype\",1]]", "{\"x.1000.prototype\":1}" },
        { "{}", "[[\" 1.constructor\",1]]", "{\"1.constructor\":1}" },
        { "{}", "[[\"toString.x\",1]]", "{}" },
        { "{}", "[[\"hasOwnProperty.a\",1]]", "{}" },
        { "{}", "[[\"valueOf.b.c\",1]]", "{}" },
        { "{}", "[[\"toLocaleString.x.y\",1]]", "{}" },
        { "{}", "[[\"__lookupGetter__.q\",1]]", "{}" },
        { "{}", "[[\"a.toString.x\",1]]", "{\"a\":{}}" },
        { "{}", "[[\"x.0.toString.y\",1]]", "{\"x\":[{}]}" },
    };

    /// <summary>
    /// Writes that walk into a built-in function (spec §14.13.2) or into an array's
    /// <c>length</c> (§14.13.4) and still succeed in JavaScript: a function takes new properties
    /// (nothing reaches the target), a container assigned to an array's length converts to a
    /// number (an empty array to 0: the array is emptied).
    /// </summary>
    public static TheoryData<string, string, string> WritesThroughFunctionsAndLengths => new()
    {
        { "{}", "[[\"toString.apply.x\",1]]", "{}" },
        { "{}", "[[\"toString.x.name\",1]]", "{}" },
        { "{}", "[[\"valueOf.call.bind.x\",1]]", "{}" },
        { "{}", "[[\"a.hasOwnProperty.x\",1]]", "{\"a\":{}}" },
        { "{}", "[[\"x.0\",1],[\"x.map.0\",2]]", "{\"x\":[1]}" },
        { "{}", "[[\"x.0\",1],[\"x.constructor.name\",2]]", "{\"x\":[1],\"x.constructor.name\":2}" },
        { "{}", "[[\"x.0\",1],[\"x.length.0\",2]]", "{\"x\":[]}" },
        { "{}", "[[\"x.0\",1],[\"x.1\",2],[\"x.length.0.y\",3]]", "{\"x\":[]}" },
        { "{}", "[[\"x.0\",1],[\"x.1\",2],[\"x.length\",1]]", "{\"x\":[1]}" },
        { "{}", "[[\"x.0\",1],[\"x.length\",\"0\"]]", "{\"x\":[]}" },
        { "{}", "[[\"x.0\",1],[\"x.length\",[]]]", "{\"x\":[]}" },
        { "{}", "[[\"x.0\",1],[\"x.length\",[3]]]", "{\"x\":[1,null,null]}" },
        { "{}", "[[\"x.0\",1],[\"x.length.0\",2],[\"x.0\",3]]", "{\"x\":[3]}" },
    };

    [Theory]
    [MemberData(nameof(WritesThroughFunctionsAndLengths))]
    public void Set_walks_functions_and_lengths_as_javascript_does(string initial, string writes, string expected) =>
        Set_matches_set_value(initial, writes, expected);

    /// <summary>
    /// Writes that throw in JavaScript (strict mode): assigning a function's read-only
    /// <c>name</c> or <c>length</c> (also to replace it with a container on the way), touching
    /// <c>caller</c>/<c>arguments</c>, and assigning an object to an array's length (RangeError).
    /// The event then fails (D1); the message is JavaScript's.
    /// </summary>
    public static TheoryData<string, string> FailingWrites => new()
    {
        { "[[\"toString.name\",1]]", "Cannot assign to read only property 'name' of function 'function toString() { [native code] }'" },
        { "[[\"valueOf.length\",1]]", "Cannot assign to read only property 'length' of function 'function valueOf() { [native code] }'" },
        { "[[\"x.0\",1],[\"x.map.name\",1]]", "Cannot assign to read only property 'name' of function 'function map() { [native code] }'" },
        { "[[\"a.valueOf.name\",1]]", "Cannot assign to read only property 'name' of function 'function valueOf() { [native code] }'" },
        { "[[\"hasOwnProperty.apply.name\",1]]", "Cannot assign to read only property 'name' of function 'function apply() { [native code] }'" },
        { "[[\"toString.name.x\",1]]", "Cannot assign to read only property 'name' of function 'function toString() { [native code] }'" },
        { "[[\"toString.length.0\",1]]", "Cannot assign to read only property 'length' of function 'function toString() { [native code] }'" },
        { "[[\"toString.caller\",1]]", "'caller', 'callee', and 'arguments' properties may not be accessed on strict mode functions or the arguments objects for calls to them" },
        { "[[\"toString.arguments.x\",1]]", "'caller', 'callee', and 'arguments' properties may not be accessed on strict mode functions or the arguments objects for calls to them" },
        { "[[\"x.0\",1],[\"x.length.y\",1]]", "Invalid array length" },
        { "[[\"x.0\",1],[\"x.length\",{\"a\":1}]]", "invalid array length" },
    };

    [Theory]
    [MemberData(nameof(FailingWrites))]
    public void Set_throws_where_javascript_throws(string writes, string message)
    {
        var error = Assert.Throws<Mappings.Runtime.Js.JsTypeError>(() => Set_matches_set_value("{}", writes, "(never)"));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [MemberData(nameof(WriteEdgeCases))]
    public void Set_matches_set_value_edge_cases(string initial, string writes, string expected) =>
        Set_matches_set_value(initial, writes, expected);

    [Theory]
    [MemberData(nameof(Writes))]
    public void Set_matches_set_value(string initial, string writes, string expected)
    {
        var heap = new JsHeap();
        int target = heap.MakeMutable(TestText.Parse(heap, initial));
        int list = TestText.Parse(heap, writes);
        for (int i = 0; i < heap.ArrayLength(list); i++)
        {
            int write = heap.ArrayElement(list, i);
            var key = heap.NewKey(heap.StringBytes(heap.ArrayElement(write, 0)));
            PathWriter.Set(heap, target, in key, heap.ArrayElement(write, 1));
        }
        Assert.Equal(expected, TestText.Describe(heap, target));
    }

    [Fact]
    public void Writes_never_modify_the_input()
    {
        var heap = new JsHeap();
        int input = TestText.Parse(heap, "{\"a\":{\"x\":1},\"b\":[1]}");
        int target = heap.MakeMutable(input);
        PathWriter.Set(heap, target, heap.NewKey("a.y"u8), heap.NewNumber(2));
        PathWriter.Set(heap, target, heap.NewKey("b.1"u8), heap.NewNumber(3));
        Assert.Equal("{\"a\":{\"x\":1,\"y\":2},\"b\":[1,3]}", TestText.Describe(heap, target));
        Assert.Equal("{\"a\":{\"x\":1},\"b\":[1]}", TestText.Describe(heap, input));
    }

    [Fact]
    public void Set_allocates_nothing_once_warm()
    {
        var keys = new[] { "a", "a.b.c", "x.0", "x.007.y", "a\\.b", "a.constructor", "007", "a/b.c", "trail.", " 1" }.Select(k => TestText.ToWtf8(k)).ToArray();
        var heap = new JsHeap();
        var output = new ByteBuffer();
        Allocations.AssertNone(() =>
        {
            heap.Reset();
            output.Clear();
            int target = heap.NewObject();
            foreach (var k in keys) PathWriter.Set(heap, target, heap.NewKey(k), heap.NewNumber(1));
            heap.Stringify(target, output);
        });
    }
}
