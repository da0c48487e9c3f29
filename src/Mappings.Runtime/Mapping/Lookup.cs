using Mappings.Runtime.Json;

namespace Mappings.Runtime.Mapping;

/// <summary>The lookups mapping files name: one path, the first V-valid of several, the first truthy.</summary>
public static class Lookup
{
    /// <summary>The first V-valid value (spec §6.2) of the paths, or null when none qualifies.</summary>
    public static int FirstValid(JsHeap heap, int root, byte[][] paths)
    {
        foreach (var path in paths)
        {
            int v = heap.Get(root, path);
            if (heap.IsVValid(v)) return v;
        }
        return JsHeap.Null;
    }

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

    /// <summary>The first truthy value of the paths; when none is truthy, the value of the last path (whatever it is).</summary>
    public static int FirstTruthy(JsHeap heap, int root, byte[][] paths)
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
    /// it is <c>value?.a?.b</c>: the <c>$config</c>, <c>$name</c> and <c>$message</c> paths of mapping files.
    /// </summary>
    public static int Property(JsHeap heap, int value, JsName name) => heap.GetProperty(value, name);

    /// <summary>Plain property access with a name given as UTF-8.</summary>
    public static int Property(JsHeap heap, int value, ReadOnlySpan<byte> name) => heap.GetProperty(value, name, JsKeys.Tag(name));
}
