using Mappings.Runtime.Json;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Json;

/// <summary>
/// Values the mapper builds in the heap, against Node 20: computed numbers, values JSON.stringify
/// omits, lazily stringified values, insertion order of built objects (index keys first, a deleted
/// key re-added at the end), <c>Object.assign</c>, shallow null removal (lodash 4.18.1
/// <c>pickBy</c>), truthiness and the V-valid rule (spec §0). Data in the {U+XXXX} notation.
/// </summary>
public class JsHeapValueTests
{
    /// <summary>IEEE-754 bits → <c>JSON.stringify(x)</c>: NaN and ±Infinity → null, -0 → 0, 1e21 → 1e+21.</summary>
    public static TheoryData<ulong, string> ComputedNumbers => new()
    {
        { 0x0000000000000000UL, "0" },
        { 0x8000000000000000UL, "0" },
        { 0x7FF8000000000000UL, "null" },
        { 0x7FF0000000000000UL, "null" },
        { 0xFFF0000000000000UL, "null" },
        { 0x3FF0000000000000UL, "1" },
        { 0xBFF0000000000000UL, "-1" },
        { 0x3FB999999999999AUL, "0.1" },
        { 0x3FE0000000000000UL, "0.5" },
        { 0x444B1AE4D6E2EF50UL, "1e+21" },
        { 0x3E7AD7F29ABCAF48UL, "1e-7" },
        { 0x3EB0C6F7A0B5ED8DUL, "0.000001" },
        { 0x3C36B082C2148B8EUL, "1.23e-18" },
        { 0x4340000000000000UL, "9007199254740992" },
        { 0x4340000000000001UL, "9007199254740994" },
        { 0x7E6DDD4BAA009303UL, "1e+301" },
        { 0x0000000000000001UL, "5e-324" },
        { 0x8000000000000001UL, "-5e-324" },
        { 0x7FEFFFFFFFFFFFFFUL, "1.7976931348623157e+308" },
        { 0x41D8122D26800000UL, "1615377562" },
        { 0x41D8122D26A00000UL, "1615377562.5" },
        { 0xBFF8000000000000UL, "-1.5" },
        { 0x4059000000000000UL, "100" },
        { 0x54B249AD2594C37DUL, "1e+100" },
        { 0x41EFFFFFFFE00000UL, "4294967295" },
        { 0x3FD3333333333334UL, "0.30000000000000004" },
    };

    [Theory]
    [MemberData(nameof(ComputedNumbers))]
    public void Computed_numbers_stringify_as_JSON_stringify(ulong bits, string expected)
    {
        var heap = new JsHeap();
        int value = heap.NewNumber(BitConverter.UInt64BitsToDouble(bits));
        Assert.Equal(expected, TestText.Describe(heap, value));
        int array = heap.NewArray();
        heap.SetElement(array, 0, value);
        Assert.Equal("[" + expected + "]", TestText.Describe(heap, array));
    }

    [Fact]
    public void Undefined_and_functions_are_omitted_from_objects_and_null_in_arrays()
    {
        // JSON.stringify({a: undefined, f: function () {}, b: 1}) === '{"b":1}'
        // JSON.stringify([undefined, function () {}, 1]) === '[null,null,1]'
        // JSON.stringify(undefined) and JSON.stringify(function () {}) are undefined.
        var heap = new JsHeap();
        int obj = heap.NewObject();
        heap.Set(obj, heap.NewKey("a"u8), JsHeap.Undefined);
        heap.Set(obj, heap.NewKey("f"u8), JsHeap.Function);
        heap.Set(obj, heap.NewKey("b"u8), heap.NewNumber(1));
        Assert.Equal("{\"b\":1}", TestText.Describe(heap, obj));

        int onlyHidden = heap.NewObject();
        heap.Set(onlyHidden, heap.NewKey("f"u8), JsHeap.Function);
        Assert.Equal("{}", TestText.Describe(heap, onlyHidden));

        int array = heap.NewArray();
        heap.SetElement(array, 1, JsHeap.Function);
        heap.SetElement(array, 2, heap.NewNumber(1));
        Assert.Equal("[null,null,1]", TestText.Describe(heap, array));

        var output = new ByteBuffer();
        Assert.False(heap.Stringify(JsHeap.Undefined, output));
        Assert.False(heap.Stringify(JsHeap.Function, output));
        Assert.Equal(0, output.Length);
    }

