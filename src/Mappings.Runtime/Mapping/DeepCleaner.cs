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

    /// <summary>
    /// <see cref="Clean"/> for an object the mapper has just created and nothing else references
    /// yet (the object a mapping is building): cleaned where it is — members that are null or
    /// undefined, or that clean away, are deleted, and every container inside it that holds
    /// something to clean is replaced by its cleaned copy, as <see cref="Clean"/> makes it (values
    /// inside may be shared with the input or with other values, so they are never changed). A
    /// container with nothing to clean is kept as it is: its copy would be equal to it, and the
    /// finished record is only written (the record may therefore share containers with the input;
    /// nothing may change a record's values in place after this). Returns the object (same id),
    /// which may end up empty.
    /// </summary>
    public static int CleanInPlace(JsHeap heap, int obj)
    {
        if (heap.TypeOf(obj) != JsType.Object || !heap.IsBuilt(obj)) return Clean(heap, obj);
        var keys = heap.Keys(obj);
        for (int i = 0; i < keys.Count; i++)
        {
            int m = heap.KeyMember(in keys, i);
            int value = heap.MemberValue(m);
            int cleaned = IsClean(heap, value) ? value : Clean(heap, value);
            if (heap.IsNullish(cleaned) || IsEmptyContainer(heap, cleaned)) heap.SetMemberValue(obj, m, JsHeap.Undefined);
            else if (cleaned != value) heap.SetMemberValue(obj, m, cleaned);
        }
        heap.EndKeys(in keys);
        return obj;
    }

    /// <summary>
    /// True when <see cref="Clean"/> would give a value equal to this one: not a container, or a
    /// container holding no null, undefined or empty container at any depth.
    /// </summary>
    internal static bool IsClean(JsHeap heap, int value)
    {
        var type = heap.TypeOf(value);
        if (type == JsType.Array)
        {
            int length = heap.ArrayLength(value);
            if (length < 0) return false; // a built array longer than int.MaxValue: Clean decides
            for (int i = 0; i < length; i++)
            {
                if (!IsCleanChild(heap, heap.ArrayElement(value, i))) return false;
            }
            return true;
        }
        if (type != JsType.Object) return true;
        var keys = heap.Keys(value);
        bool clean = true;
        for (int i = 0; i < keys.Count && clean; i++) clean = IsCleanChild(heap, heap.MemberValue(heap.KeyMember(in keys, i)));
        heap.EndKeys(in keys);
        return clean;
    }

    private static bool IsCleanChild(JsHeap heap, int child) =>
        !heap.IsNullish(child) && !IsEmptyContainer(heap, child) && IsClean(heap, child);

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
