using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Mappings.Cli.Tests;

/// <summary>What one run of the CLI left behind: exit code, the output bytes and standard error.</summary>
public sealed record CliResult(int ExitCode, byte[] Output, string Stderr)
{
    /// <summary>The output's lines (each without its LF). The output must end with LF when it is not empty.</summary>
    public List<byte[]> Lines => OutputLines.Split(Output);

    /// <summary>Standard error split into lines (the last, empty piece after the final newline dropped).</summary>
    public string[] StderrLines => Stderr.Length == 0 ? [] : Stderr.TrimEnd('\n').Split('\n');

    public override string ToString() => $"exit {ExitCode}, {Output.Length} output bytes, stderr: {Stderr}";
}

/// <summary>A temporary directory, deleted with everything in it at the end of a test.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mappings-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>Splits CLI output into lines.</summary>
public static class OutputLines
{
    public static List<byte[]> Split(byte[] output)
    {
        var lines = new List<byte[]>();
        if (output.Length == 0) return lines;
        Assert.True(output[^1] == (byte)'\n', "the output must end with a line feed after its last line");
        int start = 0;
        while (start < output.Length)
        {
            int end = Array.IndexOf(output, (byte)'\n', start);
            lines.Add(output[start..end]);
            start = end + 1;
        }
        return lines;
    }

    /// <summary>Input lines joined with LF (and a final LF when asked).</summary>
    public static byte[] Join(IEnumerable<ReadOnlyMemory<byte>> lines, bool finalNewline = true, string lineEnd = "\n")
    {
        var output = new MemoryStream();
        byte[] end = Encoding.ASCII.GetBytes(lineEnd);
        bool first = true;
        foreach (var line in lines)
        {
            if (!first) output.Write(end);
            output.Write(line.Span);
            first = false;
        }
        if (finalNewline && !first) output.Write(end);
        return output.ToArray();
    }

    /// <summary>
    /// A pretty-printed JSON value (the reference vectors) on one line: its line ends become spaces.
    /// Valid JSON holds no raw CR or LF inside strings, so only whitespace between tokens changes;
    /// nothing is re-serialised.
    /// </summary>
    public static ReadOnlyMemory<byte> OneLine(ReadOnlyMemory<byte> json)
    {
        byte[] copy = json.ToArray();
        for (int i = 0; i < copy.Length; i++)
        {
            if (copy[i] is (byte)'\n' or (byte)'\r') copy[i] = (byte)' ';
        }
        return copy;
    }

    public static byte[] Join(params string[] lines) => Join(lines.Select(l => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(l)));
}

/// <summary>Runs the CLI in this process through <see cref="Cli.Run"/> with real files in a temporary directory.</summary>
public static class InProcess
{
    /// <summary><c>mappings ARGS</c> with the given writers for standard output and error.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = Cli.Run(args, TextReader.Null, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary><c>mappings COMMAND --input FILE --output FILE</c> with the input written to a fresh file.</summary>
    public static CliResult RunFiles(string command, byte[] input)
    {
        using var dir = new TempDir();
        string inputPath = dir.File("input.jsonl");
        string outputPath = dir.File("output.jsonl");
        File.WriteAllBytes(inputPath, input);
        var (exit, _, stderr) = Run(command, "--input", inputPath, "--output", outputPath);
        byte[] output = File.Exists(outputPath) ? File.ReadAllBytes(outputPath) : [];
        return new CliResult(exit, output, stderr);
    }

    public static CliResult Transform(byte[] input) => RunFiles("transform", input);

    public static CliResult Transform(params string[] lines) => Transform(OutputLines.Join(lines));

    public static CliResult Route(byte[] input) => RunFiles("route", input);
}

/// <summary>
/// Runs the built CLI as its own process: <c>dotnet mappings.dll ARGS</c>, the assembly found next to
/// the test assembly (a referenced executable project is copied there) or in the CLI's build folder.
/// Standard input, output and error are pipes, so standard error is not a terminal.
/// </summary>
public static class CliProcess
{
    private static readonly Lazy<string> Assembly = new(FindAssembly);

    public static string AssemblyPath => Assembly.Value;

