using System.Runtime.InteropServices;
using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Json;

/// <summary>
/// <see cref="JsHeap.Bind(int, JsFieldSet, Span{int})"/>, what generated mappers read the objects
/// they read many names from with (<c>traits</c>, <c>context.traits</c>): every value is exactly
/// the get-value lookup of its path (<see cref="JsHeap.Get(int, JsPath)"/>), on every input of
/// <see cref="GetValueTests"/> (dotted keys at every level, joined retries, arrays, strings and
/// other scalars, inherited names, index keys) and on inputs made to defeat the one-pass read.
/// </summary>
public class FieldBindingTests
{
    /// <summary>Source paths: the root, objects, arrays, scalars, missing ones, and paths a dotted key answers.</summary>
    private static readonly string[] Sources =
    [
        "", "traits", "context", "context.traits", "context.device", "context.os", "traits.a", "traits.a.c", "traits.arr",
        "traits.s", "traits.email", "x", "x.y", "p", "p.q", "a", "a.b", "a.b.c", "0", "1", "n", "properties", "missing",
        "missing.deeper", "toString", "constructor", "hasOwnProperty",
    ];

    /// <summary>Names: own keys of those objects, inherited names, index keys, <c>length</c>, the empty name.</summary>
    private static readonly string[] Names =
    [
        "email", "name", "id", "userId", "flag", "a", "b", "c", "d", "x", "y", "z", "q", "s", "0", "01", "1", "", "arr",
        "toString", "valueOf", "constructor", "__proto__", "hasOwnProperty", "isPrototypeOf", "length", "map", "at",
        "missing", "traits", "token", "b.c", "k",
    ];

    private static readonly Dictionary<string, string> Extra = new()
    {
        // Names sharing a key tag (same length, first, middle and last byte), repeated keys.
        ["tags"] = """{"traits":{"firstName":"A","firstname":"B","first_name":"C","email":"e1","email":"e2","lastName":null}}""",
        // A dotted key below the root: a missing segment retried joined with the next.
        ["joined"] = """{"context":{"traits.email":"joined","other":1},"traits":{"email":"t"}}""",
        ["joinedDeep"] = """{"context":{"os":{},"traits":{"email":"deep"}},"a":{"b.c":{"d":1}}}""",
        // Index keys and inherited names as own keys.
        ["indexes"] = """{"traits":{"0":"zero","1":"one","toString":"own","__proto__x":1,"length":3}}""",
        ["arrays"] = """{"traits":[{"email":"in-array"}],"context":{"traits":[1,2]}}""",
        ["empty"] = """{"traits":{},"context":{"traits":{}}}""",
    };

    public static TheoryData<string> Roots() => new(GetValueTests.Roots.Keys.Concat(Extra.Keys));

    private static string Input(string root) => GetValueTests.Roots.TryGetValue(root, out string? text) ? text : Extra[root];

    private static readonly string[] FieldNames = Names.Where(n => n.IndexOf('.') < 0).ToArray();

    [Theory]
    [MemberData(nameof(Roots))]
    public void Every_value_is_the_get_value_lookup_of_its_path(string root)
    {
        foreach (var copy in new[] { false, true })
        {
            foreach (string source in Sources)
            {
                var fields = JsFieldSet.Of(source, FieldNames);
                var heap = new JsHeap();
                int value = TestText.Parse(heap, Input(root));
                if (copy) value = GetValueTests.DeepCopy(heap, value);
                var bound = new int[fields.Count];
                heap.Bind(value, fields, bound);

                // Each path looked up in a heap of its own, so that nothing the binding remembered answers it.
                for (int i = 0; i < FieldNames.Length; i++)
                {
                    string path = source.Length == 0 ? FieldNames[i] : source + "." + FieldNames[i];
                    var fresh = new JsHeap();
                    int freshValue = TestText.Parse(fresh, Input(root));
                    if (copy) freshValue = GetValueTests.DeepCopy(fresh, freshValue);
                    string expected = TestText.Describe(fresh, fresh.Get(freshValue, JsPath.Of(path)));
                    Assert.True(
                        expected == TestText.Describe(heap, bound[i]),
                        $"{root} (built copy: {copy}) {path}: bound {TestText.Describe(heap, bound[i])}, get-value {expected}");
                }
            }
        }
    }