    /// <summary>input → <c>JSON.stringify(v)</c> → <c>JSON.stringify(JSON.stringify(v))</c>.</summary>
    public static TheoryData<string, string, string> Stringified => new()
    {
        { "{\"a\":1}", "{\"a\":1}", "\"{\\\"a\\\":1}\"" },
        { "[1,\"x\",null]", "[1,\"x\",null]", "\"[1,\\\"x\\\",null]\"" },
        { "{\"s\":\"a\\\"b\\\\c\\n\"}", "{\"s\":\"a\\\"b\\\\c\\n\"}", "\"{\\\"s\\\":\\\"a\\\\\\\"b\\\\\\\\c\\\\n\\\"}\"" },
        { "{\"u\":\"\\ud800\"}", "{\"u\":\"\\ud800\"}", "\"{\\\"u\\\":\\\"\\\\ud800\\\"}\"" },
        { "{\"e\":\"{U+00E9}{U+2028}\"}", "{\"e\":\"{U+00E9}{U+2028}\"}", "\"{\\\"e\\\":\\\"{U+00E9}{U+2028}\\\"}\"" },
        { "[1.0,-0,1e21]", "[1,0,1e+21]", "\"[1,0,1e+21]\"" },
        { "{\"b\":1,\"1\":2}", "{\"1\":2,\"b\":1}", "\"{\\\"1\\\":2,\\\"b\\\":1}\"" },
        { "{\"a\":1,\"a\":2}", "{\"a\":2}", "\"{\\\"a\\\":2}\"" },
        { "{}", "{}", "\"{}\"" },
        { "[]", "[]", "\"[]\"" },
        { "\"str\"", "\"str\"", "\"\\\"str\\\"\"" },
        { "5", "5", "\"5\"" },
        { "true", "true", "\"true\"" },
        { "null", "null", "\"null\"" },
        { "{\"x\":{\"y\":[{\"z\":\"\\u0000\"}]}}", "{\"x\":{\"y\":[{\"z\":\"\\u0000\"}]}}", "\"{\\\"x\\\":{\\\"y\\\":[{\\\"z\\\":\\\"\\\\u0000\\\"}]}}\"" },
    };

    [Theory]
    [MemberData(nameof(Stringified))]
    public void Stringified_values_are_JSON_text_strings(string input, string json, string jsonOfJson)
    {
        var heap = new JsHeap();
        int value = heap.NewStringified(TestText.Parse(heap, input));
        Assert.Equal(JsType.String, heap.TypeOf(value));
        Assert.True(heap.IsTruthy(value));
        Assert.Equal(jsonOfJson, TestText.Describe(heap, value));
        Assert.Equal(json, TestText.Show(heap.StringBytes(value)));
        Assert.Equal(jsonOfJson, TestText.Describe(heap, value));
    }

    /// <summary>
    /// Operations on an object the mapper builds (<c>[key, value]</c> sets, <c>["-key"]</c> deletes) →
    /// <c>JSON.stringify</c> of a JavaScript object given the same operations.
    /// </summary>
    public static TheoryData<string, string> BuiltObjects => new()
    {
        { "[[\"a\",1],[\"b\",2],[\"c\",3]]", "{\"a\":1,\"b\":2,\"c\":3}" },
        { "[[\"b\",1],[\"10\",2],[\"a\",3],[\"2\",4],[\"01\",5],[\"0\",6]]", "{\"0\":6,\"2\":4,\"10\":2,\"b\":1,\"a\":3,\"01\":5}" },
        { "[[\"a\",1],[\"b\",2],[\"a\",3]]", "{\"a\":3,\"b\":2}" },
        { "[[\"a\",1],[\"b\",2],[\"-a\"],[\"a\",3]]", "{\"b\":2,\"a\":3}" },
        { "[[\"a\",1],[\"-a\"]]", "{}" },
        { "[[\"-a\"],[\"a\",1]]", "{\"a\":1}" },
        { "[[\"1\",1],[\"0\",2],[\"-1\"],[\"1\",3],[\"x\",4]]", "{\"0\":2,\"1\":3,\"x\":4}" },
        { "[[\"4294967295\",1],[\"4294967294\",2],[\"1\",3]]", "{\"1\":3,\"4294967294\":2,\"4294967295\":1}" },
        { "[[\"\",1],[\" \",2],[\".\",3],[\"a.b\",4]]", "{\"\":1,\" \":2,\".\":3,\"a.b\":4}" },
        { "[[\"z\",null],[\"y\",[1]],[\"x\",{\"k\":1}]]", "{\"z\":null,\"y\":[1],\"x\":{\"k\":1}}" },
        { "[[\"{U+00E9}\",1],[\"\\ud800\",2],[\"e{U+0301}\",3]]", "{\"{U+00E9}\":1,\"\\ud800\":2,\"e{U+0301}\":3}" },
    };

