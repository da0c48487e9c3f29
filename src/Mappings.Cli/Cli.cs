using System.Text.Json;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Router;

namespace Mappings.Cli;

/// <summary>
/// The <c>mappings</c> command line over JSON Lines: <c>transform</c> runs the processor transform
/// (one processor request item per line → one line with its response entries), <c>route</c> the
/// router transform (one <c>/routerTransform</c> body per line → one line with its response body).
/// </summary>
public static class Cli
{
    public const string Usage = """
        Usage:
          mappings transform --input PATH --output PATH
              Each input line is one processor request item ({message, metadata, destination});
              output line i is the JSON array of response entries for input line i.
          mappings route --input PATH --output PATH
              Each input line is a /routerTransform request body; each output line its response body.
          mappings explain --input PATH [--output PATH] [--json]
              Each input line is one processor request item, explained in turn: its outcome and, for
              every output field, the mapping file and line of the rule that wrote it, the shared
              definitions it uses and where its value came from; then the fields the mapping tried and
              left out, with the reason. --json: one JSON object per input line instead (for tools).
              Standard output unless --output is given.

        Options:
          --max-event-output-mb N   an event whose entries would be larger fails alone (default 64,
                                    at most 150)
          --max-response-mb N       route only: a body whose answer would be larger gets
                                    {"error": …} instead (default 512, at most 2047)

        PATH may be - for standard input or output. transform and route: every input line gets its
        output line. explain: every input line gets its block of text (== line N), or with --json its
        one output line. A summary (events, errors, events/s) is written to standard error. Exit code 0 when every line was
        answered, 1 when the input or output could not be read or written, 2 on a usage error.
        """;

