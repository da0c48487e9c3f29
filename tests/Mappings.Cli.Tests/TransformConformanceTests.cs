using System.Text;
using Mappings.CleverTap.Tests;

namespace Mappings.Cli.Tests;

/// <summary>
/// Every processor case of the shared corpora through <c>mappings transform</c>: all 1,000 corpus and
/// 2,033 foreign inputs as one JSONL file (raw input bytes, never re-serialised), output line i
/// compared with the expected entries of case i (conformance/README.md, D1 rule included).
/// </summary>
public sealed class TransformConformanceTests
{
    private const string CorpusFile = "conformance/corpus/cases.jsonl";
    private const string ForeignFile = "conformance/foreign/cases.jsonl";

    private static IReadOnlyList<ConformanceCase> AllCases =>
        ConformanceCases.Load(CorpusFile).Concat(ConformanceCases.Load(ForeignFile)).ToList();

    private static byte[] InputFile() => OutputLines.Join(AllCases.Select(c => c.Input));

    /// <summary>One run over real files, shared by the case theories.</summary>
    private static readonly Lazy<CliResult> FileRun = new(() => InProcess.Transform(InputFile()));

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        for (int i = 0; i < ConformanceCases.Load(CorpusFile).Count; i++) data.Add(CorpusFile, i);
        for (int i = 0; i < ConformanceCases.Load(ForeignFile).Count; i++) data.Add(ForeignFile, i);
        return data;
    }

    [Fact]
    public void The_corpora_hold_1000_and_2033_cases()
    {
        Assert.Equal(1000, ConformanceCases.Load(CorpusFile).Count);
        Assert.Equal(2033, ConformanceCases.Load(ForeignFile).Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_line_matches_the_reference(string file, int index)
    {
        int line = file == CorpusFile ? index : ConformanceCases.Load(CorpusFile).Count + index;
        var c = ConformanceCases.Load(file)[index];
        var run = FileRun.Value;
        var lines = run.Lines;
        Assert.Equal(AllCases.Count, lines.Count);
        string? diff = new JsonComparer().CompareProcessorEntries(c.Expected.Span, lines[line]);
        Assert.True(diff is null, $"{c} [{string.Join(", ", c.Tags)}] (output line {line + 1})\n{diff}\nactual: {Encoding.UTF8.GetString(lines[line])}");
    }

    [Fact]
    public void The_file_run_answers_every_line_exits_0_and_counts_the_errors()
    {
        var run = FileRun.Value;
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3033, run.Lines.Count);
        long expectedErrors = AllCases.Count(c => HasErrorEntry(c.Expected));
        Assert.True(expectedErrors > 0, "the corpora hold error cases");
        var (count, errors, noun) = Summary.Parse(run.StderrLines[^1]);
        Assert.Equal("events", noun);
        Assert.Equal(3033, count);
        Assert.Equal(expectedErrors, errors);
    }

    [Fact]
    public void Standard_input_and_output_give_the_same_bytes_as_files()
    {
        byte[] input = InputFile();
        var piped = CliProcess.Run(input, "transform", "--input", "-", "--output", "-");
        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.Equal(3033, piped.Lines.Count);
        Assert.True(FileRun.Value.Output.AsSpan().SequenceEqual(piped.Output), "stdin/stdout output differs from the file output");
        var (count, errors, _) = Summary.AssertOneLine(piped.Stderr);
        Assert.Equal(3033, count);
        Assert.Equal(AllCases.Count(c => HasErrorEntry(c.Expected)), errors);
    }

    [Fact]
    public void A_real_process_with_files_gives_the_same_bytes()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("in.jsonl"), InputFile());
        var run = CliProcess.Run(null, "transform", "--input", dir.File("in.jsonl"), "--output", dir.File("out.jsonl"));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Output);
        Assert.True(FileRun.Value.Output.AsSpan().SequenceEqual(File.ReadAllBytes(dir.File("out.jsonl"))), "process file output differs from the in-process output");
        Summary.AssertOneLine(run.Stderr);
    }

    internal static bool HasErrorEntry(ReadOnlyMemory<byte> entries) =>
        JsonSlices.Elements(entries).Any(e => JsonSlices.At(e, "statusCode") is { } s && Encoding.UTF8.GetString(s.Span) != "200");
}

/// <summary>The reference project's 29 processor vectors through <c>mappings transform</c>: each request item a line.</summary>
public sealed class TransformReferenceVectorTests
{
    private static string Folder => SharedFiles.Path("conformance/reference/processor");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Folder, "*.json").OrderBy(f => f, StringComparer.Ordinal)) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void All_29_vectors_are_present() => Assert.Equal(29, Directory.GetFiles(Folder, "*.json").Length);

    [Theory]
    [MemberData(nameof(Files))]
    public void Vector_matches_the_reference(string file)
    {
        ReadOnlyMemory<byte> json = File.ReadAllBytes(Path.Combine(Folder, file));
        var body = JsonSlices.At(json, "input", "request", "body") ?? throw new InvalidDataException("no input.request.body");
        var expected = JsonSlices.At(json, "output", "response", "body") ?? throw new InvalidDataException("no output.response.body");
        var items = JsonSlices.Elements(body).Select(OutputLines.OneLine).ToList();

        var run = InProcess.Transform(OutputLines.Join(items));
        Assert.Equal(0, run.ExitCode);
        var lines = run.Lines;
        Assert.Equal(items.Count, lines.Count);

        // The response body is the concatenation of the lines' arrays.
        var actual = new List<byte>{ (byte)'[' };
        foreach (var line in lines)
        {
            var inner = line.AsSpan(1, line.Length - 2);
            if (inner.Length == 0) continue;
            if (actual.Count > 1) actual.Add((byte)',');
            actual.AddRange(inner.ToArray());
        }
        actual.Add((byte)']');
        string? diff = new JsonComparer().CompareProcessorEntries(expected.Span, actual.ToArray());
        Assert.True(diff is null, $"{file}\n{diff}\nactual: {Encoding.UTF8.GetString(actual.ToArray())}");
    }
}
