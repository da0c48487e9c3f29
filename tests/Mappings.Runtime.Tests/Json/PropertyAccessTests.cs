using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Json;

/// <summary>
/// Plain property access, JavaScript's <c>value?.[key]</c> (<see cref="JsHeap.GetProperty(int, ReadOnlySpan{byte}, uint)"/>),
/// and chains of it, <c>message.a?.b?.c</c> (<see cref="Lookup.Properties"/> with a
/// <see cref="JsPropertyChain"/>: what <c>$message.a.b.c</c> compiles to; <see cref="Lookup.Property(JsHeap, int, JsName)"/>
/// is one step, what <c>$config.a</c> and <c>$name.a</c> compile to). Unlike a path
/// lookup (get-value, <see cref="GetValueTests"/>) a key is never split or joined and a literal
/// dotted key is never tried. Rows: value or root JSON, key or chain (both in the {U+XXXX}
/// notation), and what Node 20 prints for <c>JSON.stringify(value?.[key])</c>, or <c>undefined</c>,
/// or <c>function</c> for an inherited method.
/// </summary>
public class PropertyAccessTests
{
    public static TheoryData<string, string, string> Properties => new()
    {
        // Objects: own keys (any value), inherited methods, a dotted key only as the whole key.
        { "{\"a\":{\"b\":1}}", "a", "{\"b\":1}" },
        { "{\"a\":null}", "a", "null" },
        { "{\"a\":\"\"}", "a", "\"\"" },
        { "{\"a\":0}", "a", "0" },
        { "{}", "a", "undefined" },
        { "{}", "toString", "function" },
        { "{}", "constructor", "function" },
        { "{}", "hasOwnProperty", "function" },
        { "{}", "length", "undefined" },
        { "{}", "map", "undefined" },
        { "{\"toString\":5}", "toString", "5" },
        { "{\"a.b\":1}", "a.b", "1" },
        { "{\"a\":{\"b\":1}}", "a.b", "undefined" },
        { "{\"1\":\"x\"}", "1", "\"x\"" },
        { "{\"1\":\"x\"}", "01", "undefined" },
        // Arrays: elements, length, array and object methods.
        { "[1,2]", "0", "1" },
        { "[1,2]", "1", "2" },
        { "[1,2]", "2", "undefined" },
        { "[1,2]", "01", "undefined" },
        { "[1,2]", "-1", "undefined" },
        { "[1,2]", "length", "2" },
        { "[]", "length", "0" },
        { "[1,2]", "map", "function" },
        { "[1,2]", "toString", "function" },
        { "[1,2]", "hasOwnProperty", "function" },
        { "[1,2]", "x", "undefined" },
        // Strings: code units, length, string and object methods.
        { "\"abc\"", "0", "\"a\"" },
        { "\"abc\"", "2", "\"c\"" },
        { "\"abc\"", "3", "undefined" },
        { "\"abc\"", "length", "3" },
        { "\"\"", "length", "0" },
        { "\"\"", "0", "undefined" },
        { "\"h{U+00E9}{U+20AC}\"", "1", "\"{U+00E9}\"" },
        { "\"h{U+00E9}{U+20AC}\"", "2", "\"{U+20AC}\"" },
        { "\"{U+1F600}x\"", "length", "3" },
        { "\"{U+1F600}x\"", "0", "\"\\ud83d\"" },
        { "\"{U+1F600}x\"", "1", "\"\\ude00\"" },
        { "\"{U+1F600}x\"", "2", "\"x\"" },
        { "\"abc\"", "toString", "function" },
        { "\"abc\"", "charAt", "function" },
        { "\"abc\"", "hasOwnProperty", "function" },
        { "\"abc\"", "x", "undefined" },
        { "\"abc\"", "overrideFields", "undefined" },
        // Numbers and booleans: their methods only.
        { "5", "toFixed", "function" },
        { "5", "toString", "function" },
        { "5", "a", "undefined" },
        { "5", "length", "undefined" },
        { "5", "charAt", "undefined" },
        { "true", "valueOf", "function" },
        { "true", "toFixed", "undefined" },
        { "false", "a", "undefined" },
        // Optional chaining: null gives undefined.
        { "null", "a", "undefined" },
        { "null", "toString", "undefined" },
        { "null", "length", "undefined" },
    };

    [Theory]
    [MemberData(nameof(Properties))]
    public void GetProperty_matches_property_access(string value, string key, string expected)
    {
        var heap = new JsHeap();
        byte[] k = TestText.ToWtf8(key);
        Assert.Equal(expected, TestText.Describe(heap, heap.GetProperty(TestText.Parse(heap, value), k, JsKeys.Tag(k))));
    }

    [Fact]
    public void GetProperty_of_undefined_is_undefined()
    {
        var heap = new JsHeap();
        Assert.Equal(JsHeap.Undefined, heap.GetProperty(JsHeap.Undefined, JsName.Of("a")));
        Assert.Equal(JsHeap.Undefined, heap.GetProperty(JsHeap.Undefined, JsName.Of("toString")));
    }