    public static CliResult Run(byte[]? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AssemblyPath);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var output = new MemoryStream();
        var readOutput = process.StandardOutput.BaseStream.CopyToAsync(output);
        var readError = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
        }
        catch (IOException)
        {
            // The process stopped reading (e.g. a usage error): what it wrote tells the rest.
        }
        finally
        {
            try { process.StandardInput.Close(); } catch (IOException) { }
        }
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the CLI did not finish within 3 minutes");
        }
        readOutput.Wait(TimeSpan.FromMinutes(1));
        string stderr = readError.Result;
        return new CliResult(process.ExitCode, output.ToArray(), stderr);
    }

    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        return "dotnet";
    }

    private static string FindAssembly()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "mappings.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "mappings.runtimeconfig.json"))) return beside;
        // tests/Mappings.Cli.Tests/bin/<Configuration>/<tfm>/ → src/Mappings.Cli/bin/<Configuration>/<tfm>/mappings.dll
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = tfm.Parent!.Name;
        for (var dir = tfm; dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "src", "Mappings.Cli", "bin", configuration, tfm.Name, "mappings.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("mappings.dll (the CLI) was not found next to the tests or in src/Mappings.Cli/bin: build src/Mappings.Cli first.");
    }
}

/// <summary>Reading response entries in assertions.</summary>
public static class Entries
{
    public static JsonElement Parse(byte[] line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.Clone();
    }

    public static string Text(byte[] line) => Encoding.UTF8.GetString(line);

    /// <summary>
    /// Asserts a processor error entry: status 400, a non-empty error, instrumentation (or the given
    /// errorType) statTags of the processor, and metadata only when expected.
    /// </summary>
    public static JsonElement AssertSingleError(byte[] line, string? metadataJson, string errorType = "instrumentation", string? exactError = null)
    {
        var array = Parse(line);
        Assert.True(array.ValueKind == JsonValueKind.Array, Text(line));
        Assert.True(array.GetArrayLength() == 1, Text(line));
        var entry = array[0];
        Assert.Equal(400, entry.GetProperty("statusCode").GetInt32());
        string error = entry.GetProperty("error").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(error));
        if (exactError is not null) Assert.Equal(exactError, error);
        var tags = entry.GetProperty("statTags");
        Assert.Equal("dataValidation", tags.GetProperty("errorCategory").GetString());
        Assert.Equal(errorType, tags.GetProperty("errorType").GetString());
        Assert.Equal("CLEVERTAP", tags.GetProperty("destType").GetString());
        Assert.Equal("destination", tags.GetProperty("module").GetString());
        Assert.Equal("native", tags.GetProperty("implementation").GetString());
        Assert.Equal("processor", tags.GetProperty("feature").GetString());
        if (metadataJson is null)
        {
            Assert.False(entry.TryGetProperty("metadata", out _), "no metadata can be read, so the entry must have none: " + Text(line));
        }
        else
        {
            Assert.True(entry.TryGetProperty("metadata", out var metadata), "the entry must carry the item's metadata: " + Text(line));
            Assert.True(JsonElement.DeepEquals(Parse(Encoding.UTF8.GetBytes(metadataJson)), metadata), $"metadata: expected {metadataJson}, got {metadata.GetRawText()}");
        }
        return entry;
    }

    /// <summary>Asserts one or more success entries (status 200 each).</summary>
    public static JsonElement AssertSuccess(byte[] line, int entries = 1)
    {
        var array = Parse(line);
        Assert.True(array.GetArrayLength() == entries, Text(line));
        foreach (var entry in array.EnumerateArray()) Assert.True(entry.GetProperty("statusCode").GetInt32() == 200, Text(line));
        return array;
    }
}

/// <summary>The one-line summary on standard error: "N events, E errors, R events/s (T s)".</summary>
public static class Summary
{
    private static readonly System.Text.RegularExpressions.Regex Line = new(
        @"^(?<count>[0-9][0-9,]*) (?<noun>[a-z]+), (?<errors>[0-9][0-9,]*) errors, (?<rate>[0-9][0-9,]*(\.[0-9]+)?) \k<noun>/s( \([0-9.]+ s\))?$");

    /// <summary>Asserts standard error is exactly one summary line (no progress) and returns its counts.</summary>
    public static (long Count, long Errors, string Noun) AssertOneLine(string stderr)
    {
        Assert.False(stderr.Contains('\r'), "no progress (carriage returns) when standard error is not a terminal: " + stderr);
        string[] lines = stderr.Length == 0 ? [] : stderr.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1, "standard error must be one summary line, got: " + stderr);
        return Parse(lines[0]);
    }

    public static (long Count, long Errors, string Noun) Parse(string line)
    {
        var match = Line.Match(line);
        Assert.True(match.Success, "not a summary line (events, errors, events/s): " + line);
        return (long.Parse(match.Groups["count"].Value.Replace(",", "")), long.Parse(match.Groups["errors"].Value.Replace(",", "")), match.Groups["noun"].Value);
    }
}