    /// <summary>The limits of D8 and D11 a run applies.</summary>
    public sealed record OutputLimits(long MaxEventOutputBytes, long MaxResponseBytes)
    {
        public static readonly OutputLimits Default = new(Limits.DefaultMaxEventOutputBytes, Limits.DefaultMaxResponseBytes);
    }

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stderr.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        string command = args[0];
        if (command is not ("transform" or "route" or "explain"))
        {
            stderr.WriteLine($"mappings: unknown command '{command}'.");
            stderr.WriteLine(Usage);
            return 2;
        }
        string? input = null, output = command == "explain" ? "-" : null;
        bool json = false;
        var limits = OutputLimits.Default;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--input" or "-i" when i + 1 < args.Length: input = args[++i]; break;
                case "--output" or "-o" when i + 1 < args.Length: output = args[++i]; break;
                case "--json" when command == "explain": json = true; break;
                case "--max-response-mb" when command != "route":
                    stderr.WriteLine($"mappings: --max-response-mb is an option of route, not of {command} ({command} answers each item on its own; --max-event-output-mb bounds one event's entries).");
                    return 2;
                case "--max-event-output-mb" or "--max-response-mb" when i + 1 < args.Length:
                {
                    string name = args[i];
                    int most = name == "--max-event-output-mb" ? Limits.MaxEventOutputMegabytes : Limits.MaxResponseMegabytes;
                    if (!double.TryParse(args[++i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double mb) || !(mb > 0) || mb > most)
                    {
                        stderr.WriteLine($"mappings: {name} needs a number of megabytes above 0 and at most {most}.");
                        return 2;
                    }
                    long bytes = (long)(mb * 1024 * 1024);
                    limits = name == "--max-event-output-mb" ? limits with { MaxEventOutputBytes = bytes } : limits with { MaxResponseBytes = bytes };
                    break;
                }
                default:
                    stderr.WriteLine($"mappings: unknown argument '{args[i]}'.");
                    stderr.WriteLine(Usage);
                    return 2;
            }
        }
        if (input is null || output is null)
        {
            stderr.WriteLine(command == "explain"
                ? "mappings: --input is required (use - for standard input); --output is optional (standard output by default)."
                : "mappings: --input and --output are required (use - for standard input/output).");
            stderr.WriteLine(Usage);
            return 2;
        }

        Stream inStream, outStream;
        try
        {
            inStream = input == "-" ? Console.OpenStandardInput() : new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"mappings: cannot read '{input}': {e.Message}");
            return 1;
        }
        try
        {
            outStream = output == "-" ? Console.OpenStandardOutput() : new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            inStream.Dispose();
            stderr.WriteLine($"mappings: cannot write '{output}': {e.Message}");
            return 1;
        }

        long total = input != "-" && inStream.CanSeek ? inStream.Length : 0;
        var progress = new Progress(stderr, total, interactive: ShowProgress(command, output, errorIsTerminal: !Console.IsErrorRedirected, outputIsTerminal: !Console.IsOutputRedirected));
        try
        {
            using (inStream)
            using (outStream)
            {
                return command switch
                {
                    "transform" => Transform(inStream, outStream, progress, limits),
                    "explain" => ExplainCommand.Run(inStream, outStream, progress, json, limits.MaxEventOutputBytes),
                    _ => Route(inStream, outStream, progress, limits),
                };
            }
        }
        catch (IOException e)
        {
            stderr.WriteLine($"mappings: I/O error: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Whether the progress meter is shown: only on a terminal, and not for <c>explain</c> writing its
    /// text to a terminal too (the meter's carriage returns would land among the explanation's lines).
    /// </summary>
    internal static bool ShowProgress(string command, string output, bool errorIsTerminal, bool outputIsTerminal) =>
        errorIsTerminal && !(command == "explain" && output == "-" && outputIsTerminal);

    /// <summary>The processor transform, line by line.</summary>
    public static int Transform(Stream input, Stream output, Progress progress, OutputLimits? limits = null)
    {
        limits ??= OutputLimits.Default;
        var lines = new JsonLines(input);
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance) { MaxEventOutputBytes = limits.MaxEventOutputBytes };
        var buffer = new ByteBuffer(1 << 16);
        long events = 0, errors = 0;
        while (lines.TryReadLine(out var line))
        {
            if (transformer.TransformItem(line, buffer) == ItemOutcome.Failed) errors++;
            buffer.Append((byte)'\n');
            events++;
            if (buffer.Length >= 1 << 16)
            {
                output.Write(buffer.WrittenSpan);
                buffer.Clear();
            }
            progress.Update(events, errors, lines.BytesRead);
        }
        output.Write(buffer.WrittenSpan);
        output.Flush();
        progress.Finish("events", events, errors);
        return 0;
    }

    /// <summary>The router transform, one request body per line.</summary>
    public static int Route(Stream input, Stream output, Progress progress, OutputLimits? limits = null)
    {
        limits ??= OutputLimits.Default;
        var lines = new JsonLines(input);
        var transformer = new RouterTransformer(CleverTapMapper.Instance)
        {
            MaxEventOutputBytes = limits.MaxEventOutputBytes,
            MaxResponseBytes = limits.MaxResponseBytes,
        };
        var buffer = new ByteBuffer(1 << 16);
        long bodies = 0, errors = 0;
        while (lines.TryReadLine(out var line))
        {
            // D11: an answer over the limit is not kept; the line gets the error instead.
            buffer.SetLimit(limits.MaxResponseBytes, OutputLimitKind.Response);
            int status;
            try
            {
                status = transformer.Transform(line, buffer);
            }
            catch (OutputLimitException e) when (e.Kind == OutputLimitKind.Response)
            {
                buffer.ClearAndTrim(1 << 16);
                buffer.ClearLimit();
                buffer.Append(System.Text.Encoding.UTF8.GetBytes(ErrorBody(Limits.ResponseTooLarge(e.Limit))));
                status = Limits.ResponseTooLargeStatus;
            }
            buffer.ClearLimit();
            if (status != 200) errors++;
            buffer.Append((byte)'\n');
            bodies++;
            output.Write(buffer.WrittenSpan);
            buffer.Clear();
            progress.Update(bodies, errors, lines.BytesRead, "bodies");
        }
        output.Flush();
        progress.Finish("bodies", bodies, errors);
        return 0;
    }

    private static string ErrorBody(string message)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
