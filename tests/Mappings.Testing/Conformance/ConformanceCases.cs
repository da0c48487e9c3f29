using System.Text.Json;

namespace Mappings.CleverTap.Tests;

/// <summary>One line of a conformance .jsonl file, its input and expected output kept as raw bytes.</summary>
public sealed record ConformanceCase(string File, int Line, string Id, string[] Tags, ReadOnlyMemory<byte> Input, ReadOnlyMemory<byte> Expected)
{
    public override string ToString() => $"{File}#{Id}";
}

/// <summary>
/// Reads conformance files line by line. The input is sliced out of the line as raw bytes and
/// never re-serialised (conformance/README.md: the corpus holds JSON that re-serialising changes).
/// </summary>
public static class ConformanceCases
{
    private static readonly Dictionary<string, IReadOnlyList<ConformanceCase>> Cache = new();

    public static IReadOnlyList<ConformanceCase> Load(string relativePath)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(relativePath, out var cached)) return cached;
            var cases = new List<ConformanceCase>();
            byte[] all = File.ReadAllBytes(SharedFiles.Path(relativePath));
            int lineNumber = 0;
            int start = 0;
            while (start < all.Length)
            {
                int end = Array.IndexOf(all, (byte)'\n', start);
                if (end < 0) end = all.Length;
                lineNumber++;
                var line = all.AsMemory(start, end - start);
                if (line.Length > 0) cases.Add(Parse(relativePath, lineNumber, line));
                start = end + 1;
            }
            Cache[relativePath] = cases;
            return cases;
        }
    }

    private static ConformanceCase Parse(string file, int lineNumber, ReadOnlyMemory<byte> line)
    {
        var reader = new Utf8JsonReader(line.Span);
        string id = "";
        var tags = new List<string>();
        ReadOnlyMemory<byte> input = default, expected = default;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            int valueStart = (int)reader.TokenStartIndex;
            switch (name)
            {
                case "id":
                    id = reader.TokenType == JsonTokenType.Number ? reader.GetInt64().ToString() : reader.GetString()!;
                    break;
                case "tags":
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) tags.Add(reader.GetString()!);
                    break;
                default:
                    reader.Skip();
                    var slice = line.Slice(valueStart, (int)reader.BytesConsumed - valueStart);
                    if (name == "input") input = slice;
                    else if (name == "expected") expected = slice;
                    break;
            }
        }
        return new ConformanceCase(file, lineNumber, id, tags.ToArray(), input, expected);
    }
}
