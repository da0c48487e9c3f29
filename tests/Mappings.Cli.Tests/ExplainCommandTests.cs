using System.Text;
using System.Text.Json;

namespace Mappings.Cli.Tests;

/// <summary>
/// <c>mappings explain --input PATH [--json]</c>: each processor request item of the input explained
/// in turn, as text or one JSON object per line; <c>-</c> reads standard input.
/// </summary>
public sealed class ExplainCommandTests
{
    private const string Config = """{"accountId":"acc","passcode":"pc","trackAnonymous":false,"enableObjectIdMapping":false}""";

    private static readonly string Identify = TransformLineTests.Item(
        """{"type":"identify","userId":"u1","traits":{"email":"ada@example.com","plan":"pro"}}""",
        destination: "{\"Config\":" + Config + "}");

    private static readonly string AnonymousTrack = TransformLineTests.Item(
        """{"type":"track","event":"x","anonymousId":"a1"}""",
        destination: "{\"Config\":" + Config + "}");

    [Fact]
    public void Text_names_the_rule_and_source_of_each_field_and_what_was_left_out()
    {
        var run = InProcess.RunFiles("explain", OutputLines.Join(Identify, AnonymousTrack));
        Assert.Equal(0, run.ExitCode);
        string text = Encoding.UTF8.GetString(run.Output);

        Assert.Contains("== line 1\noutcome   1 record\n", text);
        Assert.Contains("  profileData.Email = \"ada@example.com\"\n      rule  mappings/clevertap/identify.json:12  { \"key\": \"Email\", \"paths\": \"@emailOnly\" }\n      uses  @emailOnly  mappings/common.json:10\n      from  traits.email: the first V-valid of traits.email, context.traits.email, properties.email (@emailOnly)\n", text);
        Assert.Contains("  profileData.plan = \"pro\"\n      rule  mappings/clevertap/identify.json:35", text);
        Assert.Contains("    profileData.Phone  mappings/clevertap/identify.json:14", text);
        Assert.Contains("== line 2\noutcome   error 400: userId, not present cannot track anonymous user\n  at      mappings/clevertap/destination.json:78", text);
        Assert.Contains("2 events, 1 errors", run.Stderr);
    }