    [Theory]
    [MemberData(nameof(BuiltObjects))]
    public void Built_objects_keep_JavaScript_order(string operations, string expected)
    {
        var heap = new JsHeap();
        int obj = Build(heap, operations);
        Assert.Equal(expected, TestText.Describe(heap, obj));
    }

    /// <summary>A built object after the operations (<c>[key, value]</c> sets, <c>["-key"]</c> deletes).</summary>
    private static int Build(JsHeap heap, string operations)
    {
        int ops = TestText.Parse(heap, operations);
        int obj = heap.NewObject();
        for (int i = 0; i < heap.ArrayLength(ops); i++)
        {
            int op = heap.ArrayElement(ops, i);
            var key = heap.StringBytes(heap.ArrayElement(op, 0));
            if (heap.ArrayLength(op) == 1) heap.Delete(obj, key[1..]);
            else heap.Set(obj, heap.NewKey(key), heap.ArrayElement(op, 1));
        }
        return obj;
    }

    /// <summary>The writer path (<see cref="JsHeap.WriteValue"/>, used for output) gives what stringify gives.</summary>
    [Theory]
    [MemberData(nameof(BuiltObjects))]
    public void Built_objects_write_in_JavaScript_order(string operations, string expected)
    {
        var heap = new JsHeap();
        int obj = Build(heap, operations);
        Assert.Equal(TestText.ToWtf8(expected), Written(heap, obj));
    }

    [Fact]
    public void Input_objects_made_mutable_keep_JavaScript_order()
    {
        var heap = new JsHeap();
        int plain = TestText.Parse(heap, """{"b":1,"a":2}""");
        heap.MakeMutableInPlace(plain);
        heap.Set(plain, heap.NewKey("c"u8), heap.NewNumber(3));
        Assert.Equal("""{"b":1,"a":2,"c":3}"""u8.ToArray(), Written(heap, plain));

        int indexed = TestText.Parse(heap, """{"b":1,"2":2}""");
        heap.MakeMutableInPlace(indexed);
        heap.Set(indexed, heap.NewKey("1"u8), heap.NewNumber(3));
        heap.Set(indexed, heap.NewKey("a"u8), heap.NewNumber(4));
        Assert.Equal("""{"1":3,"2":2,"b":1,"a":4}"""u8.ToArray(), Written(heap, indexed));
        Assert.Equal("""{"1":3,"2":2,"b":1,"a":4}""", TestText.Describe(heap, indexed));
    }

    [Fact]
    public void Raw_text_tells_a_container_only_while_nothing_inside_it_was_changed_in_place()
    {
        var heap = new JsHeap();
        int root = TestText.Parse(heap, """{"a":{"x":{"y":1}},"b":{"z":2}}""");
        int a = heap.GetOwn(root, "a"u8);
        int x = heap.GetOwn(a, "x"u8);
        int b = heap.GetOwn(root, "b"u8);
        Assert.Equal("""{"x":{"y":1}}"""u8.ToArray(), heap.CurrentRawText(a).ToArray());

        heap.MakeMutableInPlace(x);
        heap.Set(x, heap.NewKey("y"u8), heap.NewNumber(3));
        Assert.True(heap.CurrentRawText(x).IsEmpty);
        Assert.True(heap.CurrentRawText(a).IsEmpty);
        Assert.True(heap.CurrentRawText(root).IsEmpty);
        Assert.Equal("""{"z":2}"""u8.ToArray(), heap.CurrentRawText(b).ToArray());
        Assert.True(heap.CurrentRawText(heap.NewObject()).IsEmpty);

        heap.Reset();
        int again = TestText.Parse(heap, """{"a":1}""");
        Assert.Equal("""{"a":1}"""u8.ToArray(), heap.CurrentRawText(again).ToArray());
    }

