namespace Mappings.Runtime.Json;

/// <summary>
/// JavaScript's property-key order (spec §6.5): keys that are canonical array indices
/// (<c>"0"</c> … <c>"4294967294"</c>, no sign, no leading zero) enumerate first in ascending
/// numeric order, then every other key in insertion order.
/// </summary>
public static class JsKeys
{
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
