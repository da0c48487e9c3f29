using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mappings.Runtime.Examples;

namespace Mappings.Runtime.Explain;

/// <summary>A place in the mapping files: <c>mappings/clevertap/identify.json:12</c> and the entry written there.</summary>
public sealed record MappingEntry(string At, string Entry)
{
    internal static MappingEntry Of(TraceSite site) => new(site.At, site.Entry);

    public override string ToString() => $"{At}  {Entry}";
}

/// <summary>
/// Why an event's outcome is what it is: the outcome (as <c>transform</c> gives it), the event rule
/// that chose the mapping, and for every record the fields it holds — each with the rule that wrote
/// it (mapping file and line), the shared definitions it uses and where its value came from — and
/// the fields the mapping tried and left out, with the reason.
/// </summary>
public sealed class Explanation
{
    /// <summary>The response entries the processor transform wrote (byte for byte what <c>transform</c> writes).</summary>
    public required string Entries { get; init; }

    /// <summary><c>{"records": [...]}</c> or <c>{"error": {...}}</c> as JSON text (<see cref="ProcessorOutcome.Text"/>).</summary>
    public required string OutcomeJson { get; init; }

    /// <summary><see cref="OutcomeJson"/> parsed.</summary>
    public JsonObject Outcome => _outcome ??= (JsonObject)JsonNode.Parse(OutcomeJson, documentOptions: ProcessorOutcome.DocumentOptions)!;

    private JsonObject? _outcome;

    /// <summary>The message's type as given (JSON), when the mapping was reached.</summary>
    public string? Type { get; init; }

    /// <summary>The event rule that chose the mapping, and the mapping's name.</summary>
    public MappingEntry? Rule { get; init; }

    public string? Mapping { get; init; }

    /// <summary>Preconditions checked and event rules that did not match, with their tests.</summary>
    public List<Check> Checks { get; } = new();

    /// <summary>Where and why the event failed, when it did.</summary>
    public Failure? Failure { get; init; }

    public List<RecordExplanation> Records { get; } = new();

    /// <summary>Extra records whose condition did not hold.</summary>
    public List<LeftOutField> RecordsNotMade { get; } = new();

    /// <summary>
    /// When explaining the event failed (a bug of <c>explain</c>, not of the event): why, bounded.
    /// The outcome is then the one the mapping the service runs gave, and nothing else is said.
    /// </summary>
    public string? ExplainFailed { get; init; }

    /// <summary>The answer for an event <c>explain</c> could not explain: its outcome as <c>transform</c> gives it, and why.</summary>
    public static Explanation Unexplained(string entries, string outcome, Exception error) => new()
    {
        Entries = entries,
        OutcomeJson = outcome,
        ExplainFailed = Cut(error.GetType().Name + ": " + error.Message.ReplaceLineEndings(" ")),
    };

    /// <summary>The explanation as text: the outcome, then every record's fields and the fields left out.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        using (JsonDocument outcome = JsonDocument.Parse(OutcomeJson, ProcessorOutcome.DocumentOptions))
        {
            if (outcome.RootElement.TryGetProperty("error", out JsonElement error))
            {
                text.Append("outcome   error ").Append(error.GetProperty("status").GetRawText()).Append(": ").AppendLine(Cut(Message(error.GetProperty("message"))));
            }
            else
            {
                int count = outcome.RootElement.GetProperty("records").GetArrayLength();
                text.Append("outcome   ").Append(count).AppendLine(count == 1 ? " record" : " records");
            }
        }

        if (ExplainFailed is not null) text.Append("explain failed: ").AppendLine(ExplainFailed);
        if (Failure is { } failure)
        {
            if (failure.Entry is { } at) text.Append("  at      ").AppendLine(at.ToString());
            if (failure.Reason.Length > 0) text.Append("  because ").AppendLine(failure.Reason);
        }

        if (Type is not null) text.Append("type      ").AppendLine(Cut(Type));
        if (Rule is not null) text.Append("mapping   ").Append(Mapping).Append(", by the rule ").AppendLine(Rule.ToString());
        foreach (Check check in Checks)
        {
            text.Append("checked   ").AppendLine(check.Entry.ToString());
            text.Append("          ").AppendLine(check.Result);
        }

        foreach (RecordExplanation record in Records)
        {
            text.AppendLine();
            text.Append("record ").Append(record.Index + 1).Append("  ").AppendLine(record.Entry.ToString());
            foreach (FieldExplanation field in record.Fields)
            {
                text.Append("  ").Append(Cut(field.Path)).Append(" = ").AppendLine(Cut(field.Value));
                text.Append("      rule  ").AppendLine(field.Rule.ToString());
                if (field.Group is { } group) text.Append("      group ").AppendLine(group);
                foreach (SharedDefinition use in field.Origin.Uses) text.Append("      uses  ").Append(use.Name).Append("  ").AppendLine(use.At);
                if (field.Origin.From.Length > 0 || field.Origin.Detail.Length > 0)
                {
                    text.Append("      from  ").Append(Cut(field.Origin.From));
                    if (field.Origin.Detail.Length > 0) text.Append(field.Origin.From.Length > 0 ? ": " : string.Empty).Append(field.Origin.Detail);
                    text.AppendLine();
                }

                foreach (string step in field.Origin.Steps) text.Append("      then  ").AppendLine(step);
            }

            if (record.LeftOut.Count > 0)
            {
                text.AppendLine("  left out");
                foreach (LeftOutField field in record.LeftOut)
                {
                    text.Append("    ").Append(Cut(field.Path)).Append("  ").AppendLine(field.Rule.ToString());
                    if (field.Group is { } group) text.Append("        group ").AppendLine(group);
                    text.Append("        ").AppendLine(field.Reason);
                }
            }
        }

