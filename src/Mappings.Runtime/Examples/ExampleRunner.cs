using System.Text;
using System.Text.Json.Nodes;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Examples;

/// <summary>What running an example gave: the actual outcome and how it differs from the expected one.</summary>
public sealed record ExampleResult(MappingExample Example, JsonObject Actual, IReadOnlyList<JsonDifference> Differences)
{
    public bool Passed => Differences.Count == 0;

    /// <summary>The file, its description, every difference by JSON path, and the actual outcome.</summary>
    public string Report()
    {
        var text = new StringBuilder();
        text.Append(Example.Path).Append(": ").AppendLine(Passed ? "passed" : "the outcome differs from \"expected\"");
        text.Append("  ").AppendLine(Example.Description);
        foreach (JsonDifference difference in Differences)
        {
            text.Append("  ").AppendLine(difference.ToString());
        }

        if (!Passed)
        {
            text.AppendLine("actual outcome:").AppendLine(ProcessorOutcome.Show(Actual));
        }

        return text.ToString();
    }
}

/// <summary>
/// Runs examples through a destination's compiled mapping — the processor transform the service
/// runs — and compares their outcome with the expected one (<see cref="JsonDifferences"/>:
/// keys in any order, numbers by value). An expected error compares its <c>status</c> and
/// <c>message</c>, and its <c>statTags</c> only when the example gives them.
/// </summary>
public static class ExampleRunner
{
    public static ExampleResult Run(DestinationMapper destination, MappingExample example)
    {
        var transformer = new ProcessorTransformer(destination);
        var output = new ByteBuffer();
        transformer.TransformItem(example.ProcessorItem(), output);
        JsonObject actual = ProcessorOutcome.FromEntries(output.WrittenSpan, destination.RecordsKey.Value);
        return new ExampleResult(example, actual, Compare(example, actual));
    }

    /// <summary>The differences between an example's expected outcome and an actual one.</summary>
    public static List<JsonDifference> Compare(MappingExample example, JsonObject actual)
    {
        JsonNode expected = JsonNode.Parse(example.Expected.GetRawText(), documentOptions: ProcessorOutcome.DocumentOptions)!;
        if (expected is JsonObject { } e && e["error"] is JsonObject expectedError
            && actual["error"] is JsonObject actualError && !expectedError.ContainsKey("statTags"))
        {
            // statTags are optional in an example: compared only when given.
            var shown = (JsonObject)actualError.DeepClone();
            shown.Remove("statTags");
            return JsonDifferences.Compare(expected, new JsonObject { ["error"] = shown });
        }

        return JsonDifferences.Compare(expected, actual);
    }

    /// <summary>
    /// Every example of every destination under a <c>mappings</c> folder:
    /// <c>mappings/&lt;destination&gt;/examples/*.json</c>, in name order, with the destination folder's name.
    /// </summary>
    public static IEnumerable<(string Destination, string File)> Find(string mappingsDirectory)
    {
        foreach (string folder in Directory.GetDirectories(mappingsDirectory).Order(StringComparer.Ordinal))
        {
            string examples = System.IO.Path.Combine(folder, "examples");
            if (!Directory.Exists(examples)) continue;
            foreach (string file in Directory.GetFiles(examples, "*.json").Order(StringComparer.Ordinal))
            {
                yield return (System.IO.Path.GetFileName(folder), file);
            }
        }
    }
}
