using Mappings.Runtime.Json;
using Mappings.Runtime.Tests.Support;

namespace Mappings.Runtime.Tests.Json;

/// <summary>What the second review of the review fixes found, one test per finding (each failed before its fix).</summary>
public class Review2FindingsTests
{
    /// <summary>
    /// FinishObject's many-index-key sort writes <c>_members[AddMember()] = …</c>: C# loads the
    /// <c>_members</c> field before AddMember runs, so when AddMember grows the array the member
    /// is stored into the old array and lost (the new slot stays a default member: key "", value null).
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(223)]
    [InlineData(240)]
    public void Many_out_of_order_index_keys_survive_member_array_growth(int before)
    {
        var heap = new JsHeap();
        string first = "{" + string.Join(",", Enumerable.Range(0, before).Select(i => $"\"k{i}\":{i}")) + "}";
        string second = "{\"z\":-1," + string.Join(",", Enumerable.Range(0, 40).Reverse().Select(i => $"\"{i}\":{i}")) + "}";
        int root = TestText.Parse(heap, "[" + first + "," + second + "]");
        int obj = heap.ArrayElement(root, 1);
        string expected = "{" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"{i}\":{i}")) + ",\"z\":-1}";
        Assert.Equal(expected, TestText.Describe(heap, obj));
    }
}
