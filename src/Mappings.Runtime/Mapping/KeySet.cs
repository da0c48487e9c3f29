using System.Text;

namespace Mappings.Runtime.Mapping;

/// <summary>A fixed set of property keys (exclusion lists, exception lists), compared as exact bytes.</summary>
public sealed class KeySet
{
    private readonly byte[][] _keys;

    public KeySet(params string[] keys)
    {
        _keys = new byte[keys.Length][];
        for (int i = 0; i < keys.Length; i++) _keys[i] = Encoding.UTF8.GetBytes(keys[i]);
    }

    public static readonly KeySet Empty = new();

    public int Count => _keys.Length;

    public bool Contains(ReadOnlySpan<byte> key)
    {
        foreach (var k in _keys)
        {
            if (k.Length == key.Length && key.SequenceEqual(k)) return true;
        }
        return false;
    }
}
