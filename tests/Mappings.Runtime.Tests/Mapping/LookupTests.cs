using System.Text;
using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Mapping;

/// <summary>
/// Multi-source lookups (spec §6.2) against Node 20 and get-value 3.0.1: the first V-valid value
/// (truthy, or exactly false, or exactly 0 — "" and null skipped) or null; the first truthy value or
/// else the last path's value; and plain property access.
/// </summary>
public class LookupTests
{
    private const string Message = "{\"userId\":\"\",\"anonymousId\":\"anon\",\"traits\":{\"userId\":null,\"id\":0,\"email\":\"\",\"name\":false,\"nan\":\"x\",\"first\":\"0\",\"zero\":0,\"negzero\":-0,\"list\":[],\"obj\":{},\"f\":false},\"context\":{\"traits\":{\"userId\":\"ctx-user\",\"id\":\"ctx-id\",\"email\":\"ctx@x\"}},\"properties\":{\"email\":\"prop@x\"}}";

    /// <summary>paths (joined with '|') → FirstValid, FirstTruthy (JSON, or undefined).</summary>
    public static TheoryData<string, string, string> Paths => new()
    {
        { "userId|traits.userId|traits.id|context.traits.userId|context.traits.id|anonymousId", "0", "\"ctx-user\"" },
        { "userId|traits.userId|context.traits.userId|context.traits.id|anonymousId", "\"ctx-user\"", "\"ctx-user\"" },
        { "traits.email|context.traits.email|properties.email", "\"ctx@x\"", "\"ctx@x\"" },
        { "traits.email|properties.missing", "null", "undefined" },
        { "traits.name|context.traits.email", "false", "\"ctx@x\"" },
        { "traits.f", "false", "false" },
        { "traits.zero", "0", "0" },
        { "traits.negzero", "0", "0" },
        { "traits.first", "\"0\"", "\"0\"" },
        { "traits.list", "[]", "[]" },
        { "traits.obj", "{}", "{}" },
        { "missing|traits.userId|userId", "null", "\"\"" },
        { "traits.nan.x|traits.toString|x", "function", "function" },
        { "", "null", "undefined" },
    };

    private static JsPath[] Split(string paths) => paths.Length == 0 ? [] : JsPath.Of(paths.Split('|'));

    [Theory]
    [MemberData(nameof(Paths))]
    public void FirstValid_matches_the_V_valid_rule(string paths, string firstValid, string firstTruthy)
    {
        _ = firstTruthy;
        var heap = new JsHeap();
        int root = TestText.Parse(heap, Message);
        Assert.Equal(firstValid, TestText.Describe(heap, Lookup.FirstValid(heap, root, Split(paths))));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void FirstTruthy_matches_the_truthy_rule(string paths, string firstValid, string firstTruthy)
    {
        _ = firstValid;
        var heap = new JsHeap();
        int root = TestText.Parse(heap, Message);
        Assert.Equal(firstTruthy, TestText.Describe(heap, Lookup.FirstTruthy(heap, root, Split(paths))));
    }

    [Fact]
    public void V_valid_keeps_negative_zero_and_rejects_NaN()
    {
        var heap = new JsHeap();
        int root = heap.NewObject();
        heap.Set(root, heap.NewKey("nan"u8), heap.NewNumber(double.NaN));
        heap.Set(root, heap.NewKey("z"u8), heap.NewNumber(-0.0));
        int v = Lookup.FirstValid(heap, root, JsPath.Of("nan", "z"));
        Assert.Equal(-0.0, heap.NumberOf(v));
        Assert.True(double.IsNegative(heap.NumberOf(v)));
        Assert.Equal(JsHeap.Null, Lookup.FirstValid(heap, root, [JsPath.Of("nan")]));
    }

    /// <summary>value, name → <c>value?.[name]</c> for objects and arrays (undefined through anything else).</summary>
    public static TheoryData<string, string, string> Properties => new()
    {
        { "{\"a\":{\"b\":1}}", "a", "{\"b\":1}" },
        { "{\"a\":null}", "a", "null" },
        { "{\"a\":0}", "a", "0" },
        { "{}", "a", "undefined" },
        { "{}", "toString", "function" },
        { "{}", "hasOwnProperty", "function" },
        { "[1,2]", "0", "1" },
        { "[1,2]", "2", "undefined" },
        { "[1,2]", "length", "2" },
        { "[1,2]", "map", "function" },
        { "{\"a.b\":1}", "a.b", "1" },
        { "{\"toString\":5}", "toString", "5" },
        { "{\"clevertap\":{\"deviceTokenType\":\"chrome\"}}", "clevertap", "{\"deviceTokenType\":\"chrome\"}" },
        { "null", "a", "undefined" },
        { "5", "a", "undefined" },
        { "true", "a", "undefined" },
        { "\"abc\"", "x", "undefined" },
    };

    [Theory]
    [MemberData(nameof(Properties))]
    public void Property_matches_property_access(string value, string name, string expected)
    {
        var heap = new JsHeap();
        int v = TestText.Parse(heap, value);
        Assert.Equal(expected, TestText.Describe(heap, Lookup.Property(heap, v, Encoding.UTF8.GetBytes(name))));
    }

    [Fact]
    public void Lookups_allocate_nothing_once_warm()
    {
        var input = TestText.ToWtf8(Message);
        var lists = Paths.Select(r => Split((string)r[0])).ToArray();
        var heap = new JsHeap();
        Allocations.AssertNone(() =>
        {
            heap.Reset();
            int root = heap.Parse(input);
            foreach (var paths in lists)
            {
                Lookup.FirstValid(heap, root, paths);
                Lookup.FirstTruthy(heap, root, paths);
            }
            Lookup.Property(heap, root, "traits"u8);
        });
    }
}