    /// <summary>
    /// Looked up after a binding (which remembers its walk, as a lookup does), every path and every
    /// longer path through the source gives what it gives in a heap that never bound anything.
    /// </summary>
    [Theory]
    [MemberData(nameof(Roots))]
    public void Lookups_after_binding_give_what_they_give_without(string root)
    {
        foreach (string source in Sources)
        {
            var fields = JsFieldSet.Of(source, FieldNames);
            var heap = new JsHeap();
            int value = TestText.Parse(heap, Input(root));
            heap.Bind(value, fields, new int[fields.Count]);
            foreach (string name in FieldNames)
            {
                foreach (string path in new[] { source.Length == 0 ? name : source + "." + name, (source.Length == 0 ? name : source + "." + name) + ".b" })
                {
                    var fresh = new JsHeap();
                    int freshValue = TestText.Parse(fresh, Input(root));
                    Assert.True(
                        TestText.Describe(fresh, fresh.Get(freshValue, JsPath.Of(path))) == TestText.Describe(heap, heap.Get(value, JsPath.Of(path))),
                        $"{root} {path} after binding {source}");
                }
            }
        }
    }

    [Fact]
    public void A_container_made_mutable_in_place_is_read_as_it_is_now()
    {
        var heap = new JsHeap();
        int root = TestText.Parse(heap, """{"traits":{"email":"old","name":"n"},"context":{"traits":{"email":"c"}}}""");
        int traits = heap.Get(root, JsPath.Of("traits"));
        heap.MakeMutableInPlace(traits);
        heap.Set(traits, heap.NewKey("email"u8), heap.NewString(JsName.Of("new")));
        heap.Set(traits, heap.NewKey("a.b"u8), JsHeap.True);
        heap.MakeMutableInPlace(root);
        heap.Set(root, heap.NewKey("context.traits.name"u8), JsHeap.False);

        var fields = JsFieldSet.Of("traits", "email", "name", "a", "toString");
        var values = new int[fields.Count];
        heap.Bind(root, fields, values);
        Assert.Equal(["\"new\"", "\"n\"", "undefined", "function"], values.Select(v => TestText.Describe(heap, v)));

        var context = JsFieldSet.Of("context.traits", "email", "name");
        values = new int[context.Count];
        heap.Bind(root, context, values);
        Assert.Equal(["\"c\"", "false"], values.Select(v => TestText.Describe(heap, v)));
    }

    /// <summary>
    /// What a binding walked is remembered for later lookups only through containers whose members
    /// cannot change unseen: a write into one the mapper built must be seen.
    /// </summary>
    [Fact]
    public void Walks_through_built_containers_are_not_remembered()
    {
        var heap = new JsHeap();
        int root = TestText.Parse(heap, """{"t":{},"x":{"b":1},"y":{"b":2}}""");
        int t = heap.Get(root, JsPath.Of("t"));
        heap.MakeMutableInPlace(t);
        int inner = heap.NewObject();
        heap.Set(t, heap.NewKey("a"u8), inner);
        heap.Set(inner, heap.NewKey("b"u8), heap.Get(root, JsPath.Of("x")));

        var values = new int[4];
        heap.Bind(root, JsFieldSet.Of("t.a.b", "b", "c", "d", "e"), values);
        Assert.Equal("1", TestText.Describe(heap, values[0]));

        heap.Set(inner, heap.NewKey("b"u8), heap.Get(root, JsPath.Of("y")));
        Assert.Equal("2", TestText.Describe(heap, heap.Get(root, JsPath.Of("t.a.b.b"))));
        heap.Bind(root, JsFieldSet.Of("t.a.b", "b", "c", "d", "e"), values);
        Assert.Equal("2", TestText.Describe(heap, values[0]));
    }

    /// <summary>A binding remembers its walk and its misses as a lookup would: later lookups agree.</summary>
    [Fact]
    public void Lookups_after_a_binding_agree_with_it()
    {
        var heap = new JsHeap();
        int root = TestText.Parse(heap, """{"traits":{"email":"e"},"context":{"os":{},"x.traits":1}}""");
        var values = new int[2];
        heap.Bind(root, JsFieldSet.Of("traits", "email", "ts"), values);
        heap.Bind(root, JsFieldSet.Of("context.traits", "email", "ts"), values);
        Assert.Equal("\"e\"", TestText.Describe(heap, heap.Get(root, JsPath.Of("traits.email"))));
        Assert.Equal("undefined", TestText.Describe(heap, heap.Get(root, JsPath.Of("traits.ts"))));
        Assert.Equal("undefined", TestText.Describe(heap, heap.Get(root, JsPath.Of("context.traits.ts"))));
        Assert.Equal("{}", TestText.Describe(heap, heap.Get(root, JsPath.Of("context.os"))));
    }

