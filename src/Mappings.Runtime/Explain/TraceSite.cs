using System.Text.Json;

namespace Mappings.Runtime.Explain;

/// <summary>
/// A place in the mapping files that the traced variant of a generated mapping reports on: a field,
/// a <c>fail</c> entry, a record, an object's stage, an event rule or a named value. The generator
/// describes it in JSON, from the same model the mapping is compiled from: where it is written
/// (<c>at</c>: <c>mappings/clevertap/identify.json:12</c>, and the entry on one line), the output key
/// it writes (<c>path</c>: <c>profileData.Email</c>), its value source with shared definitions
/// resolved (<c>@emailOnly</c> and the line of <c>mappings/common.json</c> defining it), its
/// condition with the text of each test, its modifiers. Parsed on first use: only <c>explain</c> reads it.
/// </summary>
public sealed class TraceSite
{
    private JsonElement _description;
    private bool _parsed;

    public TraceSite(string description) => Description = description;

    /// <summary>The description, as generated.</summary>
    public string Description { get; }

    internal JsonElement Json
    {
        get
        {
            if (!_parsed)
            {
                using var document = JsonDocument.Parse(Description);
                _description = document.RootElement.Clone();
                _parsed = true;
            }

            return _description;
        }
    }

    /// <summary><c>field</c>, <c>fail</c>, <c>record</c>, <c>extraRecord</c>, <c>stage</c>, <c>rule</c>, <c>let</c>, or the dispatch's <c>messageType</c> and <c>config</c>.</summary>
    public string Kind => String("kind") ?? string.Empty;

    /// <summary>The mapping file and line: <c>mappings/clevertap/identify.json:12</c>.</summary>
    public string At => String("at") ?? string.Empty;

    /// <summary>The entry as written, on one line (long nested parts shown as <c>{ … }</c>).</summary>
    public string Entry => String("entry") ?? string.Empty;

    /// <summary>The output key a field writes, from the record (<c>profileData.Email</c>); the object a stage works on.</summary>
    public string Path => String("path") ?? String("object") ?? string.Empty;

    internal string? String(string name) =>
        Json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal JsonElement? Property(string name) =>
        Json.TryGetProperty(name, out var value) ? value : null;

    public override string ToString() => $"{At}  {Entry}";
}
