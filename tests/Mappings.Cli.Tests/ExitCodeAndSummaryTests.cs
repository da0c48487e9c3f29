using System.Text;

namespace Mappings.Cli.Tests;

/// <summary>
/// Exit codes (0 when every line was answered, error entries included; 1 when input or output
/// cannot be read or written; 2 on a usage error, with the usage text) and the one-line summary.
/// </summary>
public sealed class ExitCodeAndSummaryTests
{
    private static string Track(string name) => TransformLineTests.Track(name);

    [Fact]
    public void Error_entries_are_results_exit_code_0_and_the_summary_counts_them()
    {
        var run = InProcess.Transform(Track("a"), "not json", TransformLineTests.Item("""{"type":"group","userId":"u1"}"""), Track("b"), "");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(5, run.Lines.Count);
        var (count, errors, noun) = Summary.Parse(run.StderrLines[^1]);
        Assert.Equal(("events", 5L, 3L), (noun, count, errors));
    }

    [Fact]
    public void Summary_counts_lines_not_entries()
    {
        // identify + device token: one line, two entries, one event.
        string identify = TransformLineTests.Item(
            """{"type":"identify","anonymousId":"a1","userId":"u1","context":{"os":{"name":"iOS"},"device":{"token":"tok"}}}""",
            destination: """{"ID":"d1","Config":{"accountId":"acc","passcode":"pc","enableObjectIdMapping":true}}""");
        var run = InProcess.Transform(identify);
        Entries.AssertSuccess(run.Lines.Single(), entries: 2);
        var (count, errors, _) = Summary.Parse(run.StderrLines[^1]);
        Assert.Equal((1L, 0L), (count, errors));
    }

    [Fact]
    public void Standard_error_is_one_summary_line_when_it_is_not_a_terminal()
    {
        // A run long enough for progress to be due (over half a second), with standard error a pipe.
        var lines = Enumerable.Range(0, 20000).Select(i => Track("e" + i)).ToArray();
        var run = CliProcess.Run(OutputLines.Join(lines), "transform", "--input", "-", "--output", "-");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(20000, run.Lines.Count);
        var (count, errors, noun) = Summary.AssertOneLine(run.Stderr);
        Assert.Equal(("events", 20000L, 0L), (noun, count, errors));
    }

