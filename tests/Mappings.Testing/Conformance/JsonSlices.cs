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
                byte[] name = System.Text.Encoding.UTF8.GetBytes(step);
                bool found = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool match = Mappings.Runtime.Json.Wtf8.ValueEquals(ref reader, name);
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
