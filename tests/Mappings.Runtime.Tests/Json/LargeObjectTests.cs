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

    /// <summary>
    /// Keys that agree in length and first, middle and last byte share their tag; the index
    /// hashes the whole key (seeded per process), so they spread over the table like any keys:
    /// at most half full, a lookup visits about 1.5 slots on average (all of them in one cluster
    /// would make it 15,000).
    /// </summary>
    [Fact]
    public void Keys_with_one_tag_spread_over_the_index()
    {
        var keys = Enumerable.Range(0, 30_000).Select(i => $"a{i / 1000:D3}m{i % 1000:D3}z").ToList();
        Assert.Single(keys.Select(k => JsKeys.Tag(TestText.ToWtf8(k))).Distinct());

        var heap = new JsHeap();
        int input = TestText.Parse(heap, "{" + string.Join(",", keys.Select(k => $"\"{k}\":1")) + "}");
        int built = heap.NewObject();
        foreach (string k in keys) heap.Set(built, heap.NewKey(TestText.ToWtf8(k)), JsHeap.True);
        foreach (int obj in new[] { input, built })
        {
            Assert.Equal(JsHeap.Undefined, heap.GetOwn(obj, "a999m999z"u8)); // same tag, not there: builds the index
            Assert.True(heap.HasMemberIndex(obj));
            long probes = 0;
            foreach (string k in keys)
            {
                Assert.NotEqual(JsHeap.Undefined, heap.GetOwn(obj, TestText.ToWtf8(k)));
                probes += heap.IndexProbes(obj, TestText.ToWtf8(k));
            }
            Assert.True(probes < 3L * keys.Count, $"{(double)probes / keys.Count:F1} slots per lookup");
        }
    }

    /// <summary>
    /// A built object looked up only by keys it has (a Config copy resolving its templates) gets
    /// its index after the first long scan that hits, not only after one that misses.
    /// </summary>
    [Fact]
    public void Built_objects_get_their_index_after_a_long_scan_that_hits()
    {
        var heap = new JsHeap();
        int input = TestText.Parse(heap, "{" + string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"k{i}\":{i}")) + "}");
        int obj = heap.MakeMutable(input); // a copy: no lookup has built its index on the way
        Assert.Equal(1, heap.NumberOf(heap.GetOwn(obj, "k1"u8)));
        Assert.False(heap.HasMemberIndex(obj)); // a short scan
        Assert.Equal(99, heap.NumberOf(heap.GetOwn(obj, "k99"u8)));
        Assert.True(heap.HasMemberIndex(obj));
        Assert.Equal(50, heap.NumberOf(heap.GetOwn(obj, "k50"u8)));
    }

    /// <summary>
    /// A built object knows whether it was given a dotted key (no scan of its keys at each dotted
    /// lookup): a path finds the literal key once it is added, and nothing after it is deleted.
    /// </summary>
    [Fact]
    public void Built_objects_find_a_dotted_key_added_late()
    {
        var heap = new JsHeap();
        int obj = heap.NewObject();
        for (int i = 0; i < 50; i++) heap.Set(obj, heap.NewKey(TestText.ToWtf8("k" + i)), heap.NewNumber(i));
        Assert.Equal(JsHeap.Undefined, heap.Get(obj, "a.b"u8));
        heap.Set(obj, heap.NewKey("a.b"u8), heap.NewNumber(7));
        Assert.Equal(7, heap.NumberOf(heap.Get(obj, "a.b"u8)));
        heap.Delete(obj, "a.b"u8);
        Assert.Equal(JsHeap.Undefined, heap.Get(obj, "a.b"u8));
    }

    /// <summary>
    /// Array-index keys enumerate in ascending numeric order over the whole index range: 2^31 and
    /// up after the smaller ones (an input object with many of them given in reverse, and a built
    /// one).
    /// </summary>
    [Fact]
    public void Many_index_keys_up_to_the_largest_index_enumerate_ascending()
    {
        var indices = Enumerable.Range(0, 40).Select(i => (uint)i).Concat([2147483647u, 2147483648u, 4294967294u]).ToList();
        var heap = new JsHeap();
        int input = TestText.Parse(heap, "{\"name\":0," + string.Join(",", Enumerable.Reverse(indices).Select(i => $"\"{i}\":{i}")) + "}");
        int built = heap.NewObject();
        heap.Set(built, heap.NewKey("name"u8), heap.NewNumber(0));
        foreach (uint i in Enumerable.Reverse(indices)) heap.Set(built, heap.NewKey(TestText.ToWtf8(i.ToString())), heap.NewNumber(i));
        string expected = "{" + string.Join(",", indices.Select(i => $"\"{i}\":{i}")) + ",\"name\":0}";
        foreach (int obj in new[] { input, built })
        {
            var output = new ByteBuffer();
            heap.Stringify(obj, output);
            Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(output.WrittenSpan));
        }
    }

    /// <summary>
    /// Repeated keys in a large input object keep their first position and take the last value,
    /// as JSON.parse does (many keys: merged through a hash table, in one pass).
    /// </summary>
    [Fact]
    public void Repeated_keys_in_a_large_object_keep_the_first_position_and_the_last_value()
    {
        var heap = new JsHeap();
        string body = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"k{i % 1000}\":{i}"));
        int obj = TestText.Parse(heap, "{" + body + "}");
        string expected = "{" + string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"k{i}\":{4000 + i}")) + "}";
        var output = new ByteBuffer();
        heap.Stringify(obj, output);
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
