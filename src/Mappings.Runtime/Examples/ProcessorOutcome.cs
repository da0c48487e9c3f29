using System.Text.Json;
using System.Text.Json.Nodes;

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
    public static JsonObject FromEntries(ReadOnlySpan<byte> entries, string recordsKey)
    {
        JsonArray array = JsonNode.Parse(entries) as JsonArray ?? throw new ArgumentException("The entries are not a JSON array", nameof(entries));
        var records = new JsonArray();
        foreach (JsonNode? entry in array)
        {
            if (entry is not JsonObject e) continue;
            if (e["output"] is JsonObject output)
            {
                if (output["body"]?["JSON"]?[recordsKey] is JsonArray d)
                {
                    foreach (JsonNode? record in d) records.Add(record?.DeepClone());
                }

                continue;
            }

            var error = new JsonObject
            {
                ["status"] = e["statusCode"]?.DeepClone(),
                ["message"] = e["error"]?.DeepClone(),
            };
            if (e["statTags"] is { } tags) error["statTags"] = tags.DeepClone();
            return new JsonObject { ["error"] = error };
        }

        return new JsonObject { ["records"] = records };
    }

    /// <summary>Indented JSON, non-ASCII text as it is.</summary>
    public static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString(Indented);

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
