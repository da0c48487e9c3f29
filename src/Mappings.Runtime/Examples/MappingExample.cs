using System.Text;
using System.Text.Json;

namespace Mappings.Runtime.Examples;

/// <summary>
/// One example of a destination's mapping files (<c>mappings/&lt;destination&gt;/examples/*.json</c>,
/// schema <c>mappings/example.schema.json</c>): what it shows, the destination's Config, the
/// message, and the outcome the mapping must give — the records, or an error.
/// </summary>
public sealed class MappingExample
{
    private MappingExample(string path, string description, string configJson, string messageJson, JsonElement expected)
    {
        Path = path;
        Description = description;
        ConfigJson = configJson;
        MessageJson = messageJson;
        Expected = expected;
    }

    /// <summary>The file, as the caller named it (repository-relative in this repository's tests).</summary>
    public string Path { get; }

    public string Description { get; }

    /// <summary>The raw JSON text of <c>config</c> (<c>{}</c> when the example has none).</summary>
    public string ConfigJson { get; }

    /// <summary>The raw JSON text of <c>message</c>, as written.</summary>
    public string MessageJson { get; }

    /// <summary><c>expected</c>: <c>{"records": [...]}</c> or <c>{"error": {"status", "message", "statTags"?}}</c>.</summary>
    public JsonElement Expected { get; }

    /// <summary>The keys an example may have (<c>mappings/example.schema.json</c>: no others).</summary>
    private static readonly string[] Keys = ["$schema", "description", "config", "message", "expected"];

    /// <summary>The metadata every example item carries (error entries echo it).</summary>
    public const string MetadataJson = """{"jobId":1}""";

    /// <summary>Reads an example file; <paramref name="shownPath"/> is how messages name it (the path itself by default).</summary>
    public static MappingExample Load(string file, string? shownPath = null) =>
        Parse(File.ReadAllText(file, Encoding.UTF8), shownPath ?? file);

    /// <summary>Reads an example from its text. Throws <see cref="FormatException"/> naming <paramref name="path"/> when it is not an example.</summary>
    public static MappingExample Parse(string json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = ProcessorOutcome.DocumentOptions.MaxDepth });
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not JSON ({e.Message})", e);
        }

        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"{path}: an example is a JSON object");
        foreach (JsonProperty property in root.EnumerateObject())
        {
            // A misspelt key ("confg") would otherwise run the example with nothing in its place.
            if (!Keys.Contains(property.Name))
            {
                throw new FormatException($"{path}: unknown key \"{property.Name}\" (an example has {string.Join(", ", Keys.Select(k => "\"" + k + "\""))})");
            }
        }

        string description = root.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : string.Empty;
        if (description.Length == 0) throw new FormatException($"{path}: \"description\" is required: say what the example shows");
        if (!root.TryGetProperty("message", out var message)) throw new FormatException($"{path}: \"message\" is required");
        string config = root.TryGetProperty("config", out var c) ? c.GetRawText() : "{}";
        if (!root.TryGetProperty("expected", out var expected) || expected.ValueKind != JsonValueKind.Object
            || expected.TryGetProperty("records", out var records) == expected.TryGetProperty("error", out var error)
            || (records.ValueKind != JsonValueKind.Undefined && records.ValueKind != JsonValueKind.Array)
            || (error.ValueKind != JsonValueKind.Undefined && error.ValueKind != JsonValueKind.Object))
        {
            throw new FormatException($"{path}: \"expected\" must be {{\"records\": [...]}} or {{\"error\": {{\"status\": …, \"message\": …}}}}");
        }

        return new MappingExample(path, description, config, message.GetRawText(), expected.Clone());
    }

    /// <summary>The processor request item the example stands for: <c>{message, metadata, destination: {Config}}</c>.</summary>
    public byte[] ProcessorItem() =>
        Encoding.UTF8.GetBytes("{\"message\":" + MessageJson + ",\"metadata\":" + MetadataJson + ",\"destination\":{\"Config\":" + ConfigJson + "}}");
}
