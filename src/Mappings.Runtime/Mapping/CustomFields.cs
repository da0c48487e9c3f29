using Mappings.Runtime.Json;

namespace Mappings.Runtime.Mapping;

/// <summary>
/// Copies the fields of source objects that no explicit mapping took (spec §3.4), reproducing the
/// reference's algorithm and its quirks: sources are visited in order (falsy ones skipped); each
/// adds its own keys (minus the exclusions and the reserved words <c>__proto__</c>,
/// <c>constructor</c>, <c>prototype</c>) to one running list; then every key of the whole list is
/// checked with plain property access (<c>source[key] !== undefined</c>: own keys, indices and
/// inherited members, on any kind of value) and, when defined, read with path semantics (spec §6.1,
/// §14.4: a non-object source gives itself) and written to the target with path writes.
/// So a later source wins, and its null deletes the field once nulls are removed.
/// </summary>
public static class CustomFields
{
    [ThreadStatic]
    private static JsKey[]? t_keys;

    // The value of each listed key in the source that listed it.
    [ThreadStatic]
    private static int[]? t_values;

    private static readonly KeySet Reserved = new("__proto__", "constructor", "prototype");

    public static void Copy(JsHeap heap, int target, ReadOnlySpan<int> sources, KeySet exclude)
    {
        var keys = t_keys ??= new JsKey[64];
        var values = t_values ??= new int[64];
        int count = 0;
        foreach (int source in sources)
        {
            if (!heap.IsTruthy(source)) continue;
            int firstOwn = count;
            var own = heap.Keys(source);
            for (int i = 0; i < own.Count; i++)
            {
                int member = heap.KeyMember(in own, i);
                var key = heap.MemberKey(member);
                var bytes = heap.KeyBytes(in key);
                if (exclude.Contains(bytes) || Reserved.Contains(bytes)) continue;
                if (count == keys.Length)
                {
                    t_keys = keys = Grow(keys);
                    t_values = values = Grow(values);
                }
                values[count] = heap.MemberValue(member);
                keys[count++] = key;
            }
            heap.EndKeys(in own);
            bool container = heap.IsContainer(source);
            for (int i = 0; i < count; i++)
            {
                var key = heap.KeyBytes(in keys[i]);
                int value;
                if (container)
                {
                    // For an object or array, "source[key] is defined" and get-value's first step
                    // (the whole key as a property) are the same lookup, and its answer is the value:
                    // known already for the source's own keys (writes go to the target, never to
                    // the source itself), looked up for the keys of earlier sources.
                    if (i >= firstOwn) value = values[i];
                    else if (!heap.TryGetProperty(source, key, out value)) continue;
                }
                else
                {
                    if (!heap.HasDefinedProperty(source, key)) continue;
                    value = heap.Get(source, key);
                    // The source itself, under every key: output the input's size times its keys (D8).
                    if (heap.TypeOf(value) == JsType.String) heap.NoteExtraOutput(heap.StringBytes(value).Length);
                }
                if (value != JsHeap.Undefined) PathWriter.Set(heap, target, in keys[i], value);
            }
        }
    }

    private static T[] Grow<T>(T[] items)
    {
        var bigger = new T[items.Length * 2];
        items.CopyTo(bigger, 0);
        return bigger;
    }
}
