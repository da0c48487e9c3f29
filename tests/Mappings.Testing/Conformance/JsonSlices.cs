using System.Text.Json;

namespace Mappings.CleverTap.Tests;

/// <summary>Raw byte slices of values inside a JSON document (no re-serialisation).</summary>
public static class JsonSlices
{
    /// <summary>The raw value at a path of property names (numbers for array indexes), or null.</summary>
    public static ReadOnlyMemory<byte>? At(ReadOnlyMemory<byte> json, params string[] path)
    {
        var span = json.Span;
        var reader = new Utf8JsonReader(span, new JsonReaderOptions { MaxDepth = 100_000 });
        if (!reader.Read()) return null;
        foreach (string step in path)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                bool found = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool match = NameIs(ref reader, step);
                    reader.Read();
                    if (match) { found = true; break; }
                    reader.Skip();
                }
                if (!found) return null;
            }
            else if (reader.TokenType == JsonTokenType.StartArray && int.TryParse(step, out int index))
            {
                reader.Read();
                for (int i = 0; i < index; i++)
                {
                    if (reader.TokenType == JsonTokenType.EndArray) return null;
                    reader.Skip();
                    reader.Read();
                }
                if (reader.TokenType == JsonTokenType.EndArray) return null;
            }
            else
            {
                return null;
            }
        }
        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        return json.Slice(start, (int)reader.BytesConsumed - start);
    }

    /// <summary>
    /// Whether the current property name is <paramref name="name"/>. An escaped lone surrogate
    /// (<c>"\udc00"</c>, valid JSON, and a key like any other to JavaScript) makes
    /// <see cref="Utf8JsonReader.ValueTextEquals(string)"/> throw; such a key is no name we look for.
    /// </summary>
    public static bool NameIs(ref Utf8JsonReader reader, string name)
    {
        try
        {
            return reader.ValueTextEquals(name);
        }
        catch (InvalidOperationException) when (reader.ValueIsEscaped)
        {
            return false;
        }
    }

    /// <summary>The raw elements of a JSON array.</summary>
    public static List<ReadOnlyMemory<byte>> Elements(ReadOnlyMemory<byte> array)
    {
        var result = new List<ReadOnlyMemory<byte>>();
        var reader = new Utf8JsonReader(array.Span, new JsonReaderOptions { MaxDepth = 100_000 });
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            int start = (int)reader.TokenStartIndex;
            reader.Skip();
            result.Add(array.Slice(start, (int)reader.BytesConsumed - start));
        }
        return result;
    }
}
