using System.Text;
using System.Text.Json;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Tests.Json;

/// <summary>
/// <see cref="JsHeap.RepeatedValueKey"/>: a value repeated under that key from one parsed text to
/// the next gets a copy of the index read before (kept once the value came twice in a row: the
/// first text keeps its bytes, the second its index, the third and later reuse it). Every test compares the heap that reuses with a
/// heap that reads everything: the same values, the same JSON written, the same lookups, the
/// same errors.
/// </summary>
public class RepeatedValueTests
{
    private const string Destination =
        "{\"ID\":\"d1\",\"Config\":{\"region\":\"in1\",\"passcode\":\"p\",\"list\":[1,2.50,{\"a\":null}],\"10\":true,\"b\":false,\"b\":\"again\"},\"Enabled\":true,\"Empty\":{},\"None\":[]}";

    private static JsHeap Reusing() => new() { RepeatedValueKey = "destination"u8.ToArray() };

    private static string Item(string message, string destination, int job) =>
        $"{{\"message\":{message},\"destination\":{destination},\"metadata\":{{\"jobId\":{job}}}}}";

    /// <summary>JSON.stringify of the whole text, plus a few lookups, as one string to compare.</summary>
    private static string Observe(JsHeap heap, string text)
    {
        heap.Reset();
        int root = heap.Parse(Encoding.UTF8.GetBytes(text));
        var output = new ByteBuffer();
        heap.Stringify(root, output);
        var sb = new StringBuilder(Encoding.UTF8.GetString(output.WrittenSpan));
        foreach (var path in new[] { "destination.Config.region", "destination.Config.b", "destination.Config.10", "destination.Config.list.1", "destination.ID", "metadata.jobId", "message.x" })
        {
            int v = heap.Get(root, Encoding.UTF8.GetBytes(path));
            sb.Append('|').Append(path).Append('=').Append(heap.TypeOf(v)).Append(':');
            var value = new ByteBuffer();
            if (heap.Stringify(v, value)) sb.Append(Encoding.UTF8.GetString(value.WrittenSpan));
        }
        int destination = heap.Get(root, "destination"u8);
        if (heap.TypeOf(destination) == JsType.Object) sb.Append("|raw=").Append(Encoding.UTF8.GetString(heap.CurrentRawText(destination)));
        return sb.ToString();
    }

    private static void AssertSameAsFresh(JsHeap reusing, string text)
    {
        string expected = Observe(new JsHeap(), text);
        Assert.Equal(expected, Observe(reusing, text));
    }

    [Fact]
    public void A_repeated_value_is_copied_and_reads_the_same()
    {
        var heap = Reusing();
        AssertSameAsFresh(heap, Item("{\"x\":1}", Destination, 1));
        AssertSameAsFresh(heap, Item("{\"x\":\"two\",\"y\":[1,{\"z\":2}]}", Destination, 2));
        Assert.Equal(0, heap.ReusedValues);
        AssertSameAsFresh(heap, Item("{}", Destination, 3));
        AssertSameAsFresh(heap, Item("{\"y\":null}", Destination, 4));
        Assert.Equal(2, heap.ReusedValues);
    }

    [Fact]
    public void Whitespace_around_the_value_is_allowed()
    {
        var heap = Reusing();
        string spaced = "{ \"ID\" : \"d1\", \"Config\" : { \"k\" : [ 1 , 2 ] } }";
        AssertSameAsFresh(heap, $"{{\"message\":{{}}, \"destination\" :\n {spaced} , \"metadata\":{{}}}}");
        AssertSameAsFresh(heap, $"{{\"message\":{{\"a\":1}},\"destination\":\t{spaced}}}");
        AssertSameAsFresh(heap, $"{{\"message\":{{\"a\":2}},\"destination\":{spaced}}}");
        Assert.Equal(1, heap.ReusedValues);
    }

    [Fact]
    public void A_different_value_is_read_and_kept_in_its_place()
    {
        var heap = Reusing();
        AssertSameAsFresh(heap, Item("{}", Destination, 1));
        string other = Destination.Replace("in1", "us1");
        AssertSameAsFresh(heap, Item("{}", other, 2));
        AssertSameAsFresh(heap, Item("{}", Destination, 3));
        AssertSameAsFresh(heap, Item("{}", other, 4));
        Assert.Equal(0, heap.ReusedValues); // values that alternate are never indexed twice
        AssertSameAsFresh(heap, Item("{}", other, 5));
        AssertSameAsFresh(heap, Item("{}", other, 6));
        Assert.Equal(1, heap.ReusedValues);
        // A value that only starts like the kept one is not it.
        AssertSameAsFresh(heap, $"{{\"destination\":{other[..^1]},\"more\":1}}}}");
        Assert.Equal(1, heap.ReusedValues);
    }

