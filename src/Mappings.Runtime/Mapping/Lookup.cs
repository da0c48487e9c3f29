using Mappings.Runtime.Json;

namespace Mappings.Runtime.Mapping;

/// <summary>The lookups mapping files name: one path, the first V-valid of several, the first truthy.</summary>
public static class Lookup
{
    /// <summary>The first V-valid value (spec §6.2) of prepared paths, or null when none qualifies.</summary>
    public static int FirstValid(JsHeap heap, int root, JsPath[] paths)
    {
        foreach (var path in paths)
        {
            int v = heap.Get(root, path);
            if (heap.IsVValid(v)) return v;
        }
        return JsHeap.Null;
    }

    /// <summary>
    /// The first V-valid value (spec §6.2) of values already read (the fields of a
    /// <see cref="JsFieldSet"/> binding, in the order of their paths), or null when none qualifies.
    /// </summary>
    public static int FirstValid(JsHeap heap, params ReadOnlySpan<int> values)
    {
        foreach (int v in values)
        {
            if (heap.IsVValid(v)) return v;
        }
        return JsHeap.Null;
    }

    /// <summary>The first truthy value of values already read; when none is truthy, the last value (undefined when there is none).</summary>
    public static int FirstTruthy(JsHeap heap, params ReadOnlySpan<int> values)
    {
        foreach (int v in values)
        {
            if (heap.IsTruthy(v)) return v;
        }
        return values.Length == 0 ? JsHeap.Undefined : values[^1];
    }

    /// <summary>The first truthy value of prepared paths; when none is truthy, the value of the last path.</summary>
    public static int FirstTruthy(JsHeap heap, int root, JsPath[] paths)
    {
        int v = JsHeap.Undefined;
        foreach (var path in paths)
        {
            v = heap.Get(root, path);
            if (heap.IsTruthy(v)) return v;
        }
        return v;
    }

    /// <summary>
    /// Plain property access <c>value?.[name]</c> (<see cref="JsHeap.GetProperty(int, JsName)"/>):
    /// own and inherited properties of objects and arrays; a string's code units, length and
    /// methods; the methods of numbers and booleans; undefined through undefined and null. Chained,
    /// it is <c>value?.a?.b</c>: the <c>$config.a</c> and <c>$name.a</c> paths of mapping files.
    /// </summary>
    public static int Property(JsHeap heap, int value, JsName name) => heap.GetProperty(value, name);

    /// <summary>
    /// Plain property access through a chain of names, <c>value?.a?.b?.c</c>: what
    /// <c>$message.a.b.c</c> compiles to (see <see cref="JsPropertyChain"/>).
    /// </summary>
    public static int Properties(JsHeap heap, int value, JsPropertyChain chain)
    {
        byte[][] names = chain.Names;
        uint[] tags = chain.Tags;
        for (int i = 0; i < names.Length; i++)
        {
            // Optional chaining: nothing is read through undefined or null.
            if (heap.IsNullish(value)) return JsHeap.Undefined;
            value = heap.GetProperty(value, names[i], tags[i]);
        }
        return value;
    }

    /// <summary>Plain property access with a name given as UTF-8.</summary>
    public static int Property(JsHeap heap, int value, ReadOnlySpan<byte> name) => heap.GetProperty(value, name, JsKeys.Tag(name));
}
