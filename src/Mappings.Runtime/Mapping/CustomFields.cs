using Mappings.Runtime.Json;

namespace Mappings.Runtime.Mapping;

/// <summary>
/// Copies the fields of source objects that no explicit mapping took (spec §3.4), reproducing the
/// reference's algorithm and its quirks: sources are visited in order (falsy ones skipped); each
/// adds its own keys (minus the exclusions and the reserved words <c>__proto__</c>,
/// <c>constructor</c>, <c>prototype</c>) to one running list; then every key of the whole list is
/// looked up in the current source with path semantics (inherited members and non-object sources
/// included, spec §14.4) and, when not undefined, written to the target with path writes.
/// So a later source wins, and its null deletes the field once nulls are removed.
/// </summary>
public static class CustomFields
{
    [ThreadStatic]
    private static JsKey[]? t_keys;

    private static readonly KeySet Reserved = new("__proto__", "constructor", "prototype");

    public static void Copy(JsHeap heap, int target, ReadOnlySpan<int> sources, KeySet exclude)
    {
        var keys = t_keys ??= new JsKey[64];
        int count = 0;
        foreach (int source in sources)
        {
            if (!heap.IsTruthy(source)) continue;
            var own = heap.Keys(source);
            for (int i = 0; i < own.Count; i++)
            {
                var key = heap.MemberKey(heap.KeyMember(in own, i));
                var bytes = heap.KeyBytes(in key);
                if (exclude.Contains(bytes) || Reserved.Contains(bytes)) continue;
                if (count == keys.Length) t_keys = keys = Grow(keys);
                keys[count++] = key;
            }
            heap.EndKeys(in own);
            for (int i = 0; i < count; i++)
            {
                int value = heap.Get(source, heap.KeyBytes(in keys[i]));
                if (value != JsHeap.Undefined) PathWriter.Set(heap, target, in keys[i], value);
            }
        }
    }

    private static JsKey[] Grow(JsKey[] keys)
    {
        var bigger = new JsKey[keys.Length * 2];
        keys.CopyTo(bigger, 0);
        return bigger;
    }
}