    /// <summary>GetProperty gives a value exactly where HasDefinedProperty says one is defined.</summary>
    [Theory]
    [MemberData(nameof(GetValueTests.DefinedProperties), MemberType = typeof(GetValueTests))]
    public void GetProperty_agrees_with_HasDefinedProperty(string value, string key, bool defined)
    {
        var heap = new JsHeap();
        int v = TestText.Parse(heap, value);
        byte[] k = TestText.ToWtf8(key);
        Assert.Equal(defined, heap.GetProperty(v, k, JsKeys.Tag(k)) != JsHeap.Undefined);
    }

    private const string Message = "{\"type\":\"identify\",\"traits.overrideFields\":{\"lit\":1},\"context.traits\":{\"overrideFields\":{\"lit\":2}},\"traits\":{\"overrideFields\":{\"x\":1},\"a.b\":\"dotted\",\"a\":{\"b\":\"nested\"},\"s\":\"str\",\"n\":null,\"list\":[{\"k\":\"v\"}]},\"context\":{\"traits\":null,\"os\":{\"name\":\"iOS\"}}}";

    private const string NoTraits = "{\"type\":\"identify\",\"traits.overrideFields\":{\"lit\":1},\"context.traits\":{\"overrideFields\":{\"lit\":2}}}";

    private const string PrimitiveTraits = "{\"traits\":\"abc\",\"context\":5}";

    /// <summary>root, chain (names joined with '.'; split at every '.', nothing escaped), <c>root.a?.b?.c</c>.</summary>
    public static TheoryData<string, string, string> Chains => new()
    {
        { Message, "traits.overrideFields", "{\"x\":1}" },
        { Message, "type", "\"identify\"" },
        { Message, "traits.a.b", "\"nested\"" },
        { Message, "traits.a\\.b", "undefined" },
        { Message, "traits.s.length", "3" },
        { Message, "traits.s.0", "\"s\"" },
        { Message, "traits.s.toString", "function" },
        { Message, "traits.toString", "function" },
        { Message, "traits.n", "null" },
        { Message, "traits.n.x", "undefined" },
        { Message, "traits.missing.x", "undefined" },
        { Message, "traits.list.0.k", "\"v\"" },
        { Message, "traits.list.length", "1" },
        { Message, "traits.list.1.k", "undefined" },
        { Message, "context.traits.overrideFields", "undefined" },
        { Message, "context.os.name", "\"iOS\"" },
        { NoTraits, "traits.overrideFields", "undefined" },
        { NoTraits, "context.traits.overrideFields", "undefined" },
        { NoTraits, "context.traits", "undefined" },
        { PrimitiveTraits, "traits.overrideFields", "undefined" },
        { PrimitiveTraits, "traits.length", "3" },
        { PrimitiveTraits, "context.traits", "undefined" },
        { PrimitiveTraits, "context.toFixed", "function" },
        { DottedKeys, "a.b", "undefined" },
        { DottedKeys, "a.b.c", "undefined" },
        { DottedKeys, "x.y", "2" },
    };

    /// <summary>Literal dotted keys, which a path lookup (get-value) would find and a property chain never does.</summary>
    private const string DottedKeys = "{\"a.b\":1,\"a\":{\"b.c\":3},\"x\":{\"y\":2},\"x.y\":\"literal\"}";

    [Theory]
    [MemberData(nameof(Chains))]
    public void A_chain_reads_property_after_property(string root, string chain, string expected)
    {
        var heap = new JsHeap();
        int value = TestText.Parse(heap, root);
        Assert.Equal(expected, TestText.Describe(heap, Lookup.Properties(heap, value, JsPropertyChain.Of(chain))));
    }

    [Theory]
    [MemberData(nameof(Chains))]
    public void A_chain_is_one_property_read_per_name(string root, string chain, string expected)
    {
        _ = expected;
        var heap = new JsHeap();
        int value = TestText.Parse(heap, root);
        int stepwise = value;
        foreach (string name in chain.Split('.')) stepwise = Lookup.Property(heap, stepwise, JsName.Of(name));
        Assert.Equal(TestText.Describe(heap, stepwise), TestText.Describe(heap, Lookup.Properties(heap, value, JsPropertyChain.Of(chain))));
    }

    [Fact]
    public void Chains_allocate_nothing_once_warm()
    {
        var rows = Chains.Select(r => (Input: TestText.ToWtf8((string)r[0]), Chain: JsPropertyChain.Of((string)r[1]))).ToArray();
        var heap = new JsHeap();
        Allocations.AssertNone(() =>
        {
            foreach (var (input, chain) in rows)
            {
                heap.Reset();
                Lookup.Properties(heap, heap.Parse(input), chain);
            }
        }, warmup: 3, iterations: 20);
    }
}
