using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Json;

/// <summary>
/// Objects with many keys get a hash index of their members (a lookup must not scan thousands of
/// keys): the answers are those of a scan, through writes, deletions, re-additions and promotion
/// of an input object to a mutable one, for input and built objects alike.
/// </summary>
public class LargeObjectTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(33)]
    [InlineData(1000)]
    public void Built_objects_find_every_key_through_writes_and_deletions(int count)
    {
        var heap = new JsHeap();
        int obj = heap.NewObject();
        var expected = new Dictionary<string, double>();
        var expectedOrder = new List<string>();
        for (int i = 0; i < count; i++)
        {
            heap.Set(obj, heap.NewKey(TestText.ToWtf8("k" + i)), heap.NewNumber(i));
            expected["k" + i] = i;
            expectedOrder.Add("k" + i);
            // Lookups between writes: the index is built on the way and must follow the appends.
            Assert.Equal(i, heap.NumberOf(heap.GetOwn(obj, TestText.ToWtf8("k" + i))));
        }
        for (int i = 0; i < count; i += 3)
        {
            heap.Delete(obj, TestText.ToWtf8("k" + i));
            expected.Remove("k" + i);
            expectedOrder.Remove("k" + i);
        }
        for (int i = 0; i < count; i += 6)
        {
            heap.Set(obj, heap.NewKey(TestText.ToWtf8("k" + i)), heap.NewNumber(-i));
            expected["k" + i] = -i;
            expectedOrder.Add("k" + i);
        }
        for (int i = 0; i < count; i++)
        {
            int value = heap.GetOwn(obj, TestText.ToWtf8("k" + i));
            if (expected.TryGetValue("k" + i, out double d)) Assert.Equal(d, heap.NumberOf(value));
            else Assert.Equal(JsHeap.Undefined, value);
        }
        Assert.Equal(JsHeap.Undefined, heap.GetOwn(obj, "missing"u8));
        // Key order is unchanged: re-added keys come last, as in JavaScript.
        var keys = heap.Keys(obj);
        var order = new List<string>();
        for (int i = 0; i < keys.Count; i++) order.Add(System.Text.Encoding.UTF8.GetString(heap.KeyBytes(heap.MemberKey(heap.KeyMember(in keys, i)))));
        heap.EndKeys(in keys);
        Assert.Equal(expectedOrder, order);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(200)]
    public void Input_objects_are_found_by_index_and_after_promotion(int count)
    {
        var heap = new JsHeap();
        string json = "{\"o\":{" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"k{i}\":{i}")) + ",\"k3\":\"last\"}}";
        int root = TestText.Parse(heap, json);
        int o = heap.GetOwn(root, "o"u8);
        Assert.Equal("\"last\"", TestText.Describe(heap, heap.GetOwn(o, "k3"u8)));
        Assert.Equal(count - 1, heap.NumberOf(heap.Get(root, TestText.ToWtf8("o.k" + (count - 1)))));
        Assert.True(heap.TryGetProperty(o, "toString"u8, out int inherited) && heap.IsFunction(inherited));

        // A path write into it makes it mutable in place: the old index must not answer any more.
        int target = heap.NewObject();
        heap.Set(target, heap.NewKey("o"u8), o);
        PathWriter.Set(heap, target, heap.NewKey("o.k5"u8), heap.NewNumber(-5));
        PathWriter.Set(heap, target, heap.NewKey("o.added"u8), heap.NewNumber(7));
        Assert.Equal(-5, heap.NumberOf(heap.GetOwn(o, "k5"u8)));
        Assert.Equal(7, heap.NumberOf(heap.GetOwn(o, "added"u8)));
        Assert.Equal(count - 1, heap.NumberOf(heap.GetOwn(o, TestText.ToWtf8("k" + (count - 1)))));
    }

    [Fact]
    public void Many_index_keys_are_written_in_order()
    {
        var heap = new JsHeap();
        int obj = heap.NewObject();
        for (int i = 999; i >= 0; i--) PathWriter.Set(heap, obj, heap.NewKey(TestText.ToWtf8("x." + i)), heap.NewNumber(i));
        var output = new ByteBuffer();
        heap.Stringify(obj, output);
        Assert.Equal("{\"x\":[" + string.Join(",", Enumerable.Range(0, 1000)) + "]}", System.Text.Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
