using System.Text;
using Mappings.Generated;
using Mappings.Runtime.Explain;

namespace Mappings.Cli;

/// <summary>
/// <c>mappings explain</c>: each processor request item of the input (JSON Lines) run through the
/// processor transform with the traced variant of the generated mapping (<see cref="Explainer"/>),
/// and explained — as text, or with <c>--json</c> one JSON object per input line.
/// </summary>
public static class ExplainCommand
{
    public static int Run(Stream input, Stream output, Progress progress, bool json, long maxEventOutputBytes)
    {
        var lines = new JsonLines(input);
        var explainer = new Explainer(CleverTapMapper.Instance) { MaxEventOutputBytes = maxEventOutputBytes };
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        long events = 0, errors = 0;
        while (lines.TryReadLine(out var line))
        {
            events++;
            Explanation explanation = explainer.Explain(line);
            if (explanation.Failure is not null) errors++;
            if (json)
            {
                writer.WriteLine(explanation.ToJson(line: (int)events));
            }
            else
            {
                if (events > 1) writer.WriteLine();
                writer.WriteLine($"== line {events}");
                writer.Write(explanation.ToText());
            }

            progress.Update(events, errors, lines.BytesRead);
        }

        writer.Flush();
        progress.Finish("events", events, errors);
        return 0;
    }
}
