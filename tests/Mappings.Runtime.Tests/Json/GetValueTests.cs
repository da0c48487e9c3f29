using Mappings.Runtime.Json;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Json;

/// <summary>
/// Path lookup (<see cref="JsHeap.Get"/>) against get-value 3.0.1 (spec §6.1): scalars are returned
/// unchanged, the whole path is tried as one key first, segments are walked with the <c>in</c>
/// operator (so members inherited from Object.prototype and Array.prototype are found, §14.4), a
/// missing segment is retried joined with the following ones, a segment ending in a backslash is
/// joined with the next. Rows: input JSON, path (both in the {U+XXXX} notation), and
/// <c>JSON.stringify(get(JSON.parse(input), path))</c> as printed by Node 20, or
/// <c>undefined</c>, or <c>function</c> for an inherited method.
/// </summary>
public class GetValueTests
{
    public static TheoryData<string, string, string> Paths => new()
    {
        { "message", "type", "\"identify\"" },
        { "message", "userId", "\"u1\"" },
        { "message", "anonymousId", "\"\"" },
        { "message", "missing", "undefined" },
        { "message", "n", "null" },
        { "message", "n.x", "undefined" },
        { "message", "properties", "[]" },
        { "message", "properties.length", "0" },
        { "message", "properties.0", "undefined" },
        { "message", "properties.email", "undefined" },
        { "message", "traits", "{\"0\":\"zero\",\"email\":\"t@x\",\"name\":\"\",\"id\":0,\"userId\":null,\"flag\":false,\"a.b\":\"lit-ab\",\"a\":{\"b\":\"nested-ab\",\"c\":{\"d\":3}},\"arr\":[10,{\"x\":1},[7]],\"s\":\"str\",\"01\":\"zero-one\",\"\":\"empty-key\",\"k\\\\\":\"backslash-key\",\"hasOwnProperty\":\"own-hop\",\"e.\":\"trailing-dot\",\".l\":\"leading-dot\"}" },
        { "message", "traits.email", "\"literal-top\"" },
        { "message", "traits.name", "\"\"" },
        { "message", "traits.id", "0" },
        { "message", "traits.userId", "null" },
        { "message", "traits.flag", "false" },
        { "message", "traits.missing", "undefined" },
        { "message", "traits.missing.deeper", "undefined" },
        { "message", "traits.a", "{\"b\":\"nested-ab\",\"c\":{\"d\":3}}" },
        { "message", "traits.a.b", "\"nested-ab\"" },
        { "message", "traits.a.c.d", "3" },
        { "message", "traits.a.c.d.e", "undefined" },
        { "message", "traits.a\\.b", "\"lit-ab\"" },
        { "message", "traits.a.c", "{\"d\":3}" },
        { "message", "traits.arr", "[10,{\"x\":1},[7]]" },
        { "message", "traits.arr.0", "10" },
        { "message", "traits.arr.1.x", "1" },
        { "message", "traits.arr.2.0", "7" },
        { "message", "traits.arr.length", "3" },
        { "message", "traits.arr.3", "undefined" },
        { "message", "traits.arr.-1", "undefined" },
        { "message", "traits.arr.01", "undefined" },
        { "message", "traits.arr.toString", "function" },
        { "message", "traits.arr.map", "function" },
        { "message", "traits.arr.1.toString", "function" },
        { "message", "traits.s", "\"str\"" },
        { "message", "traits.s.length", "undefined" },
        { "message", "traits.s.0", "undefined" },
        { "message", "traits.email.length", "undefined" },
        { "message", "traits.0", "\"zero\"" },
        { "message", "traits.01", "\"zero-one\"" },
        { "message", "traits.1", "undefined" },
        { "message", "traits.", "\"empty-key\"" },
        { "message", "traits..", "undefined" },
        { "message", "traits.e.", "\"trailing-dot\"" },
        { "message", "traits.e", "undefined" },
        { "message", "traits..l", "undefined" },
        { "message", "traits.k\\", "undefined" },
        { "message", "traits.k\\\\", "undefined" },
        { "message", "traits.hasOwnProperty", "\"own-hop\"" },
        { "message", "traits.toString", "function" },
        { "message", "traits.valueOf", "function" },
        { "message", "traits.isPrototypeOf", "function" },
        { "message", "traits.constructor", "function" },
        { "message", "traits.propertyIsEnumerable", "function" },
        { "message", "traits.toLocaleString", "function" },
        { "message", "traits.__defineGetter__", "function" },
        { "message", "traits.__lookupSetter__", "function" },
        { "message", "traits.length", "undefined" },
        { "message", "traits.map", "undefined" },
        { "message", "context.traits.email", "\"ctx@x\"" },
        { "message", "context.traits.id", "\"cid\"" },
        { "message", "context.traits.userId", "undefined" },
        { "message", "context.os.name", "\"Android\"" },
        { "message", "context.device.token", "123" },
        { "message", "context.device.token.x", "undefined" },
        { "message", "context.traits.email.x", "undefined" },
        { "message", "traits.email\\", "undefined" },
        { "message", "traits\\.email", "\"literal-top\"" },
        { "message", "traits.email.", "undefined" },
        { "message", ".traits", "undefined" },
        { "message", ".", "undefined" },
        { "message", "..", "undefined" },
        { "message", "", "undefined" },
        { "message", "\\", "undefined" },
        { "message", "\\.", "undefined" },
        { "message", "x.y.z", "\"lit-xyz\"" },
        { "message", "x.y", "{\"z\":\"real-z\"}" },
        { "message", "x.y.z.w", "undefined" },
        { "message", "x.y\\.z", "\"lit-yz\"" },
        { "message", "p.q.r.s", "1" },
        { "message", "p.q.r", "{\"s\":1}" },
        { "message", "p.q", "undefined" },
        { "message", "traits.a.b.c", "undefined" },
        { "message", "userId.length", "undefined" },
        { "message", "toString", "function" },
        { "message", "hasOwnProperty", "function" },
        { "message", "constructor", "function" },
        { "message", "valueOf", "function" },
        { "root2", "a.b.c", "1" },
        { "root2", "a.b", "{\"c\":2}" },
        { "root2", "a", "{\"b.c\":3,\"b\":{\"c\":4}}" },
        { "root2", "a.b.c.d", "undefined" },
        { "root3", "a.b.c", "4" },
        { "root3", "a.b", "{\"c\":2}" },
        { "root4", "a.b.c", "3" },
        { "root4", "a.b", "{\"c\":2}" },
        { "root4", "a.x.c", "undefined" },
        { "root5", "a.b.c", "2" },
        { "root5", "a.b", "{\"c\":2}" },
        { "root5", "a.b.d", "undefined" },
        { "root5", "a", "undefined" },
        { "root6", "a.b.c", "3" },
        { "root6", "a.b", "undefined" },
        { "root6", "a.b.c.d", "undefined" },
        { "root7", "a.b.c", "undefined" },
        { "root7", "a.b", "{\"c\":2}" },
        { "root7", "a", "1" },
        { "root8", "a.b.c.d.e", "5" },
        { "root8", "a.b.c.d", "undefined" },
        { "root8", "a.b.c", "undefined" },
        { "root9", "a.b.c.d.e", "6" },
        { "root9", "a.b.c.d", "{\"e\":6}" },
        { "root10", "a.b", "7" },
        { "root10", "a", "null" },
        { "root11", "a.b.c", "8" },
        { "root11", "a.b", "null" },
        { "root12", "", "{\"\":{\"x\":1}}" },
        { "root12", ".", "{\"x\":1}" },
        { "root12", "..x", "1" },
        { "root12", "a.", "2" },
        { "root12", "a..", "undefined" },
        { "root12", ".x", "undefined" },
        { "root13", "a\\.b", "1" },
        { "root13", "a\\\\.b", "undefined" },
        { "root13", "a\\", "{\"b\":2}" },
        { "root13", "c\\.d", "undefined" },
        { "root13", "c\\\\.d", "undefined" },
        { "root13", "e\\\\.f", "undefined" },
        { "root13", "e\\\\\\.f", "undefined" },
        { "root13", "g.h\\", "undefined" },
        { "root13", "g.h\\\\", "undefined" },
        { "root13", "x\\", "undefined" },
        { "root13", "a\\.b\\", "undefined" },
        { "root13", "a\\.b.c", "undefined" },
        { "root14", "a\\.b.c", "2" },
        { "root14", "a.b.c", "1" },
        { "root14", "a\\.b", "{\"c\":2}" },
        { "root15", "0", "{\"a\":1}" },
        { "root15", "0.a", "1" },
        { "root15", "1", "[2,3]" },
        { "root15", "1.1", "3" },
        { "root15", "1.length", "2" },
        { "root15", "2", "\"s\"" },
        { "root15", "2.length", "undefined" },
        { "root15", "3", "null" },
        { "root15", "3.x", "undefined" },
        { "root15", "4", "0" },
        { "root15", "5", "undefined" },
        { "root15", "-1", "undefined" },
        { "root15", "01", "undefined" },
        { "root15", "00", "undefined" },
        { "root15", "1.0", "2" },
        { "root15", "1.5", "undefined" },
        { "root15", "length", "5" },
        { "root15", "length.x", "undefined" },
        { "root15", "toString", "function" },
        { "root15", "map", "function" },
        { "root15", "at", "function" },
        { "root15", "with", "function" },
        { "root15", "toSorted", "function" },
        { "root15", "findLast", "function" },
        { "root15", "flat", "function" },
        { "root15", "entries", "function" },
        { "root15", "hasOwnProperty", "function" },
        { "root15", "valueOf", "function" },
        { "root15", "constructor", "function" },
        { "root15", "group", "undefined" },
        { "root15", "size", "undefined" },
        { "root15", "a", "undefined" },
        { "root15", "0.toString", "function" },
        { "root15", "1.map", "function" },
        { "root15", "0.map", "undefined" },
        { "root15", "0.length", "undefined" },
        { "root15", "4294967295", "undefined" },
        { "root15", "4294967294", "undefined" },
        { "root15", "", "undefined" },
        { "root16", "0", "undefined" },
        { "root16", "length", "0" },
        { "root16", "toString", "function" },
        { "root16", "push", "function" },
        { "root16", "x", "undefined" },
        { "root17", "a", "\"abc\"" },
        { "root17", "a.b", "\"abc\"" },
        { "root17", "0", "\"abc\"" },
        { "root17", "length", "\"abc\"" },
        { "root17", "", "\"abc\"" },
        { "root17", "toString", "\"abc\"" },
        { "root18", "a", "\"\"" },
        { "root18", "a.b", "\"\"" },
        { "root18", "0", "\"\"" },
        { "root18", "length", "\"\"" },
        { "root18", "", "\"\"" },
        { "root18", "toString", "\"\"" },
        { "root19", "a", "5" },
        { "root19", "a.b", "5" },
        { "root19", "0", "5" },
        { "root19", "length", "5" },
        { "root19", "", "5" },
        { "root19", "toString", "5" },
        { "root20", "a", "0" },
        { "root20", "a.b", "0" },
        { "root20", "0", "0" },
        { "root20", "length", "0" },
        { "root20", "", "0" },
        { "root20", "toString", "0" },
        { "root21", "a", "true" },
        { "root21", "a.b", "true" },
        { "root21", "0", "true" },
        { "root21", "length", "true" },
        { "root21", "", "true" },
        { "root21", "toString", "true" },
        { "root22", "a", "false" },
        { "root22", "a.b", "false" },
        { "root22", "0", "false" },
        { "root22", "length", "false" },
        { "root22", "", "false" },
        { "root22", "toString", "false" },
        { "root23", "a", "null" },
        { "root23", "a.b", "null" },
        { "root23", "0", "null" },
        { "root23", "length", "null" },
        { "root23", "", "null" },
        { "root23", "toString", "null" },
        { "root24", "toString", "function" },
        { "root24", "valueOf", "function" },
        { "root24", "hasOwnProperty", "function" },
        { "root24", "isPrototypeOf", "function" },
        { "root24", "propertyIsEnumerable", "function" },
        { "root24", "toLocaleString", "function" },
        { "root24", "__defineGetter__", "function" },
        { "root24", "__defineSetter__", "function" },
        { "root24", "__lookupGetter__", "function" },
        { "root24", "__lookupSetter__", "function" },
        { "root24", "constructor", "function" },
        { "root24", "map", "undefined" },
        { "root24", "length", "undefined" },
        { "root24", "prototype", "undefined" },
        { "root24", "call", "undefined" },
        { "root24", "name", "undefined" },
        { "root24", "toString.x.y", "undefined" },
        { "root24", "hasOwnProperty\\.x", "undefined" },
        { "root25", "toString", "\"own\"" },
        { "root25", "valueOf", "null" },
        { "root25", "constructor", "{\"name\":\"C\"}" },
        { "root25", "constructor.name", "\"C\"" },
        { "root25", "hasOwnProperty", "function" },
        { "root26", "a.toString", "1" },
        { "root26", "a.valueOf", "function" },
        { "root26", "a.toString.x", "undefined" },
    };

