using System.Text;

namespace Mappings.Runtime.Mapping;

/// <summary>A fixed set of property keys (exclusion lists, exception lists), compared as exact bytes.</summary>
public sealed class KeySet
{
    private readonly byte[][] _keys;
    private readonly uint[] _signatures;
    // Bit n set: some key is n bytes long (n < 64); keys of 64 bytes or more set bit 63 too.
    private readonly ulong _lengths;
    // A 64-bit filter of the keys' signatures: a clear bit rules a key out at once.
    private readonly ulong _filter;

    public KeySet(params string[] keys)
    {
        _keys = new byte[keys.Length][];
        _signatures = new uint[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            _keys[i] = Encoding.UTF8.GetBytes(keys[i]);
            _signatures[i] = Json.JsKeys.Signature(_keys[i]);
            _lengths |= 1UL << Math.Min(_keys[i].Length, 63);
            _filter |= Filter(_signatures[i]);
        }
    }

    public static readonly KeySet Empty = new();

    public int Count => _keys.Length;

    public bool Contains(ReadOnlySpan<byte> key)
    {
        if (((_lengths >> Math.Min(key.Length, 63)) & 1) == 0) return false;
        uint signature = Json.JsKeys.Signature(key);
        if ((_filter & Filter(signature)) == 0) return false;
        uint[] signatures = _signatures;
        for (int i = 0; i < signatures.Length; i++)
        {
            if (signatures[i] == signature && key.SequenceEqual(_keys[i])) return true;
        }
        return false;
    }

    private static ulong Filter(uint signature) => 1UL << (int)((signature * 0x9E3779B1u) >> 26);
}