    private static byte[] Written(JsHeap heap, int value)
    {
        var buffer = new ByteBuffer();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, Mappings.Runtime.Protocol.JsonWriterExtensions.Options))
        {
            heap.WriteValue(writer, value);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>target, source → <c>JSON.stringify(Object.assign(target, source))</c> (spec §3.6: strings spread characters).</summary>
    public static TheoryData<string, string, string> Assign => new()
    {
        { "{}", "{\"a\":1}", "{\"a\":1}" },
        { "{\"a\":1,\"b\":2}", "{\"b\":3,\"c\":4}", "{\"a\":1,\"b\":3,\"c\":4}" },
        { "{\"b\":1}", "{\"1\":1,\"0\":0}", "{\"0\":0,\"1\":1,\"b\":1}" },
        { "{\"a\":1}", "\"ab\"", "{\"0\":\"a\",\"1\":\"b\",\"a\":1}" },
        { "{\"0\":\"x\",\"a\":1}", "\"yz\"", "{\"0\":\"y\",\"1\":\"z\",\"a\":1}" },
        { "{\"a\":1}", "[\"x\",\"y\"]", "{\"0\":\"x\",\"1\":\"y\",\"a\":1}" },
        { "{\"a\":1}", "5", "{\"a\":1}" },
        { "{\"a\":1}", "true", "{\"a\":1}" },
        { "{\"a\":1}", "null", "{\"a\":1}" },
        { "{\"a\":1}", "{}", "{\"a\":1}" },
        { "{\"a\":1}", "\"\"", "{\"a\":1}" },
        { "{\"a\":1}", "{\"a\":null}", "{\"a\":null}" },
        { "{\"a\":{\"x\":1}}", "{\"a\":{\"y\":2}}", "{\"a\":{\"y\":2}}" },
        { "{\"first_name\":\"J\",\"Name\":\"J D\"}", "{\"first_name\":\"John\",\"last_name\":\"Doe\"}", "{\"first_name\":\"John\",\"Name\":\"J D\",\"last_name\":\"Doe\"}" },
        { "{\"a\":1}", "\"{U+1F600}\"", "{\"0\":\"\\ud83d\",\"1\":\"\\ude00\",\"a\":1}" },
        { "{\"a\":1}", "[null,[1]]", "{\"0\":null,\"1\":[1],\"a\":1}" },
        { "{\"z\":1,\"10\":2}", "{\"a\":3,\"2\":4}", "{\"2\":4,\"10\":2,\"z\":1,\"a\":3}" },
    };

    [Theory]
    [MemberData(nameof(Assign))]
    public void Assign_matches_Object_assign(string target, string source, string expected)
    {
        var heap = new JsHeap();
        int t = heap.MakeMutable(TestText.Parse(heap, target));
        heap.Assign(t, TestText.Parse(heap, source));
        Assert.Equal(expected, TestText.Describe(heap, t));
    }

    /// <summary>object → <c>JSON.stringify(_.pickBy(o, v =&gt; v != null))</c> (removeUndefinedAndNullValues).</summary>
    public static TheoryData<string, string> RemoveNullish => new()
    {
        { "{\"a.constructor\":1,\"constructorx\":2,\"Constructor\":null}", "{\"a.constructor\":1,\"constructorx\":2}" },
        { "{}", "{}" },
        { "{\"a\":null}", "{}" },
        { "{\"a\":1,\"b\":null,\"c\":2}", "{\"a\":1,\"c\":2}" },
        { "{\"a\":0,\"b\":false,\"c\":\"\",\"d\":[],\"e\":{}}", "{\"a\":0,\"b\":false,\"c\":\"\",\"d\":[],\"e\":{}}" },
        { "{\"a\":{\"b\":null},\"c\":[null]}", "{\"a\":{\"b\":null},\"c\":[null]}" },
        { "{\"b\":null,\"1\":null,\"0\":1,\"a\":null}", "{\"0\":1}" },
        { "{\"a\":null,\"a\":1}", "{\"a\":1}" },
        { "{\"x\":1,\"x\":null}", "{}" },
        { "{\"a.b\":null,\"a.c\":1}", "{\"a.c\":1}" },
    };

    [Theory]
    [MemberData(nameof(RemoveNullish))]
    public void RemoveNullish_matches_removeUndefinedAndNullValues(string input, string expected)
    {
        var heap = new JsHeap();
        int obj = heap.MakeMutable(TestText.Parse(heap, input));
        heap.RemoveNullish(obj);
        Assert.Equal(expected, TestText.Describe(heap, obj));
    }

    /// <summary>
    /// lodash's <c>pickBy</c> (which the reference's removeUndefinedAndNullValues is) also drops keys
    /// named exactly <c>constructor</c> or <c>prototype</c> (its baseSet refuses them; lodash 4.17.21
    /// and 4.18.1 alike), and so does <see cref="JsHeap.RemoveNullish"/> (reachable through
    /// <c>overrideFields</c> keys on identify, spec §3.1 step 6, §3.6).
    /// </summary>
    public static TheoryData<string, string> RemoveNullishReservedKeys => new()
    {
        { "{\"constructor\":1,\"a\":2}", "{\"a\":2}" },
        { "{\"prototype\":\"p\",\"constructor\":{\"x\":1},\"b\":null,\"c\":3}", "{\"c\":3}" },
    };

    [Theory]
    [MemberData(nameof(RemoveNullishReservedKeys))]
    public void RemoveNullish_matches_removeUndefinedAndNullValues_edge_cases(string input, string expected)
    {
        var heap = new JsHeap();
        int obj = heap.MakeMutable(TestText.Parse(heap, input));
        heap.RemoveNullish(obj);
        Assert.Equal(expected, TestText.Describe(heap, obj));
    }

    /// <summary>input → <c>!!v</c>, V-valid (<c>v || v === false || v === 0</c>), type.</summary>
    public static TheoryData<string, bool, bool, JsType> Truthiness => new()
    {
        { "null", false, false, JsType.Null },
        { "true", true, true, JsType.Boolean },
        { "false", false, true, JsType.Boolean },
        { "0", false, true, JsType.Number },
        { "-0", false, true, JsType.Number },
        { "0.0", false, true, JsType.Number },
        { "1", true, true, JsType.Number },
        { "-1", true, true, JsType.Number },
        { "1e-400", false, true, JsType.Number },
        { "1e309", true, true, JsType.Number },
        { "\"\"", false, false, JsType.String },
        { "\"0\"", true, true, JsType.String },
        { "\"false\"", true, true, JsType.String },
        { "\" \"", true, true, JsType.String },
        { "\"\\u0000\"", true, true, JsType.String },
        { "[]", true, true, JsType.Array },
        { "{}", true, true, JsType.Object },
        { "[0]", true, true, JsType.Array },
        { "[\"\"]", true, true, JsType.Array },
        { "{\"a\":null}", true, true, JsType.Object },
        { "0e10", false, true, JsType.Number },
        { "5e-324", true, true, JsType.Number },
    };

    [Theory]
    [MemberData(nameof(Truthiness))]
    public void Truthiness_and_V_valid_match_JavaScript(string input, bool truthy, bool vValid, JsType type)
    {
        var heap = new JsHeap();
        int value = TestText.Parse(heap, input);
        Assert.Equal(truthy, heap.IsTruthy(value));
        Assert.Equal(vValid, heap.IsVValid(value));
        Assert.Equal(type, heap.TypeOf(value));
        Assert.Equal(type is JsType.Object or JsType.Array, heap.IsContainer(value));
        Assert.Equal(type == JsType.Null, heap.IsNullish(value));
    }

    [Fact]
    public void Undefined_and_function_sentinels()
    {
        var heap = new JsHeap();
        Assert.Equal(JsType.Undefined, heap.TypeOf(JsHeap.Undefined));
        Assert.False(heap.IsTruthy(JsHeap.Undefined));
        Assert.False(heap.IsVValid(JsHeap.Undefined));
        Assert.True(heap.IsNullish(JsHeap.Undefined));
        Assert.Equal(JsType.Function, heap.TypeOf(JsHeap.Function));
        Assert.True(heap.IsTruthy(JsHeap.Function));
        Assert.True(heap.IsVValid(JsHeap.Function));
        Assert.False(heap.IsContainer(JsHeap.Function));
        Assert.False(heap.IsTruthy(heap.NewNumber(double.NaN)));
        Assert.False(heap.IsVValid(heap.NewNumber(double.NaN)));
        Assert.True(heap.IsVValid(heap.NewNumber(-0.0)));
    }

    [Fact]
    public void Building_objects_allocates_nothing_once_warm()
    {
        var heap = new JsHeap();
        var output = new ByteBuffer();
        var input = TestText.ToWtf8("{\"b\":1,\"10\":2,\"a\":{\"c\":null},\"s\":\"xy\"}");
        Allocations.AssertNone(() =>
        {
            heap.Reset();
            output.Clear();
            int root = heap.Parse(input);
            int obj = heap.MakeMutable(root);
            heap.Set(obj, heap.NewKey("z"u8), heap.NewNumber(0.5));
            heap.Set(obj, heap.NewKey("2"u8), heap.NewStringified(root));
            heap.Assign(obj, heap.GetOwn(root, "s"u8));
            heap.Delete(obj, "b"u8);
            heap.Set(obj, heap.NewKey("n"u8), JsHeap.Null);
            heap.RemoveNullish(obj);
            heap.Stringify(obj, output);
        });
    }
}
