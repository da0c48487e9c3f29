using System.Text;
using System.Text.Json;

namespace Mappings.Runtime.Json;

/// <summary>
/// A name known when the program is compiled (a destination key, a constant string): its
/// WTF-8 bytes and its pre-encoded JSON form (escaped exactly as <c>JSON.stringify</c> escapes).
/// Generated mappers declare them as <c>static readonly</c> fields; the heap refers to them by id.
/// </summary>
public sealed class JsName
{
    private static readonly object Gate = new();
    private static JsName[] s_table = new JsName[256];
    private static int s_count;

    private JsName(string value, int id)
    {
        Value = value;
        Id = id;
        Utf8 = Encoding.UTF8.GetBytes(value);
        var escaped = new byte[Utf8.Length * Wtf8.MaxEscapeExpansion];
        int n = Wtf8.Escape(Utf8, escaped);
        Escaped = escaped.AsSpan(0, n).ToArray();
        Encoded = JsonEncodedText.Encode(Escaped, PreEscapedEncoder.Instance);
        IsArrayIndex = JsKeys.TryGetArrayIndex(Utf8, out ArrayIndex);
        Tag = JsKeys.Tag(Utf8);
    }

    /// <summary>The name as a .NET string.</summary>
    public string Value { get; }

    /// <summary>Its position in the process-wide table.</summary>
    public int Id { get; }

    /// <summary>UTF-8 bytes (never contains lone surrogates: names come from source code).</summary>
    public byte[] Utf8 { get; }

    /// <summary>The bytes as they appear between quotes in JSON output.</summary>
    public byte[] Escaped { get; }

    /// <summary>Pre-encoded for <see cref="Utf8JsonWriter"/> (which must use <see cref="PreEscapedEncoder"/>).</summary>
    public JsonEncodedText Encoded { get; }

    /// <summary>True when the name is a canonical array index ("0", "10"), which JavaScript orders first.</summary>
    public bool IsArrayIndex { get; }

    /// <summary>The key's tag (see <see cref="JsKeys.Tag"/>).</summary>
    public uint Tag { get; }

    /// <summary>The index value when <see cref="IsArrayIndex"/>.</summary>
    public readonly uint ArrayIndex;

    /// <summary>Registers (or finds) a name. Call from static initialisers, not per event.</summary>
    public static JsName Of(string value)
    {
        lock (Gate)
        {
            for (int i = 0; i < s_count; i++)
            {
                if (s_table[i].Value == value) return s_table[i];
            }
            if (s_count == s_table.Length) Array.Resize(ref s_table, s_count * 2);
            var name = new JsName(value, s_count);
            s_table[s_count++] = name;
            return name;
        }
    }

    internal static JsName FromId(int id) => Volatile.Read(ref s_table)[id];

    public override string ToString() => Value;
}
