using System.Text.Json;

namespace Mappings.Benchmarks;

/// <summary>The raw <c>input</c> bytes of conformance corpus lines (never re-serialised).</summary>
internal static class CorpusInputs
{
    public static List<byte[]> Load(string path, int count)
    {
        var result = new List<byte[]>();
        foreach (string line in File.ReadLines(path))
        {
            if (result.Count == count) break;
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(line);
            var reader = new Utf8JsonReader(bytes);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isInput = reader.ValueTextEquals("input"u8);
                reader.Read();
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (isInput)
                {
                    result.Add(bytes[start..(int)reader.BytesConsumed]);
                    break;
                }
            }
        }
        return result;
    }
}