    /// <summary>More names than one 64-bit mask of found names holds.</summary>
    [Fact]
    public void Many_names_are_bound_too()
    {
        string[] names = Enumerable.Range(0, 70).Select(i => "n" + i).Concat(["email", "toString", "0"]).ToArray();
        var heap = new JsHeap();
        int root = TestText.Parse(heap, """{"traits":{"n3":3,"email":"e","n69":69,"0":"zero","n3x":0}}""");
        var values = new int[names.Length];
        heap.Bind(root, JsFieldSet.Of("traits", names), values);
        for (int i = 0; i < names.Length; i++)
        {
            var fresh = new JsHeap();
            int freshRoot = TestText.Parse(fresh, """{"traits":{"n3":3,"email":"e","n69":69,"0":"zero","n3x":0}}""");
            Assert.Equal(TestText.Describe(fresh, fresh.Get(freshRoot, JsPath.Of("traits." + names[i]))), TestText.Describe(heap, values[i]));
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Traits
    {
        public int Email;
        public int Phone;
        public int ToString_;
    }

    [Fact]
    public void Binds_into_a_struct_of_one_int_per_name()
    {
        var heap = new JsHeap();
        int root = TestText.Parse(heap, """{"traits":{"phone":1,"email":"e"}}""");

        heap.Bind(root, JsFieldSet.Of("traits", "email", "phone", "toString"), out Traits traits);

        Assert.Equal("\"e\"", TestText.Describe(heap, traits.Email));
        Assert.Equal("1", TestText.Describe(heap, traits.Phone));
        Assert.Equal("function", TestText.Describe(heap, traits.ToString_));
        Assert.Throws<ArgumentException>(() => heap.Bind(root, JsFieldSet.Of("traits", "email"), out Traits _));
    }

    [Theory]
    [InlineData("traits", "a.b")]
    [InlineData("traits", "a\\b")]
    [InlineData("tra\\its", "a")]
    [InlineData("traits..x", "a")]
    [InlineData("traits.", "a")]
    public void Only_plain_paths_and_single_names(string source, string name)
        => Assert.Throws<ArgumentException>(() => JsFieldSet.Of(source, name));

    [Fact]
    public void Repeated_names_are_refused()
        => Assert.Throws<ArgumentException>(() => JsFieldSet.Of("traits", "a", "a"));

    [Fact]
    public void The_first_valid_and_first_truthy_of_bound_values_follow_the_paths()
    {
        var heap = new JsHeap();
        int root = TestText.Parse(heap, """{"traits":{"email":"","name":0,"phone":null},"context":{"traits":{"email":"c@x","name":"N"}}}""");
        var names = new[] { "email", "name", "phone", "ts" };
        var traits = new int[4];
        var contextTraits = new int[4];
        heap.Bind(root, JsFieldSet.Of("traits", names), traits);
        heap.Bind(root, JsFieldSet.Of("context.traits", names), contextTraits);
        for (int i = 0; i < names.Length; i++)
        {
            var paths = JsPath.Of("traits." + names[i], "context.traits." + names[i]);
            Assert.Equal(
                TestText.Describe(heap, Lookup.FirstValid(heap, root, paths)),
                TestText.Describe(heap, Lookup.FirstValid(heap, traits[i], contextTraits[i])));
            Assert.Equal(
                TestText.Describe(heap, Lookup.FirstTruthy(heap, root, paths)),
                TestText.Describe(heap, Lookup.FirstTruthy(heap, traits[i], contextTraits[i])));
        }

        Assert.Equal(JsHeap.Null, Lookup.FirstValid(heap));
        Assert.Equal(JsHeap.Undefined, Lookup.FirstTruthy(heap));
    }

    [Fact]
    public void Binding_allocates_nothing_once_warm()
    {
        byte[] input = TestText.ToWtf8("""{"traits":{"email":"e","first_name":"F","phone":1,"a":{}},"context":{"os":{}}}""");
        var traits = JsFieldSet.Of("traits", "email", "name", "phone", "firstName", "first_name", "toString");
        var context = JsFieldSet.Of("context.traits", "email", "name", "phone", "firstName", "first_name", "toString");
        var heap = new JsHeap();
        int[] values = new int[traits.Count];
        Allocations.AssertNone(() =>
        {
            heap.Reset();
            int root = heap.Parse(input);
            heap.Bind(root, traits, values);
            heap.Bind(root, context, values);
            Lookup.FirstValid(heap, values[0], values[1], values[2]);
        });
    }
}
