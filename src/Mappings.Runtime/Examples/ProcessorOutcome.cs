using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mappings.Runtime.Protocol;

namespace Mappings.Runtime.Examples;

/// <summary>
/// An event's outcome as an integrator reads it, made from the processor's response entries:
/// <c>{"records": [...]}</c> — the destination records of every entry, in order (for CleverTap the
/// <c>d</c> records: one per request, two for an identify with a device token) — or
/// <c>{"error": {"status", "message", "statTags"}}</c>.
/// </summary>
public static class ProcessorOutcome
{
    /// <summary>The outcome of the entries (the JSON array a processor transform writes for one item).</summary>
    /// <param name="recordsKey">The body key holding the records (<c>d</c>: the destination's <c>request.recordsKey</c>).</param>
    public static JsonObject FromEntries(ReadOnlySpan<byte> entries, string recordsKey) =>
        (JsonObject)JsonNode.Parse(Text(entries, recordsKey), documentOptions: DocumentOptions)!;

    /// <summary>
    /// Reading what a transform wrote: as deep as its output may be (<see cref="JsonWriterExtensions.MaxOutputDepth"/>),
    /// not the reader's default 64 levels.
    /// </summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = JsonWriterExtensions.MaxOutputDepth };

    /// <summary>
    /// The outcome as JSON text, made of the entries' own text (values are not read and written again,
    /// so whatever the transform wrote — a lone surrogate's escape, say — is kept as it is).
    /// </summary>
    public static string Text(ReadOnlySpan<byte> entries, string recordsKey)
    {
        using JsonDocument document = JsonDocument.Parse(entries.ToArray(), DocumentOptions);
        if (document.RootElement.ValueKind != JsonValueKind.Array) throw new ArgumentException("The entries are not a JSON array", nameof(entries));
        var records = new List<string>();
        foreach (JsonElement entry in document.RootElement.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object) continue;
            if (entry.TryGetProperty("output", out JsonElement output))
            {
                if (output.ValueKind == JsonValueKind.Object
                    && output.TryGetProperty("body", out JsonElement body) && body.ValueKind == JsonValueKind.Object
                    && body.TryGetProperty("JSON", out JsonElement json) && json.ValueKind == JsonValueKind.Object
                    && json.TryGetProperty(recordsKey, out JsonElement d) && d.ValueKind == JsonValueKind.Array)
                {
                    records.AddRange(d.EnumerateArray().Select(r => r.GetRawText()));
                }

                continue;
            }

            var error = new StringBuilder("{\"error\":{\"status\":");
            error.Append(entry.TryGetProperty("statusCode", out JsonElement status) ? status.GetRawText() : "null");
            error.Append(",\"message\":").Append(entry.TryGetProperty("error", out JsonElement message) ? message.GetRawText() : "null");
            if (entry.TryGetProperty("statTags", out JsonElement tags)) error.Append(",\"statTags\":").Append(tags.GetRawText());
            return error.Append("}}").ToString();
        }

        return "{\"records\":[" + string.Join(",", records) + "]}";
    }

    /// <summary>Indented JSON, non-ASCII text as it is.</summary>
    public static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString(Indented);

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        MaxDepth = JsonWriterExtensions.MaxOutputDepth,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
