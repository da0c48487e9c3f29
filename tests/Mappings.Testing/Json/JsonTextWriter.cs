using System.Text;

namespace Mappings.Testing.Json;

/// <summary>
/// How generated JSON text is laid out: compact, or with whitespace (spaces and tabs, never line
/// ends: the CLI reads one item per line) between tokens, chosen by <see cref="Seed"/> so that the
/// same value and layout always give the same bytes.
/// </summary>
public readonly record struct JsonLayout(bool Spaced, int Seed)
{
    public static JsonLayout Compact => default;
}

/// <summary>Builds JSON text as UTF-8 bytes, token by token (see <see cref="RawJson.WriteTo"/>).</summary>
public sealed class JsonTextWriter(JsonLayout layout)
{
    private static readonly string[] Blanks = [" ", "\t", "  ", " \t", "\t "];
    private readonly MemoryStream _bytes = new();
    private readonly Random? _random = layout.Spaced ? new Random(layout.Seed) : null;

    public JsonTextWriter()
        : this(JsonLayout.Compact)
    {
    }

    public void Append(string text)
    {
        Span<byte> small = stackalloc byte[256];
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max <= small.Length)
        {
            int n = Encoding.UTF8.GetBytes(text, small);
            _bytes.Write(small[..n]);
        }
        else
        {
            _bytes.Write(Encoding.UTF8.GetBytes(text));
        }
    }

    /// <summary>Bytes as they are (not necessarily UTF-8 or JSON: for bad items).</summary>
    public void AppendBytes(ReadOnlySpan<byte> bytes) => _bytes.Write(bytes);

    public void Open(char bracket)
    {
        _bytes.WriteByte((byte)bracket);
        Blank();
    }

    public void Close(char bracket)
    {
        Blank();
        _bytes.WriteByte((byte)bracket);
    }

    public void Comma()
    {
        Blank();
        _bytes.WriteByte((byte)',');
        Blank();
    }

    public void Colon()
    {
        Blank();
        _bytes.WriteByte((byte)':');
        Blank();
    }

    private void Blank()
    {
        if (_random is null || _random.Next(3) != 0) return;
        Append(Blanks[_random.Next(Blanks.Length)]);
    }

    public byte[] ToArray() => _bytes.ToArray();
}