    /// <summary>The inputs of <see cref="Paths"/>, by name.</summary>
    internal static readonly Dictionary<string, string> Roots = new()
    {
        ["message"] = "{\"type\":\"identify\",\"userId\":\"u1\",\"anonymousId\":\"\",\"traits\":{\"0\":\"zero\",\"email\":\"t@x\",\"name\":\"\",\"id\":0,\"userId\":null,\"flag\":false,\"a.b\":\"lit-ab\",\"a\":{\"b\":\"nested-ab\",\"c\":{\"d\":3}},\"arr\":[10,{\"x\":1},[7]],\"s\":\"str\",\"01\":\"zero-one\",\"\":\"empty-key\",\"k\\\\\":\"backslash-key\",\"hasOwnProperty\":\"own-hop\",\"e.\":\"trailing-dot\",\".l\":\"leading-dot\"},\"context\":{\"traits\":{\"email\":\"ctx@x\",\"id\":\"cid\"},\"os\":{\"name\":\"Android\"},\"device\":{\"token\":123}},\"traits.email\":\"literal-top\",\"x.y.z\":\"lit-xyz\",\"x\":{\"y.z\":\"lit-yz\",\"y\":{\"z\":\"real-z\"}},\"p\":{\"q.r\":{\"s\":1}},\"n\":null,\"properties\":[]}",
        ["root2"] = "{\"a.b.c\":1,\"a.b\":{\"c\":2},\"a\":{\"b.c\":3,\"b\":{\"c\":4}}}",
        ["root3"] = "{\"a.b\":{\"c\":2},\"a\":{\"b.c\":3,\"b\":{\"c\":4}}}",
        ["root4"] = "{\"a.b\":{\"c\":2},\"a\":{\"b.c\":3}}",
        ["root5"] = "{\"a.b\":{\"c\":2}}",
        ["root6"] = "{\"a\":{\"b.c\":3}}",
        ["root7"] = "{\"a\":1,\"a.b\":{\"c\":2}}",
        ["root8"] = "{\"a\":{\"b\":{\"c.d.e\":5}}}",
        ["root9"] = "{\"a\":{\"b.c.d\":{\"e\":6}}}",
        ["root10"] = "{\"a\":null,\"a.b\":7}",
        ["root11"] = "{\"a\":{\"b\":null},\"a.b.c\":8}",
        ["root12"] = "{\"\":{\"\":{\"x\":1}},\"a\":{\"\":2}}",
        ["root13"] = "{\"a.b\":1,\"a\\\\\":{\"b\":2},\"c\\\\\":{\"d\":4},\"e\\\\\\\\\":{\"f\":5},\"g\":{\"h\\\\\":9}}",
        ["root14"] = "{\"a\":{\"b\":{\"c\":1}},\"a.b\":{\"c\":2}}",
        ["root15"] = "[{\"a\":1},[2,3],\"s\",null,0]",
        ["root16"] = "[]",
        ["root17"] = "\"abc\"",
        ["root18"] = "\"\"",
        ["root19"] = "5",
        ["root20"] = "0",
        ["root21"] = "true",
        ["root22"] = "false",
        ["root23"] = "null",
        ["root24"] = "{}",
        ["root25"] = "{\"toString\":\"own\",\"valueOf\":null,\"constructor\":{\"name\":\"C\"}}",
        ["root26"] = "{\"a\":{\"toString\":1}}",
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Get_matches_get_value(string root, string path, string expected)
    {
        var heap = new JsHeap();
        int value = TestText.Parse(heap, Roots[root]);
        Assert.Equal(expected, TestText.Describe(heap, heap.Get(value, TestText.ToWtf8(path))));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Get_on_a_built_copy_matches_get_value(string root, string path, string expected)
    {
        // The same lookups on containers the mapper built (mutable copies, members chained).
        var heap = new JsHeap();
        int value = DeepCopy(heap, TestText.Parse(heap, Roots[root]));
        Assert.Equal(expected, TestText.Describe(heap, heap.Get(value, TestText.ToWtf8(path))));
    }

    /// <summary>
    /// Prepared paths (<see cref="JsPath"/>, what generated mappers use) give the same answers as
    /// the text walk, one lookup per heap.
    /// </summary>
    [Theory]
    [MemberData(nameof(Paths))]
    public void Prepared_path_matches_get_value(string root, string path, string expected)
    {
        var heap = new JsHeap();
        int value = TestText.Parse(heap, Roots[root]);
        Assert.Equal(expected, TestText.Describe(heap, heap.Get(value, JsPath.Of(TestText.Utf8(TestText.ToWtf8(path))))));
        // Asked again, now answered from what the first walk remembered.
        Assert.Equal(expected, TestText.Describe(heap, heap.Get(value, JsPath.Of(TestText.Utf8(TestText.ToWtf8(path))))));
    }

    /// <summary>
    /// Every row of a root looked up on one parsed input, forwards then backwards, so each lookup
    /// may be answered from walks other paths left behind (shared prefixes, remembered misses,
    /// whole-path keys beside nested ones).
    /// </summary>
    [Theory]
    [MemberData(nameof(RootNames))]
    public void Prepared_paths_sharing_walks_match_get_value(string root)
    {
        var rows = Paths.Where(r => (string)r[0] == root).Select(r => (Path: JsPath.Of(TestText.Utf8(TestText.ToWtf8((string)r[1]))), Expected: (string)r[2])).ToArray();
        foreach (var copy in new[] { false, true })
        {
            var heap = new JsHeap();
            int value = TestText.Parse(heap, Roots[root]);
            if (copy) value = DeepCopy(heap, value);
            foreach (var (path, expected) in rows.Concat(rows.Reverse()))
            {
                Assert.True(expected == TestText.Describe(heap, heap.Get(value, path)), $"{root} {path} (built copy: {copy})");
            }
        }
    }

    public static TheoryData<string> RootNames => new(Paths.Select(r => (string)r[0]).Distinct());

    /// <summary>
    /// A missing segment is remembered as missing for every path through it only when no key of
    /// its container starts with it and a dot (a joined retry could find that key).
    /// </summary>
    [Fact]
    public void A_missed_prefix_is_remembered_only_without_joined_keys()
    {
        var heap = new JsHeap();
        int root = TestText.Parse(heap, """{"context":{"traits.email":"e","trait":1,"other.k":2,"traitsx":3},"c2":{"other.k":2}}""");
        Assert.Equal("undefined", TestText.Describe(heap, heap.Get(root, JsPath.Of("context.traits.name"))));
        Assert.Equal("\"e\"", TestText.Describe(heap, heap.Get(root, JsPath.Of("context.traits.email"))));
        Assert.Equal("undefined", TestText.Describe(heap, heap.Get(root, JsPath.Of("context.traits.name"))));
        Assert.Equal("undefined", TestText.Describe(heap, heap.Get(root, JsPath.Of("c2.traits.name"))));
        Assert.Equal("undefined", TestText.Describe(heap, heap.Get(root, JsPath.Of("c2.traits.email"))));
        Assert.Equal("2", TestText.Describe(heap, heap.Get(root, JsPath.Of("c2.other.k"))));

        // A key that is the segment and a dot alone is a joined retry too ("a" + "." + "").
        var dotted = new JsHeap();
        int dottedRoot = TestText.Parse(dotted, """{"a.":{"b":true},"x":{"a.":1},".":{"":1}}""");
        Assert.Equal("undefined", TestText.Describe(dotted, dotted.Get(dottedRoot, JsPath.Of("a.x"))));
        Assert.Equal("true", TestText.Describe(dotted, dotted.Get(dottedRoot, JsPath.Of("a..b"))));
        Assert.Equal("undefined", TestText.Describe(dotted, dotted.Get(dottedRoot, JsPath.Of("x.a.y"))));
        Assert.Equal("1", TestText.Describe(dotted, dotted.Get(dottedRoot, JsPath.Of("x.a."))));
        Assert.Equal("undefined", TestText.Describe(dotted, dotted.Get(dottedRoot, JsPath.Of(".y"))));
        Assert.Equal("1", TestText.Describe(dotted, dotted.Get(dottedRoot, JsPath.Of(".."))));
    }

    /// <summary>A walk through a container the mapper built is not remembered: its members may be replaced.</summary>
    [Fact]
    public void Walks_through_built_containers_see_later_writes()
    {
        var heap = new JsHeap();
        int input = TestText.Parse(heap, """{"x":{"b":1},"y":{"c":2}}""");
        int built = heap.NewObject();
        heap.Set(built, heap.NewKey("a"u8), heap.Get(input, "x"u8));
        Assert.Equal("1", TestText.Describe(heap, heap.Get(built, JsPath.Of("a.b"))));
        heap.Set(built, heap.NewKey("a"u8), heap.Get(input, "y"u8));
        Assert.Equal("2", TestText.Describe(heap, heap.Get(built, JsPath.Of("a.c"))));
        Assert.Equal("undefined", TestText.Describe(heap, heap.Get(built, JsPath.Of("a.b"))));

        // Below an input root too: a built object placed in a container made mutable in place.
        int root = TestText.Parse(heap, """{"t":{}}""");
        int t = heap.Get(root, JsPath.Of("t"));
        heap.MakeMutableInPlace(t);
        int inner = heap.NewObject();
        heap.Set(t, heap.NewKey("a"u8), inner);
        heap.Set(inner, heap.NewKey("b"u8), heap.Get(input, "x"u8));
        Assert.Equal("1", TestText.Describe(heap, heap.Get(root, JsPath.Of("t.a.b.b"))));
        heap.Set(inner, heap.NewKey("b"u8), heap.Get(input, "y"u8));
        Assert.Equal("2", TestText.Describe(heap, heap.Get(root, JsPath.Of("t.a.b.c"))));
        Assert.Equal("undefined", TestText.Describe(heap, heap.Get(root, JsPath.Of("t.a.b.b"))));
    }

    /// <summary>A write into an input object (made mutable in place) is seen by later prepared lookups.</summary>
    [Fact]
    public void Prepared_paths_see_writes_into_input_objects()
    {
        var heap = new JsHeap();
        int root = TestText.Parse(heap, """{"traits":{"a":1,"c":{"d":2}},"context":{}}""");
        var a = JsPath.Of("traits.a");
        var b = JsPath.Of("traits.b");
        var cd = JsPath.Of("traits.c.d");
        var missing = JsPath.Of("context.traits.a");
        var joined = JsPath.Of("context.traits.x");
        Assert.Equal("1", TestText.Describe(heap, heap.Get(root, a)));
        Assert.Equal("undefined", TestText.Describe(heap, heap.Get(root, b)));
        Assert.Equal("2", TestText.Describe(heap, heap.Get(root, cd)));
        Assert.Equal("undefined", TestText.Describe(heap, heap.Get(root, missing)));

        int traits = heap.Get(root, JsPath.Of("traits"));
        heap.MakeMutableInPlace(traits);
        heap.Set(traits, heap.NewKey("b"u8), heap.NewNumber(3));
        heap.Set(traits, heap.NewKey("c"u8), heap.NewNumber(4));
        Assert.Equal("3", TestText.Describe(heap, heap.Get(root, b)));
        Assert.Equal("undefined", TestText.Describe(heap, heap.Get(root, cd)));

        // A joined key ("traits.x" on context) appears after context was found without "traits".
        int context = heap.Get(root, JsPath.Of("context"));
        heap.MakeMutableInPlace(context);
        heap.Set(context, heap.NewKey("traits.x"u8), heap.NewNumber(5));
        Assert.Equal("5", TestText.Describe(heap, heap.Get(root, joined)));
        Assert.Equal("undefined", TestText.Describe(heap, heap.Get(root, missing)));
    }

    /// <summary>
    /// get-value walks on into an inherited function (spec §14.13.6: dynamic config templates reach
    /// them): its own <c>name</c> and <c>length</c>, the members of Function.prototype (<c>call</c>,
    /// <c>apply</c>, <c>bind</c>, <c>toString</c>, <c>constructor</c>) and of Object.prototype;
    /// <c>__proto__</c> is the prototype object (JSON shows <c>{}</c> or <c>[]</c>).
    /// </summary>
    public static TheoryData<string, string, string> ThroughFunctions => new()
    {
        { "{}", "toString.length", "0" },
        { "{}", "toString.name", "\"toString\"" },
        { "{}", "constructor.name", "\"Object\"" },
        { "{}", "hasOwnProperty.call", "function" },
        { "[]", "map.length", "1" },
        { "{\"a\":{}}", "a.valueOf.name", "\"valueOf\"" },
        { "{}", "__proto__", "{}" },
        { "[]", "__proto__", "[]" },
        { "{\"a\":{}}", "a.__proto__", "{}" },
        { "{}", "__proto__.toString", "function" },
        { "{}", "hasOwnProperty.length", "1" },
        { "{}", "__defineGetter__.length", "2" },
        { "{}", "toString.call.name", "\"call\"" },
        { "{}", "toString.toString.name", "\"toString\"" },
        { "{}", "constructor.constructor.name", "\"Function\"" },
        { "[]", "constructor.name", "\"Array\"" },
        { "[1]", "toSorted.length", "1" },
        { "{\"a\":[]}", "a.splice.length", "2" },
        { "{}", "toString.nope", "undefined" },
        { "{}", "toString.name.length", "undefined" },
        { "{}", "toString.x.y", "undefined" },
    };

    [Theory]
    [MemberData(nameof(ThroughFunctions))]
    public void Get_through_inherited_functions_matches_get_value(string input, string path, string expected)
    {
        var heap = new JsHeap();
        int root = TestText.Parse(heap, input);
        Assert.Equal(expected, TestText.Describe(heap, heap.Get(root, TestText.ToWtf8(path))));
        Assert.Equal(expected, TestText.Describe(heap, heap.Get(root, JsPath.Of(path))));
    }

    /// <summary>Reading <c>caller</c> or <c>arguments</c> of a built-in function throws (strict-mode TypeError).</summary>
    [Theory]
    [InlineData("{}", "toString.caller")]
    [InlineData("{}", "valueOf.arguments")]
    [InlineData("[]", "map.caller.x")]
    public void Get_of_a_functions_caller_throws(string input, string path)
    {
        var heap = new JsHeap();
        int root = TestText.Parse(heap, input);
        Assert.Throws<Mappings.Runtime.Js.JsTypeError>(() => heap.Get(root, TestText.ToWtf8(path)));
    }

    /// <summary><c>String()</c> of a function found by a lookup names it (spec §14.13.6).</summary>
    [Theory]
    [InlineData("{}", "toString", "function toString() { [native code] }")]
    [InlineData("{}", "toLocaleString", "function toLocaleString() { [native code] }")]
    [InlineData("{}", "constructor", "function Object() { [native code] }")]
    [InlineData("[]", "constructor", "function Array() { [native code] }")]
    [InlineData("[]", "flatMap", "function flatMap() { [native code] }")]
    [InlineData("{}", "isPrototypeOf.bind", "function bind() { [native code] }")]
    [InlineData("{}", "valueOf.constructor", "function Function() { [native code] }")]
    public void String_of_a_found_function_names_it(string input, string path, string expected)
    {
        var heap = new JsHeap();
        int root = TestText.Parse(heap, input);
        var output = new ByteBuffer();
        Mappings.Runtime.Js.JsConvert.AppendString(heap, heap.Get(root, TestText.ToWtf8(path)), output, "value");
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(output.WrittenSpan));
    }

    internal static int DeepCopy(JsHeap heap, int value)
    {
        if (!heap.IsContainer(value)) return value;
        int copy = heap.MakeMutable(value);
        var keys = heap.Keys(copy);
        var members = new List<(JsKey Key, int Value)>();
        for (int i = 0; i < keys.Count; i++)
        {
            int m = heap.KeyMember(in keys, i);
            members.Add((heap.MemberKey(m), heap.MemberValue(m)));
        }
        heap.EndKeys(in keys);
        foreach (var (key, child) in members) heap.Set(copy, in key, DeepCopy(heap, child));
        return copy;
    }

    /// <summary>value, key → <c>value[key] !== undefined</c> (own keys, indices, length, inherited members of every kind of value).</summary>
    public static TheoryData<string, string, bool> DefinedProperties => new()
    {
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "a", true },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "n", true },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "0", true },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "1", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "2", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "3", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "01", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "-0", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "a.b", true },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "b", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "length", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "toString", true },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "valueOf", true },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "constructor", true },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "hasOwnProperty", true },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "__proto__", true },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "toLocaleString", true },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "charAt", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "at", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "isWellFormed", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "toWellFormed", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "trimLeft", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "anchor", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "toFixed", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "toPrecision", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "map", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "flat", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "with", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "foo", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "prototype", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "call", false },
        { "{\"a\":1,\"n\":null,\"0\":\"z\",\"a.b\":2}", "name", false },
        { "[1,null,\"x\"]", "a", false },
        { "[1,null,\"x\"]", "n", false },
        { "[1,null,\"x\"]", "0", true },
        { "[1,null,\"x\"]", "1", true },
        { "[1,null,\"x\"]", "2", true },
        { "[1,null,\"x\"]", "3", false },
        { "[1,null,\"x\"]", "01", false },
        { "[1,null,\"x\"]", "-0", false },
        { "[1,null,\"x\"]", "a.b", false },
        { "[1,null,\"x\"]", "b", false },
        { "[1,null,\"x\"]", "length", true },
        { "[1,null,\"x\"]", "toString", true },
        { "[1,null,\"x\"]", "valueOf", true },
        { "[1,null,\"x\"]", "constructor", true },
        { "[1,null,\"x\"]", "hasOwnProperty", true },
        { "[1,null,\"x\"]", "__proto__", true },
        { "[1,null,\"x\"]", "toLocaleString", true },
        { "[1,null,\"x\"]", "charAt", false },
        { "[1,null,\"x\"]", "at", true },
        { "[1,null,\"x\"]", "isWellFormed", false },
        { "[1,null,\"x\"]", "toWellFormed", false },
        { "[1,null,\"x\"]", "trimLeft", false },
        { "[1,null,\"x\"]", "anchor", false },
        { "[1,null,\"x\"]", "toFixed", false },
        { "[1,null,\"x\"]", "toPrecision", false },
        { "[1,null,\"x\"]", "map", true },
        { "[1,null,\"x\"]", "flat", true },
        { "[1,null,\"x\"]", "with", true },
        { "[1,null,\"x\"]", "foo", false },
        { "[1,null,\"x\"]", "", false },
        { "[1,null,\"x\"]", "prototype", false },
        { "[1,null,\"x\"]", "call", false },
        { "[1,null,\"x\"]", "name", false },
        { "[]", "a", false },
        { "[]", "n", false },
        { "[]", "0", false },
        { "[]", "1", false },
        { "[]", "2", false },
        { "[]", "3", false },
        { "[]", "01", false },
        { "[]", "-0", false },
        { "[]", "a.b", false },
        { "[]", "b", false },
        { "[]", "length", true },
        { "[]", "toString", true },
        { "[]", "valueOf", true },
        { "[]", "constructor", true },
        { "[]", "hasOwnProperty", true },
        { "[]", "__proto__", true },
        { "[]", "toLocaleString", true },
        { "[]", "charAt", false },
        { "[]", "at", true },
        { "[]", "isWellFormed", false },
        { "[]", "toWellFormed", false },
        { "[]", "trimLeft", false },
        { "[]", "anchor", false },
        { "[]", "toFixed", false },
        { "[]", "toPrecision", false },
        { "[]", "map", true },
        { "[]", "flat", true },
        { "[]", "with", true },
        { "[]", "foo", false },
        { "[]", "", false },
        { "[]", "prototype", false },
        { "[]", "call", false },
        { "[]", "name", false },
        { "\"abc\"", "a", false },
        { "\"abc\"", "n", false },
        { "\"abc\"", "0", true },
        { "\"abc\"", "1", true },
        { "\"abc\"", "2", true },
        { "\"abc\"", "3", false },
        { "\"abc\"", "01", false },
        { "\"abc\"", "-0", false },
        { "\"abc\"", "a.b", false },
        { "\"abc\"", "b", false },
        { "\"abc\"", "length", true },
        { "\"abc\"", "toString", true },
        { "\"abc\"", "valueOf", true },
        { "\"abc\"", "constructor", true },
        { "\"abc\"", "hasOwnProperty", true },
        { "\"abc\"", "__proto__", true },
        { "\"abc\"", "toLocaleString", true },
        { "\"abc\"", "charAt", true },
        { "\"abc\"", "at", true },
        { "\"abc\"", "isWellFormed", true },
        { "\"abc\"", "toWellFormed", true },
        { "\"abc\"", "trimLeft", true },
        { "\"abc\"", "anchor", true },
        { "\"abc\"", "toFixed", false },
        { "\"abc\"", "toPrecision", false },
        { "\"abc\"", "map", false },
        { "\"abc\"", "flat", false },
        { "\"abc\"", "with", false },
        { "\"abc\"", "foo", false },
        { "\"abc\"", "", false },
        { "\"abc\"", "prototype", false },
        { "\"abc\"", "call", false },
        { "\"abc\"", "name", false },
        { "\"\"", "a", false },
        { "\"\"", "n", false },
        { "\"\"", "0", false },
        { "\"\"", "1", false },
        { "\"\"", "2", false },
        { "\"\"", "3", false },
        { "\"\"", "01", false },
        { "\"\"", "-0", false },
        { "\"\"", "a.b", false },
        { "\"\"", "b", false },
        { "\"\"", "length", true },
        { "\"\"", "toString", true },
        { "\"\"", "valueOf", true },
        { "\"\"", "constructor", true },
        { "\"\"", "hasOwnProperty", true },
        { "\"\"", "__proto__", true },
        { "\"\"", "toLocaleString", true },
        { "\"\"", "charAt", true },
        { "\"\"", "at", true },
        { "\"\"", "isWellFormed", true },
        { "\"\"", "toWellFormed", true },
        { "\"\"", "trimLeft", true },
        { "\"\"", "anchor", true },
        { "\"\"", "toFixed", false },
        { "\"\"", "toPrecision", false },
        { "\"\"", "map", false },
        { "\"\"", "flat", false },
        { "\"\"", "with", false },
        { "\"\"", "foo", false },
        { "\"\"", "", false },
        { "\"\"", "prototype", false },
        { "\"\"", "call", false },
        { "\"\"", "name", false },
        { "\"\\ud83d\\ude00\"", "a", false },
        { "\"\\ud83d\\ude00\"", "n", false },
        { "\"\\ud83d\\ude00\"", "0", true },
        { "\"\\ud83d\\ude00\"", "1", true },
        { "\"\\ud83d\\ude00\"", "2", false },
        { "\"\\ud83d\\ude00\"", "3", false },
        { "\"\\ud83d\\ude00\"", "01", false },
        { "\"\\ud83d\\ude00\"", "-0", false },
        { "\"\\ud83d\\ude00\"", "a.b", false },
        { "\"\\ud83d\\ude00\"", "b", false },
        { "\"\\ud83d\\ude00\"", "length", true },
        { "\"\\ud83d\\ude00\"", "toString", true },
        { "\"\\ud83d\\ude00\"", "valueOf", true },
        { "\"\\ud83d\\ude00\"", "constructor", true },
        { "\"\\ud83d\\ude00\"", "hasOwnProperty", true },
        { "\"\\ud83d\\ude00\"", "__proto__", true },
        { "\"\\ud83d\\ude00\"", "toLocaleString", true },
        { "\"\\ud83d\\ude00\"", "charAt", true },
        { "\"\\ud83d\\ude00\"", "at", true },
        { "\"\\ud83d\\ude00\"", "isWellFormed", true },
        { "\"\\ud83d\\ude00\"", "toWellFormed", true },
        { "\"\\ud83d\\ude00\"", "trimLeft", true },
        { "\"\\ud83d\\ude00\"", "anchor", true },
        { "\"\\ud83d\\ude00\"", "toFixed", false },
        { "\"\\ud83d\\ude00\"", "toPrecision", false },
        { "\"\\ud83d\\ude00\"", "map", false },
        { "\"\\ud83d\\ude00\"", "flat", false },
        { "\"\\ud83d\\ude00\"", "with", false },
        { "\"\\ud83d\\ude00\"", "foo", false },
        { "\"\\ud83d\\ude00\"", "", false },
        { "\"\\ud83d\\ude00\"", "prototype", false },
        { "\"\\ud83d\\ude00\"", "call", false },
        { "\"\\ud83d\\ude00\"", "name", false },
        { "5", "a", false },
        { "5", "n", false },
        { "5", "0", false },
        { "5", "1", false },
        { "5", "2", false },
        { "5", "3", false },
        { "5", "01", false },
        { "5", "-0", false },
        { "5", "a.b", false },
        { "5", "b", false },
        { "5", "length", false },
        { "5", "toString", true },
        { "5", "valueOf", true },
        { "5", "constructor", true },
        { "5", "hasOwnProperty", true },
        { "5", "__proto__", true },
        { "5", "toLocaleString", true },
        { "5", "charAt", false },
        { "5", "at", false },
        { "5", "isWellFormed", false },
        { "5", "toWellFormed", false },
        { "5", "trimLeft", false },
        { "5", "anchor", false },
        { "5", "toFixed", true },
        { "5", "toPrecision", true },
        { "5", "map", false },
        { "5", "flat", false },
        { "5", "with", false },
        { "5", "foo", false },
        { "5", "", false },
        { "5", "prototype", false },
        { "5", "call", false },
        { "5", "name", false },
        { "0", "a", false },
        { "0", "n", false },
        { "0", "0", false },
        { "0", "1", false },
        { "0", "2", false },
        { "0", "3", false },
        { "0", "01", false },
        { "0", "-0", false },
        { "0", "a.b", false },
        { "0", "b", false },
        { "0", "length", false },
        { "0", "toString", true },
        { "0", "valueOf", true },
        { "0", "constructor", true },
        { "0", "hasOwnProperty", true },
        { "0", "__proto__", true },
        { "0", "toLocaleString", true },
        { "0", "charAt", false },
        { "0", "at", false },
        { "0", "isWellFormed", false },
        { "0", "toWellFormed", false },
        { "0", "trimLeft", false },
        { "0", "anchor", false },
        { "0", "toFixed", true },
        { "0", "toPrecision", true },
        { "0", "map", false },
        { "0", "flat", false },
        { "0", "with", false },
        { "0", "foo", false },
        { "0", "", false },
        { "0", "prototype", false },
        { "0", "call", false },
        { "0", "name", false },
        { "-1.5", "a", false },
        { "-1.5", "n", false },
        { "-1.5", "0", false },
        { "-1.5", "1", false },
        { "-1.5", "2", false },
        { "-1.5", "3", false },
        { "-1.5", "01", false },
        { "-1.5", "-0", false },
        { "-1.5", "a.b", false },
        { "-1.5", "b", false },
        { "-1.5", "length", false },
        { "-1.5", "toString", true },
        { "-1.5", "valueOf", true },
        { "-1.5", "constructor", true },
        { "-1.5", "hasOwnProperty", true },
        { "-1.5", "__proto__", true },
        { "-1.5", "toLocaleString", true },
        { "-1.5", "charAt", false },
        { "-1.5", "at", false },
        { "-1.5", "isWellFormed", false },
        { "-1.5", "toWellFormed", false },
        { "-1.5", "trimLeft", false },
        { "-1.5", "anchor", false },
        { "-1.5", "toFixed", true },
        { "-1.5", "toPrecision", true },
        { "-1.5", "map", false },
        { "-1.5", "flat", false },
        { "-1.5", "with", false },
        { "-1.5", "foo", false },
        { "-1.5", "", false },
        { "-1.5", "prototype", false },
        { "-1.5", "call", false },
        { "-1.5", "name", false },
        { "true", "a", false },
        { "true", "n", false },
        { "true", "0", false },
        { "true", "1", false },
        { "true", "2", false },
        { "true", "3", false },
        { "true", "01", false },
        { "true", "-0", false },
        { "true", "a.b", false },
        { "true", "b", false },
        { "true", "length", false },
        { "true", "toString", true },
        { "true", "valueOf", true },
        { "true", "constructor", true },
        { "true", "hasOwnProperty", true },
        { "true", "__proto__", true },
        { "true", "toLocaleString", true },
        { "true", "charAt", false },
        { "true", "at", false },
        { "true", "isWellFormed", false },
        { "true", "toWellFormed", false },
        { "true", "trimLeft", false },
        { "true", "anchor", false },
        { "true", "toFixed", false },
        { "true", "toPrecision", false },
        { "true", "map", false },
        { "true", "flat", false },
        { "true", "with", false },
        { "true", "foo", false },
        { "true", "", false },
        { "true", "prototype", false },
        { "true", "call", false },
        { "true", "name", false },
        { "false", "a", false },
        { "false", "n", false },
        { "false", "0", false },
        { "false", "1", false },
        { "false", "2", false },
        { "false", "3", false },
        { "false", "01", false },
        { "false", "-0", false },
        { "false", "a.b", false },
        { "false", "b", false },
        { "false", "length", false },
        { "false", "toString", true },
        { "false", "valueOf", true },
        { "false", "constructor", true },
        { "false", "hasOwnProperty", true },
        { "false", "__proto__", true },
        { "false", "toLocaleString", true },
        { "false", "charAt", false },
        { "false", "at", false },
        { "false", "isWellFormed", false },
        { "false", "toWellFormed", false },
        { "false", "trimLeft", false },
        { "false", "anchor", false },
        { "false", "toFixed", false },
        { "false", "toPrecision", false },
        { "false", "map", false },
        { "false", "flat", false },
        { "false", "with", false },
        { "false", "foo", false },
        { "false", "", false },
        { "false", "prototype", false },
        { "false", "call", false },
        { "false", "name", false },
        { "null", "a", false },
        { "null", "n", false },
        { "null", "0", false },
        { "null", "1", false },
        { "null", "2", false },
        { "null", "3", false },
        { "null", "01", false },
        { "null", "-0", false },
        { "null", "a.b", false },
        { "null", "b", false },
        { "null", "length", false },
        { "null", "toString", false },
        { "null", "valueOf", false },
        { "null", "constructor", false },
        { "null", "hasOwnProperty", false },
        { "null", "__proto__", false },
        { "null", "toLocaleString", false },
        { "null", "charAt", false },
        { "null", "at", false },
        { "null", "isWellFormed", false },
        { "null", "toWellFormed", false },
        { "null", "trimLeft", false },
        { "null", "anchor", false },
        { "null", "toFixed", false },
        { "null", "toPrecision", false },
        { "null", "map", false },
        { "null", "flat", false },
        { "null", "with", false },
        { "null", "foo", false },
        { "null", "", false },
        { "null", "prototype", false },
        { "null", "call", false },
        { "null", "name", false },
    };

    [Theory]
    [MemberData(nameof(DefinedProperties))]
    public void HasDefinedProperty_matches_property_access(string value, string key, bool expected)
    {
        var heap = new JsHeap();
        Assert.Equal(expected, heap.HasDefinedProperty(TestText.Parse(heap, value), TestText.ToWtf8(key)));
    }

    [Fact]
    public void Get_allocates_nothing_once_warm()
    {
        var rows = Paths.Select(r => (Input: TestText.ToWtf8(Roots[(string)r[0]]), Path: TestText.ToWtf8((string)r[1]))).ToArray();
        var heap = new JsHeap();
        Allocations.AssertNone(() =>
        {
            foreach (var (input, path) in rows)
            {
                heap.Reset();
                heap.Get(heap.Parse(input), path);
            }
        }, warmup: 3, iterations: 20);
    }
}
