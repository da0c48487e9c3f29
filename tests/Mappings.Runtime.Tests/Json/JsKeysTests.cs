using Mappings.Runtime.Json;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Json;

/// <summary>
/// Canonical array indices (spec §6.5): <c>String(ToUint32(k)) === k &amp;&amp; ToUint32(k) !== 2^32 - 1</c>,
/// as computed by Node 20. Such keys enumerate first, ascending; every other key keeps insertion order.
/// </summary>
public class JsKeysTests
{
    public static TheoryData<string, bool, uint> Keys => new()
    {
        { "0", true, 0u },
        { "1", true, 1u },
        { "9", true, 9u },
        { "10", true, 10u },
        { "99", true, 99u },
        { "100", true, 100u },
        { "4294967293", true, 4294967293u },
        { "4294967294", true, 4294967294u },
        { "4294967295", false, 0u },
        { "4294967296", false, 0u },
        { "9999999999", false, 0u },
        { "10000000000", false, 0u },
        { "00", false, 0u },
        { "01", false, 0u },
        { "007", false, 0u },
        { "-0", false, 0u },
        { "-1", false, 0u },
        { "+1", false, 0u },
        { "1.0", false, 0u },
        { "1e3", false, 0u },
        { " 1", false, 0u },
        { "1 ", false, 0u },
        { "", false, 0u },
        { "a", false, 0u },
        { "0x1", false, 0u },
        { "{U+0661}", false, 0u },
        { "{U+FF11}", false, 0u },
        { "1{U+0000}", false, 0u },
        { "18446744073709551616", false, 0u },
        { "2147483647", true, 2147483647u },
        { "2147483648", true, 2147483648u },
        { "3000000000", true, 3000000000u },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void TryGetArrayIndex_matches_canonical_numeric_strings(string key, bool isIndex, uint index)
    {
        var bytes = TestText.ToWtf8(key);
        Assert.Equal(isIndex, JsKeys.TryGetArrayIndex(bytes, out uint actual));
        if (isIndex) Assert.Equal(index, actual);
        var name = JsName.Of(TestText.Decode(key));
        Assert.Equal(isIndex, name.IsArrayIndex);
        if (isIndex) Assert.Equal(index, name.ArrayIndex);
    }

    [Fact]
    public void Names_are_pre_escaped_as_JSON_stringify_escapes()
    {
        var name = JsName.Of(TestText.Decode("a\"b\\c{U+000A}{U+2028}{U+00E9}<"));
        Assert.Equal("a\\\"b\\\\c\\n{U+2028}{U+00E9}<", TestText.Show(name.Escaped));
        var heap = new JsHeap();
        int obj = heap.NewObject();
        heap.Set(obj, name, heap.NewString(name));
        heap.Set(obj, JsName.Of("10"), JsHeap.True);
        Assert.Equal("{\"10\":true,\"a\\\"b\\\\c\\n{U+2028}{U+00E9}<\":\"a\\\"b\\\\c\\n{U+2028}{U+00E9}<\"}", TestText.Describe(heap, obj));
    }
}
