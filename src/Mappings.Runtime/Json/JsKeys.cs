namespace Mappings.Runtime.Json;

/// <summary>
/// JavaScript's property-key order (spec §6.5): keys that are canonical array indices
/// (<c>"0"</c> … <c>"4294967294"</c>, no sign, no leading zero) enumerate first in ascending
/// numeric order, then every other key in insertion order.
/// </summary>
public static class JsKeys
{
    /// <summary>
    /// A key's tag for quick comparisons: its index value when it is a canonical array index,
    /// otherwise a signature of its length and first, middle and last bytes (high bit set). Equal
    /// keys always have equal tags; members store their key's tag.
    /// </summary>
    public static uint Tag(ReadOnlySpan<byte> key)
    {
        if (key.Length > 0 && (uint)(key[0] - '0') <= 9 && TryGetArrayIndex(key, out uint index)) return index;
        return Signature(key);
    }

    /// <summary>True when a key holds a '.' (a scalar scan for the usual short keys).</summary>
    public static bool HasDot(ReadOnlySpan<byte> key)
    {
        if (key.Length > 32) return key.IndexOf((byte)'.') >= 0;
        foreach (byte b in key)
        {
            if (b == (byte)'.') return true;
        }
        return false;
    }

    /// <summary>The signature part of <see cref="Tag"/> (for keys that are not array indices).</summary>
    public static uint Signature(ReadOnlySpan<byte> key)
    {
        int n = key.Length;
        if (n == 0) return 0x8000_0000;
        return 0x8000_0000 | ((uint)n << 24) ^ ((uint)key[0] << 16) ^ ((uint)key[n >> 1] << 8) ^ key[n - 1];
    }

    /// <summary>True when <paramref name="key"/> is a canonical array index; <paramref name="index"/> gets its value.</summary>
    public static bool TryGetArrayIndex(ReadOnlySpan<byte> key, out uint index)
    {
        index = 0;
        if (key.Length == 0 || key.Length > 10) return false;
        if (key[0] == '0') return key.Length == 1;
        ulong v = 0;
        foreach (byte b in key)
        {
            uint d = (uint)(b - '0');
            if (d > 9) return false;
            v = v * 10 + d;
        }
        if (v > 4294967294UL) return false;
        index = (uint)v;
        return true;
    }
}