    [Fact]
    public void The_process_reads_stdin_and_writes_stdout_byte_for_byte_like_files()
    {
        // BOM, CRLF, blank, not JSON, __proto__, invalid UTF-8, no final newline.
        byte[] input =
        [
            0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Track("one")), (byte)'\r', (byte)'\n',
            (byte)'\r', (byte)'\n',
            .. "not json\n"u8,
            .. Encoding.UTF8.GetBytes(TransformLineTests.Item("""{"type":"track","event":"x","userId":"u1","properties":{"\u005f_proto__":1}}""")), (byte)'\n',
            .. Encoding.UTF8.GetBytes(TransformLineTests.Item("""{"type":"track","event":"a#b","userId":"u1"}""").Replace("#", "\u0001")), (byte)'\n', // a raw control character: not JSON
            .. "{\"message\":{\"type\":\"track\",\"event\":\"x"u8, 0xFF, 0xFE, .. "\",\"userId\":\"u\"},\"metadata\":{\"jobId\":9},\"destination\":"u8,
            .. Encoding.UTF8.GetBytes(TransformLineTests.Destination), (byte)'}',
        ];
        var files = InProcess.Transform(input);
        var piped = CliProcess.Run(input, "transform", "--input", "-", "--output", "-");
        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.Equal(6, piped.Lines.Count);
        Assert.Equal(Entries.Text(files.Output), Entries.Text(piped.Output));
        Entries.AssertSuccess(piped.Lines[0]);
        Entries.AssertSingleError(piped.Lines[1], metadataJson: null);
        Entries.AssertSingleError(piped.Lines[2], metadataJson: null);
        Entries.AssertSingleError(piped.Lines[3], TransformLineTests.Metadata, exactError: "Object contains forbidden prototype property");
        Entries.AssertSingleError(piped.Lines[4], metadataJson: null);
        Entries.AssertSuccess(piped.Lines[5]);
        Assert.Contains("x\uFFFD\uFFFD", Entries.Text(piped.Lines[5]));
        var (count, errors, _) = Summary.AssertOneLine(piped.Stderr);
        Assert.Equal((6L, 4L), (count, errors));
    }

    [Fact]
    public void Empty_standard_input_gives_empty_output_and_0_events()
    {
        var run = CliProcess.Run([], "transform", "--input", "-", "--output", "-");
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Equal((0L, 0L, "events"), Summary.AssertOneLine(run.Stderr));
        Assert.StartsWith("0 events, 0 errors, ", run.Stderr);
    }

    [Fact]
    public void A_file_input_can_go_to_standard_output_and_standard_input_to_a_file()
    {
        using var dir = new TempDir();
        byte[] input = OutputLines.Join(Track("a"), "", Track("b"));
        File.WriteAllBytes(dir.File("in.jsonl"), input);
        var toStdout = CliProcess.Run(null, "transform", "--input", dir.File("in.jsonl"), "--output", "-");
        Assert.Equal(0, toStdout.ExitCode);
        var toFile = CliProcess.Run(input, "transform", "--input", "-", "--output", dir.File("out.jsonl"));
        Assert.Equal(0, toFile.ExitCode);
        Assert.Empty(toFile.Output);
        Assert.Equal(3, toStdout.Lines.Count);
        Assert.Equal(Entries.Text(toStdout.Output), Entries.Text(File.ReadAllBytes(dir.File("out.jsonl"))));
    }

    [Theory]
    [InlineData("transform")]
    [InlineData("route")]
    public void A_missing_input_file_exits_1(string command)
    {
        using var dir = new TempDir();
        var (exit, stdout, stderr) = InProcess.Run(command, "--input", dir.File("missing.jsonl"), "--output", dir.File("out.jsonl"));
        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Contains("missing.jsonl", stderr);
    }

    [Theory]
    [InlineData("transform")]
    [InlineData("route")]
    public void An_output_path_in_a_missing_directory_exits_1(string command)
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("in.jsonl"), OutputLines.Join(Track("a")));
        string output = Path.Combine(dir.Path, "no-such-dir", "out.jsonl");
        var (exit, _, stderr) = InProcess.Run(command, "--input", dir.File("in.jsonl"), "--output", output);
        Assert.Equal(1, exit);
        Assert.Contains("no-such-dir", stderr);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "no-such-dir")));
    }

    [Fact]
    public void An_input_that_is_a_directory_exits_1()
    {
        using var dir = new TempDir();
        var (exit, _, stderr) = InProcess.Run("transform", "--input", dir.Path, "--output", dir.File("out.jsonl"));
        Assert.Equal(1, exit);
        Assert.False(string.IsNullOrWhiteSpace(stderr));
    }

    [Fact]
    public void An_output_that_cannot_be_written_exits_1()
    {
        if (!File.Exists("/dev/full")) return; // Linux only: every write fails with "no space left on device"
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("in.jsonl"), OutputLines.Join(Track("a"), Track("b")));
        var (exit, _, stderr) = InProcess.Run("transform", "--input", dir.File("in.jsonl"), "--output", "/dev/full");
        Assert.Equal(1, exit);
        Assert.False(string.IsNullOrWhiteSpace(stderr));
    }

    [Fact]
    public void The_process_exits_1_for_a_missing_input_file()
    {
        using var dir = new TempDir();
        var run = CliProcess.Run(null, "transform", "--input", dir.File("missing.jsonl"), "--output", "-");
        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Contains("missing.jsonl", run.Stderr);
    }

    public static TheoryData<string[]> UsageErrorsWithUsageText() => new()
    {
        Array.Empty<string>(),                                                   // no command
        new[] { "frobnicate", "--input", "in.jsonl", "--output", "out.jsonl" },  // unknown command
        new[] { "transform", "--input", "in.jsonl", "--output", "out.jsonl", "--verbose" }, // unknown argument
        new[] { "transform", "--input" },                                        // an option without its value
    };

    [Theory]
    [MemberData(nameof(UsageErrorsWithUsageText))]
    public void Usage_errors_exit_2_with_the_usage_text(string[] args)
    {
        using var dir = new TempDir();
        string[] placed = args.Select(a => a.EndsWith(".jsonl") ? dir.File(a) : a).ToArray();
        File.WriteAllBytes(dir.File("in.jsonl"), OutputLines.Join(Track("a")));
        var (exit, stdout, stderr) = InProcess.Run(placed);
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        AssertUsageText(stderr);
        Assert.False(File.Exists(dir.File("out.jsonl")), "a usage error must not write output");
    }

    public static TheoryData<string[]> MissingInputOrOutput() => new()
    {
        new[] { "transform", "--output", "out.jsonl" },
        new[] { "transform", "--input", "in.jsonl" },
        new[] { "route", "--input", "in.jsonl" },
        new[] { "transform" },
        new[] { "frobnicate" },
    };

    [Theory]
    [MemberData(nameof(MissingInputOrOutput))]
    public void Missing_input_or_output_exits_2_and_says_what_is_missing(string[] args)
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("in.jsonl"), OutputLines.Join(Track("a")));
        var (exit, stdout, stderr) = InProcess.Run(args.Select(a => a.EndsWith(".jsonl") ? dir.File(a) : a).ToArray());
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.False(string.IsNullOrWhiteSpace(stderr));
        Assert.False(File.Exists(dir.File("out.jsonl")));
    }

    [Theory]
    [MemberData(nameof(MissingInputOrOutput))]
    public void Missing_input_or_output_prints_the_usage_text(string[] args)
    {
        var (exit, _, stderr) = InProcess.Run(args);
        Assert.Equal(2, exit);
        AssertUsageText(stderr);
        if (args[0] == "frobnicate") Assert.Contains("unknown command", stderr);
    }

    [Fact]
    public void The_process_without_arguments_exits_2_with_the_usage_text()
    {
        var run = CliProcess.Run(null);
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Output);
        AssertUsageText(run.Stderr);
    }

    [Fact]
    public void Help_prints_the_usage_text_and_exits_0()
    {
        var (exit, _, stderr) = InProcess.Run("--help");
        Assert.Equal(0, exit);
        AssertUsageText(stderr);
    }

    private static void AssertUsageText(string stderr)
    {
        Assert.Contains("Usage:", stderr);
        Assert.Contains("mappings transform --input PATH --output PATH", stderr);
        Assert.Contains("mappings route --input PATH --output PATH", stderr);
    }
}
