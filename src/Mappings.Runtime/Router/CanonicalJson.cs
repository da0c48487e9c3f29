using Mappings.Runtime.Json;

namespace Mappings.Runtime.Router;

/// <summary>
/// A canonical JSON form of a value for grouping (spec §10.4): object keys sorted (recursively),
/// arrays in order, numbers and strings as JSON.stringify writes them. Only ever compared for
/// equality, never sent.
/// </summary>
public static class CanonicalJson
{
    public static void Append(JsHeap heap, int value, ByteBuffer output)
    {
        switch (heap.TypeOf(value))
        {
            case JsType.Undefined:
                output.Append("undefined"u8);
                return;
            case JsType.Object:
            {
                var keys = heap.Keys(value);
                int count = keys.Count;
                Span<int> order = count <= 64 ? stackalloc int[count] : new int[count];
                for (int i = 0; i < count; i++) order[i] = heap.KeyMember(in keys, i);
                // Insertion sort by key bytes: configs are small.
                for (int i = 1; i < count; i++)
                {
                    int m = order[i];
                    int j = i - 1;
                    while (j >= 0 && heap.KeyBytes(heap.MemberKey(order[j])).SequenceCompareTo(heap.KeyBytes(heap.MemberKey(m))) > 0)
                    {
                        order[j + 1] = order[j];
                        j--;
                    }
                    order[j + 1] = m;
                }
                output.Append((byte)'{');
                for (int i = 0; i < count; i++)
                {
                    if (i > 0) output.Append((byte)',');
                    output.Append((byte)'"');
                    output.Append(heap.KeyBytes(heap.MemberKey(order[i])));
                    output.Append("\":"u8);
                    Append(heap, heap.MemberValue(order[i]), output);
                }
                output.Append((byte)'}');
                heap.EndKeys(in keys);
                return;
            }
            case JsType.Array:
            {
                output.Append((byte)'[');
                int length = heap.ArrayLength(value);
                for (int i = 0; i < length; i++)
                {
                    if (i > 0) output.Append((byte)',');
                    Append(heap, heap.ArrayElement(value, i), output);
                }
                output.Append((byte)']');
                return;
            }
            default:
                heap.Stringify(value, output);
                return;
        }
    }
}