    [Fact]
    public void Values_with_escapes_or_proto_keys_are_never_kept()
    {
        var heap = Reusing();
        string escaped = "{\"ID\":\"a\\u0041\",\"Config\":{\"k\\n\":1}}";
        AssertSameAsFresh(heap, Item("{}", escaped, 1));
        AssertSameAsFresh(heap, Item("{}", escaped, 2));
        string proto = "{\"ID\":\"x\",\"__proto__\":{\"a\":1}}";
        heap.Reset();
        heap.Parse(Encoding.UTF8.GetBytes(Item("{}", proto, 1)));
        heap.Reset();
        heap.Parse(Encoding.UTF8.GetBytes(Item("{}", proto, 2)));
        Assert.True(heap.HasProtoKey);
        Assert.Equal(0, heap.ReusedValues);
    }

    [Fact]
    public void Only_the_same_place_in_the_nesting_reuses()
    {
        var heap = Reusing();
        AssertSameAsFresh(heap, Item("{}", Destination, 1));
        AssertSameAsFresh(heap, $"{{\"wrapped\":{Item("{}", Destination, 2)}}}");
        AssertSameAsFresh(heap, $"[{Item("{}", Destination, 3)}]");
        Assert.Equal(0, heap.ReusedValues);
        // Router bodies (once the value kept at the shallower place above has gone unused for a
        // text): the first item keeps the bytes, the second the index, the third reuses it; in
        // the next body every item reuses it.
        string body = $"{{\"input\":[{Item("{}", Destination, 1)},{Item("{\"x\":2}", Destination, 2)},{Item("{}", Destination, 3)}],\"destType\":\"X\"}}";
        AssertSameAsFresh(heap, body);
        Assert.Equal(0, heap.ReusedValues);
        AssertSameAsFresh(heap, body);
        Assert.Equal(1, heap.ReusedValues);
        AssertSameAsFresh(heap, body);
        Assert.Equal(4, heap.ReusedValues);
    }

    [Fact]
    public void A_deeper_value_under_the_key_does_not_replace_the_items_own()
    {
        var heap = Reusing();
        string nested = "{\"properties\":{\"destination\":{\"city\":\"Oslo\"}}}";
        // The message after the destination, and before it: the item's own destination is kept.
        string after = $"{{\"destination\":{Destination},\"message\":{nested}}}";
        string before = $"{{\"message\":{nested},\"destination\":{Destination}}}";
        AssertSameAsFresh(heap, after);
        AssertSameAsFresh(heap, after);
        AssertSameAsFresh(heap, before);
        AssertSameAsFresh(heap, before);
        Assert.Equal(2, heap.ReusedValues);
        // A heap that goes on reading deeper items only (a batch: [item, …]) keeps theirs once the
        // shallower one has gone unused for a text.
        string batch = $"[{Item("{}", Destination, 1)},{Item("{}", Destination, 2)}]";
        AssertSameAsFresh(heap, batch);
        AssertSameAsFresh(heap, batch);
        Assert.Equal(2, heap.ReusedValues);
        AssertSameAsFresh(heap, batch);
        Assert.Equal(4, heap.ReusedValues);
    }

    [Fact]
    public void A_scalar_under_the_key_keeps_nothing()
    {
        var heap = Reusing();
        // Had the sibling after the null been kept as the value, the third text would reuse it.
        AssertSameAsFresh(heap, "{\"destination\":null,\"metadata\":{\"jobId\":1}}");
        AssertSameAsFresh(heap, "{\"destination\":{\"jobId\":1}}");
        AssertSameAsFresh(heap, "{\"destination\":{\"jobId\":1}}");
        Assert.Equal(0, heap.ReusedValues);
        // A string, then a sibling array: neither replaces the value kept before, reused next.
        AssertSameAsFresh(heap, "{\"destination\":\"text\",\"m\":[{\"jobId\":1}]}");
        AssertSameAsFresh(heap, "{\"destination\":{\"jobId\":1}}");
        Assert.Equal(1, heap.ReusedValues);
    }

    [Theory]
    [InlineData(",\"metadata\":{\"jobId\":}}")]
    [InlineData(",\"metadata\":{\"jobId\":1}} trailing")]
    [InlineData(",\"metadata\":{\"jobId\":1}")]
    [InlineData("\n,\n\"metadata\":[1,,2]}")]
    public void Errors_after_a_reused_value_read_as_without_it(string rest)
    {
        var heap = Reusing();
        heap.Parse(Encoding.UTF8.GetBytes(Item("{}", Destination, 1)));
        heap.Reset();
        heap.Parse(Encoding.UTF8.GetBytes(Item("{}", Destination, 2)));
        string text = "{\"message\":{},\"destination\":" + Destination + rest;
        string expected = Assert.ThrowsAny<JsonException>(() => new JsHeap().Parse(Encoding.UTF8.GetBytes(text))).Message;
        heap.Reset();
        string actual = Assert.ThrowsAny<JsonException>(() => heap.Parse(Encoding.UTF8.GetBytes(text))).Message;
        Assert.Equal(expected, actual);
        Assert.Equal(1, heap.ReusedValues); // the first attempt reused the value
        // The heap is still usable, and still reuses.
        long reused = heap.ReusedValues;
        AssertSameAsFresh(heap, Item("{}", Destination, 2));
        Assert.Equal(reused + 1, heap.ReusedValues);
    }
}
