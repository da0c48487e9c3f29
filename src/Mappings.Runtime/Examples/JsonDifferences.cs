using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mappings.Runtime.Examples;

/// <summary>One place where two JSON values differ: its JSON path and both sides (null: absent there).</summary>
public sealed record JsonDifference(string Path, string? Expected, string? Actual)
{
    public override string ToString() => $"{Path}: expected {Expected ?? "(absent)"}, actual {Actual ?? "(absent)"}";
}

/// <summary>
/// Compares two JSON values as the conformance vectors are compared: objects as unordered sets of
/// keys, arrays in order, numbers by value, strings exactly. Lists every difference by JSON path
/// (<c>$.records[0].profileData.Email</c>, <c>$.records[0]["Customer Type"]</c>).
/// </summary>
public static class JsonDifferences
{
    public static List<JsonDifference> Compare(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        var differences = new List<JsonDifference>();
        Compare(expected, actual, path, differences);
        return differences;
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<JsonDifference> differences)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var (key, value) in e)
                {
                    string at = Member(path, key);
                    if (a.TryGetPropertyValue(key, out JsonNode? other)) Compare(value, other, at, differences);
                    else differences.Add(new JsonDifference(at, Text(value), null));
                }

                foreach (var (key, value) in a)
                {
                    if (!e.ContainsKey(key)) differences.Add(new JsonDifference(Member(path, key), null, Text(value)));
                }

                return;
            case (JsonArray e, JsonArray a):
                for (int i = 0; i < Math.Max(e.Count, a.Count); i++)
                {
                    string at = $"{path}[{i}]";
                    if (i >= a.Count) differences.Add(new JsonDifference(at, Text(e[i]), null));
                    else if (i >= e.Count) differences.Add(new JsonDifference(at, null, Text(a[i])));
                    else Compare(e[i], a[i], at, differences);
                }

                return;
            default:
                if (!ScalarEquals(expected, actual)) differences.Add(new JsonDifference(path, Text(expected), Text(actual)));
                return;
        }
    }

    private static bool ScalarEquals(JsonNode? expected, JsonNode? actual)
    {
        if (expected is null || actual is null) return expected is null && actual is null;
        JsonValueKind kind = expected.GetValueKind();
        if (kind != actual.GetValueKind()) return false;
        return kind switch
        {
            JsonValueKind.Number => Number(expected) == Number(actual),
            JsonValueKind.String => expected.GetValue<string>() == actual.GetValue<string>(),
            JsonValueKind.Object or JsonValueKind.Array => false,
            _ => true, // true, false
        };
    }

    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>One line of JSON (long values cut).</summary>
    public static string Text(JsonNode? node)
    {
        string text = node is null ? "null" : node.ToJsonString(OneLine);
        return text.Length <= 200 ? text : text[..197] + "…";
    }

    private static readonly JsonSerializerOptions OneLine = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = Mappings.Runtime.Protocol.JsonWriterExtensions.MaxOutputDepth };

    /// <summary><c>path.key</c>, or <c>path["key"]</c> when the key is not a plain name.</summary>
    public static string Member(string path, string key)
    {
        bool plain = key.Length > 0 && !char.IsAsciiDigit(key[0]);
        foreach (char c in key) plain &= char.IsAsciiLetterOrDigit(c) || c is '_' or '$';
        return plain ? path + "." + key : path + "[" + JsonSerializer.Serialize(key, OneLine) + "]";
    }
}
