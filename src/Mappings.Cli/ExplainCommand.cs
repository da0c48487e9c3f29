using System.Text;
using Mappings.Generated;
using Mappings.Runtime.Examples;
using Mappings.Runtime.Explain;
using Mappings.Runtime.Json;
using Mappings.Runtime.Protocol;

namespace Mappings.Cli;

/// <summary>
/// <c>mappings explain</c>: each processor request item of the input (JSON Lines) run through the
/// processor transform with the traced variant of the generated mapping (<see cref="Explainer"/>),
/// and explained — as text, or with <c>--json</c> one JSON object per input line.
/// </summary>
public static class ExplainCommand
{
    /// <summary>Explains one line (the explainer's <see cref="Explainer.Explain"/>; tests put another in its place).</summary>
    internal delegate Explanation ExplainLine(ReadOnlySpan<byte> line);

    public static int Run(Stream input, Stream output, Progress progress, bool json, long maxEventOutputBytes) =>
        Run(input, output, progress, json, maxEventOutputBytes, explain: null);

    internal static int Run(Stream input, Stream output, Progress progress, bool json, long maxEventOutputBytes, ExplainLine? explain)
    {
        var lines = new JsonLines(input);
        var explainer = new Explainer(CleverTapMapper.Instance) { MaxEventOutputBytes = maxEventOutputBytes };
        explain ??= explainer.Explain;
        ProcessorTransformer? transformer = null;
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        long events = 0, errors = 0;
        while (lines.TryReadLine(out var line))
        {
            events++;
            string answer;
            bool failed;
            try
            {
                Explanation explanation = explain(line);
                failed = explanation.Failure is not null;
                answer = json ? explanation.ToJson(line: (int)events) : explanation.ToText();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A bug of explain: the line still gets its answer — the outcome transform gives — and the input goes on.
                transformer ??= new ProcessorTransformer(CleverTapMapper.Instance) { MaxEventOutputBytes = maxEventOutputBytes };
                Explanation unexplained = Unexplained(transformer, line, e);
                failed = true;
                answer = json ? unexplained.ToJson(line: (int)events) : unexplained.ToText();
            }

            if (failed) errors++;
            if (json)
            {
                writer.WriteLine(answer);
            }
            else
            {
                if (events > 1) writer.WriteLine();
                writer.WriteLine($"== line {events}");
                writer.Write(answer);
            }

            // Cold path: each answer is out as soon as it is made.
            writer.Flush();
            progress.Update(events, errors, lines.BytesRead);
        }

        writer.Flush();
        progress.Finish("events", events, errors);
        return 0;
    }

    /// <summary>What <c>transform</c> answers for the line, with why it could not be explained.</summary>
    private static Explanation Unexplained(ProcessorTransformer transformer, ReadOnlySpan<byte> line, Exception error)
    {
        var output = new ByteBuffer();
        transformer.TransformItem(line, output);
        string entries = Encoding.UTF8.GetString(output.WrittenSpan);
        return Explanation.Unexplained(entries, ProcessorOutcome.Text(output.WrittenSpan, CleverTapMapper.Instance.RecordsKey.Value), error);
    }
}