        foreach (LeftOutField record in RecordsNotMade)
        {
            text.AppendLine();
            text.Append("not made  ").AppendLine(record.Rule.ToString());
            text.Append("          ").AppendLine(record.Reason);
        }

        return text.ToString();
    }

    /// <summary>The same as one line of JSON, for tools (values as the transform wrote them).</summary>
    public string ToJson(int? line = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (line is { } n) writer.WriteNumber("line", n);
            writer.WritePropertyName("outcome");
            writer.WriteRawValue(OutcomeJson, skipInputValidation: true);
            if (ExplainFailed is not null) writer.WriteString("explainFailed", ExplainFailed);
            WriteRaw(writer, "type", Type);
            writer.WriteString("mapping", Mapping);
            WriteEntry(writer, "rule", Rule);
            writer.WriteStartArray("checks");
            foreach (Check check in Checks)
            {
                writer.WriteStartObject();
                WriteEntry(writer, "rule", check.Entry);
                writer.WriteString("result", check.Result);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (Failure is null)
            {
                writer.WriteNull("failure");
            }
            else
            {
                writer.WriteStartObject("failure");
                WriteEntry(writer, "rule", Failure.Entry);
                writer.WriteString("reason", Failure.Reason);
                writer.WriteEndObject();
            }

            writer.WriteStartArray("records");
            foreach (RecordExplanation record in Records)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", record.Index);
                WriteEntry(writer, "record", record.Entry);
                writer.WriteStartArray("fields");
                foreach (FieldExplanation field in record.Fields)
                {
                    writer.WriteStartObject();
                    writer.WriteString("path", field.Path);
                    WriteRaw(writer, "value", field.Value);
                    WriteEntry(writer, "rule", field.Rule);
                    writer.WriteString("group", field.Group);
                    writer.WriteStartArray("uses");
                    foreach (SharedDefinition use in field.Origin.Uses)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("name", use.Name);
                        writer.WriteString("at", use.At);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteString("from", field.Origin.From);
                    writer.WriteString("detail", field.Origin.Detail);
                    writer.WriteStartArray("steps");
                    foreach (string step in field.Origin.Steps) writer.WriteStringValue(step);
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                WriteLeftOut(writer, "leftOut", record.LeftOut);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteLeftOut(writer, "recordsNotMade", RecordsNotMade);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());

        static void WriteLeftOut(Utf8JsonWriter writer, string name, List<LeftOutField> fields)
        {
            writer.WriteStartArray(name);
            foreach (LeftOutField field in fields)
            {
                writer.WriteStartObject();
                writer.WriteString("path", field.Path);
                WriteEntry(writer, "rule", field.Rule);
                writer.WriteString("group", field.Group);
                writer.WriteString("reason", field.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        static void WriteEntry(Utf8JsonWriter writer, string name, MappingEntry? entry)
        {
            if (entry is null)
            {
                writer.WriteNull(name);
                return;
            }

            writer.WriteStartObject(name);
            writer.WriteString("at", entry.At);
            writer.WriteString("entry", entry.Entry);
            writer.WriteEndObject();
        }

        // Values are JSON text the transform's own writer produced (JSON.stringify's escapes, lone surrogates included).
        static void WriteRaw(Utf8JsonWriter writer, string name, string? json)
        {
            writer.WritePropertyName(name);
            if (json is null) writer.WriteNullValue();
            else writer.WriteRawValue(json, skipInputValidation: true);
        }
    }

    /// <summary>An error message for the text form: the string, or its JSON text when it holds a lone surrogate.</summary>
    private static string Message(JsonElement message)
    {
        try
        {
            return message.ValueKind == JsonValueKind.String ? message.GetString()! : message.GetRawText();
        }
        catch (InvalidOperationException)
        {
            return message.GetRawText();
        }
    }

    /// <summary>A value as text shows it: at most 160 characters (a surrogate pair is not split).</summary>
    internal static string Cut(string json)
    {
        if (json.Length <= 160) return json;
        int end = char.IsHighSurrogate(json[156]) ? 156 : 157;
        return json[..end] + "…";
    }
}

/// <summary>A field of a record: its output path (<c>profileData.Email</c>), value (JSON), the rule that wrote it and where the value came from.</summary>
public sealed record FieldExplanation(string Path, string Value, MappingEntry Rule, string? Group, ValueOrigin Origin);

/// <summary>A field the mapping tried and did not send (or a record it did not make), and why; <see cref="Group"/>: the field group it comes from.</summary>
public sealed record LeftOutField(string Path, MappingEntry Rule, string Reason, string? Group = null);

/// <summary>A precondition or event rule looked at before the mapping ran.</summary>
public sealed record Check(MappingEntry Entry, string Result);

/// <summary>Where the event failed (null when it failed before any mapping entry) and why.</summary>
public sealed record Failure(MappingEntry? Entry, string Reason);

/// <summary>One record of the outcome (<see cref="Index"/> in the outcome's records).</summary>
public sealed class RecordExplanation
{
    public required int Index { get; init; }

    public required MappingEntry Entry { get; init; }

    public List<FieldExplanation> Fields { get; } = new();

    public List<LeftOutField> LeftOut { get; } = new();
}
