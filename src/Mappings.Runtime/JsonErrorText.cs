using System.Text.Json;
using Mappings.Runtime.Json;

namespace Mappings.Runtime;

/// <summary>
/// Error texts for JSON that cannot be read. They give where it broke, never what was there:
/// System.Text.Json's own messages quote the offending bytes (an invalid literal, a character),
/// and a request body can hold credentials such as the CleverTap passcode.
/// </summary>
public static class JsonErrorText
{
    /// <summary>
    /// <c>The {what} is not valid JSON (line L, byte B)</c> (1-based), or that it is nested more
    /// than <see cref="JsHeap.MaxDepth"/> levels deep when that is why the reader stopped.
    /// </summary>
    public static string NotJson(string what, JsonException e) =>
        $"{what} {(IsTooDeep(e) ? $"is nested more than {JsHeap.MaxDepth} levels deep" : "is not valid JSON")} ({Position(e)})";

    /// <summary><c>line L, byte B</c>, 1-based, from the exception's position (never its message).</summary>
    public static string Position(JsonException e) =>
        $"line {e.LineNumber.GetValueOrDefault() + 1}, byte {e.BytePositionInLine.GetValueOrDefault() + 1}";

    // The heap's own error (D7), or the reader's depth error, which names only numbers ("The maximum configured depth of … has been exceeded").
    private static bool IsTooDeep(JsonException e) =>
        e.Message == JsHeap.NestedTooDeep || e.Message.Contains("maximum configured depth", StringComparison.Ordinal);
}