    [Fact]
    public void Json_gives_one_object_per_line_to_a_file()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("in.jsonl"), OutputLines.Join(Identify, AnonymousTrack));
        var (exit, stdout, _) = InProcess.Run("explain", "--input", dir.File("in.jsonl"), "--output", dir.File("out.jsonl"), "--json");
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stdout);
        var lines = OutputLines.Split(File.ReadAllBytes(dir.File("out.jsonl")));
        Assert.Equal(2, lines.Count);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("mappings/clevertap/destination.json:78", second.RootElement.GetProperty("failure").GetProperty("rule").GetProperty("at").GetString());
    }

    [Fact]
    public void Json_lines_from_standard_input()
    {
        var run = CliProcess.Run(OutputLines.Join(Identify, "not json"), "explain", "--input", "-", "--json");
        Assert.Equal(0, run.ExitCode);
        var lines = run.Lines;
        Assert.Equal(2, lines.Count);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(1, first.RootElement.GetProperty("line").GetInt32());
        Assert.Equal("identify", first.RootElement.GetProperty("mapping").GetString());
        JsonElement email = first.RootElement.GetProperty("records")[0].GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "profileData.Email");
        Assert.Equal("mappings/clevertap/identify.json:12", email.GetProperty("rule").GetProperty("at").GetString());
        Assert.Equal("traits.email", email.GetProperty("from").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(400, second.RootElement.GetProperty("outcome").GetProperty("error").GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("failure").GetProperty("rule").ValueKind);
    }
    private static string Deep(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    [Theory]
    [InlineData("overrideFields", false)]
    [InlineData("category-unsubscribe", false)]
    [InlineData("overrideFields", true)]
    public void A_deep_output_is_explained_and_the_lines_after_it_are_too(string trait, bool json)
    {
        string deep = TransformLineTests.Item(
            $$$"""{"type":"identify","userId":"u1","traits":{"email":"ada@example.com","{{{trait}}}":{{{Deep(80)}}}}}""",
            destination: "{\"Config\":" + Config + "}");
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("in.jsonl"), OutputLines.Join(deep, AnonymousTrack));
        var args = new List<string> { "explain", "--input", dir.File("in.jsonl"), "--output", dir.File("out.txt") };
        if (json) args.Add("--json");
        var (exit, _, stderr) = InProcess.Run([.. args]);

        Assert.Equal(0, exit);
        string text = File.ReadAllText(dir.File("out.txt"));
        Assert.DoesNotContain("explain failed", text);
        if (json)
        {
            Assert.Equal(2, OutputLines.Split(File.ReadAllBytes(dir.File("out.txt"))).Count);
        }
        else
        {
            Assert.Contains("== line 1\noutcome   1 record\n", text);
            Assert.Contains("== line 2\noutcome   error 400", text);
        }

        Assert.Contains("2 events, 1 errors", stderr);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_line_explain_fails_on_gets_the_outcome_of_transform_and_the_reason_and_the_run_goes_on(bool json)
    {
        var input = new MemoryStream(OutputLines.Join(Identify, Identify, AnonymousTrack));
        var output = new MemoryStream();
        var stderr = new StringWriter();
        var explainer = new Mappings.Runtime.Explain.Explainer(Mappings.Generated.CleverTapMapper.Instance);
        int n = 0;
        int exit = ExplainCommand.Run(input, output, new Progress(stderr, 0, interactive: false), json, Mappings.Runtime.Protocol.Limits.DefaultMaxEventOutputBytes, line =>
            ++n == 2 ? throw new InvalidOperationException("broken " + new string('x', 100_000) + " " + Encoding.UTF8.GetString(line)) : explainer.Explain(line));

        Assert.Equal(0, exit);
        string text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains("3 events, 2 errors", stderr.ToString());
        // The reason is bounded (the exception's message here holds 100 KB and the request).
        Assert.All(text.Split('\n').Where(l => l.Contains("explain failed", StringComparison.Ordinal)), l => Assert.True(l.Length < 2000, $"a line of {l.Length} characters"));
        if (json)
        {
            var lines = OutputLines.Split(output.ToArray());
            Assert.Equal(3, lines.Count);
            using var second = JsonDocument.Parse(lines[1]);
            Assert.Equal(2, second.RootElement.GetProperty("line").GetInt32());
            Assert.StartsWith("InvalidOperationException: broken xxx", second.RootElement.GetProperty("explainFailed").GetString());
            Assert.Equal(1, second.RootElement.GetProperty("outcome").GetProperty("records").GetArrayLength());
            using var third = JsonDocument.Parse(lines[2]);
            Assert.Equal(400, third.RootElement.GetProperty("outcome").GetProperty("error").GetProperty("status").GetInt32());
        }
        else
        {
            Assert.Contains("== line 2\noutcome   1 record\nexplain failed: InvalidOperationException: broken xxx", text);
            Assert.Contains("== line 3\noutcome   error 400", text);
        }
    }
    [Fact]
    public void Explain_without_input_asks_for_input_only()
    {
        var (exit, stdout, stderr) = InProcess.Run("explain", "--json");
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("mappings: --input is required (use - for standard input); --output is optional", stderr);
        Assert.DoesNotContain("--input and --output are required", stderr);
    }

    [Fact]
    public void Explain_refuses_max_response_mb_with_a_clear_error()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("in.jsonl"), OutputLines.Join(Identify));
        var (exit, stdout, stderr) = InProcess.Run("explain", "--input", dir.File("in.jsonl"), "--output", dir.File("out.txt"), "--max-response-mb", "10");
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("--max-response-mb is an option of route, not of explain", stderr);
        Assert.False(File.Exists(dir.File("out.txt")));
    }

    [Fact]
    public void The_usage_text_says_explain_writes_a_block_per_line()
    {
        Assert.DoesNotContain("Every input line gets its output line", Cli.Usage);
        Assert.Contains("explain: every input line gets its block of text", Cli.Usage);
    }

    [Theory]
    [InlineData("explain", "-", true, true, false)]      // text to the terminal: no meter among its lines
    [InlineData("explain", "-", true, false, true)]      // explain piped on: the meter on the terminal
    [InlineData("explain", "out.txt", true, true, true)] // explain to a file
    [InlineData("transform", "-", true, true, true)]
    [InlineData("explain", "out.txt", false, true, false)] // stderr not a terminal: never
    public void The_progress_meter_is_not_shown_among_explains_text_on_the_terminal(string command, string output, bool errorIsTerminal, bool outputIsTerminal, bool shown)
    {
        Assert.Equal(shown, Cli.ShowProgress(command, output, errorIsTerminal, outputIsTerminal));
    }
}


