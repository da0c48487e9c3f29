using Mappings.Runtime.Json;

namespace Mappings.Runtime.Mapping;

/// <summary>
/// Recursive cleaning (spec §3.10): null and undefined values are removed at every depth, then
/// objects and arrays that became empty are removed too; "", 0 and false are kept.
/// </summary>
public static class DeepCleaner
{
    /// <summary>A cleaned copy of the value (containers are copied; an empty result is returned as an empty container).</summary>
    public static int Clean(JsHeap heap, int value)
    {
        var type = heap.TypeOf(value);
        if (type is not (JsType.Object or JsType.Array)) return value;
        int result = type == JsType.Array ? heap.NewArray() : heap.NewObject();
        var keys = heap.Keys(value);
        int next = 0;
        for (int i = 0; i < keys.Count; i++)
        {
            int m = heap.KeyMember(in keys, i);
            int child = Clean(heap, heap.MemberValue(m));
            if (heap.IsNullish(child) || IsEmptyContainer(heap, child)) continue;
            if (type == JsType.Array) heap.SetElement(result, next++, child);
            else heap.AppendUnique(result, heap.MemberKey(m), child); // keys of one object: distinct
        }
        heap.EndKeys(in keys);
        return result;
    }

    private static bool IsEmptyContainer(JsHeap heap, int value)
    {
        return heap.TypeOf(value) switch
        {
            JsType.Array => heap.ArrayLength(value) == 0,
            JsType.Object => !heap.HasOwnKeys(value),
            _ => false,
        };
    }

}
