using System.Text;
using System.Text.Json;

namespace Mappings.Cli.Tests;

/// <summary>
/// The CLI's bounds (D7, D8, D11): a line nested too deep or with too large an output gets its
/// error line while the others are answered as usual; the limits are options.
/// </summary>
public sealed class OutputLimitTests
{
    private static string Nested(int levels) => new string('[', levels) + "1" + new string(']', levels);

    private static string RunTransform(string[] lines, params string[] options)
    {
        using var dir = new TempDir();
        string input = dir.File("in.jsonl"), output = dir.File("out.jsonl");
        File.WriteAllBytes(input, OutputLines.Join(lines));
        var (exit, _, stderr) = InProcess.Run(["transform", "--input", input, "--output", output, .. options]);
        Assert.True(exit == 0, stderr);
        return File.ReadAllText(output);
    }

    private static int Status(string line) => JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 3000 }).RootElement[0].GetProperty("statusCode").GetInt32();

    [Fact]
    public void A_deep_line_and_a_huge_output_line_fail_alone()
    {
        string good = TransformLineTests.Track("Signed Up");
        string deep = TransformLineTests.Item($$$"""{"type":"track","event":"e","userId":"u","properties":{"x":{{{Nested(1100)}}}}}""");
        string huge = TransformLineTests.Item("""{"type":"identify","userId":"u","traits":{"x.80000000":1}}""");
        var lines = RunTransform([good, deep, good, huge, good]).TrimEnd('\n').Split('\n');
        Assert.Equal([200, 400, 200, 400, 200], lines.Select(Status));
        Assert.Contains("nested more than 1000 levels deep", lines[1]);
        Assert.Contains("larger than 64 MiB", lines[3]);
    }

    [Fact]
    public void The_event_output_limit_is_an_option()
    {
        string big = TransformLineTests.Item($$$"""{"type":"track","event":"e","userId":"u","properties":{"text":"{{{new string('x', 200_000)}}}"}}""");
        Assert.Equal(200, Status(RunTransform([big]).TrimEnd('\n')));
        string line = RunTransform([big], "--max-event-output-mb", "0.1").TrimEnd('\n');
        Assert.Equal(400, Status(line));
        Assert.Contains("larger than 0.1 MiB", line);
    }

    [Fact]
    public void A_route_answer_over_the_response_limit_becomes_an_error_line()
    {
        string body = """{"input":[""" + string.Join(",", Enumerable.Repeat("{}", 2000)) + """],"destType":"CLEVERTAP"}""";
        using var dir = new TempDir();
        string input = dir.File("in.jsonl"), output = dir.File("out.jsonl");
        File.WriteAllBytes(input, OutputLines.Join(body, """{"input":[],"destType":"CLEVERTAP"}"""));
        var (exit, _, stderr) = InProcess.Run("route", "--input", input, "--output", output, "--max-response-mb", "0.1");
        Assert.True(exit == 0, stderr);
        var lines = File.ReadAllText(output).TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("MAX_RESPONSE_MB", lines[0]);
        Assert.Contains("Invalid event array", lines[1]);
    }

    [Theory]
    [InlineData("transform", "--max-event-output-mb", "0")]
    [InlineData("route", "--max-response-mb", "lots")]
    [InlineData("route", "--max-event-output-mb", "151")]
    [InlineData("route", "--max-response-mb", "2048")]
    public void A_bad_limit_is_a_usage_error(string command, string option, string value)
    {
        var (exit, _, stderr) = InProcess.Run(command, "--input", "-", "--output", "-", option, value);
        Assert.Equal(2, exit);
        Assert.Contains(option, stderr);
    }

    [Fact]
    public void The_response_limit_is_refused_where_it_would_be_ignored()
    {
        // transform answers each item on its own: an answer size it would never use is a usage error.
        var (exit, _, stderr) = InProcess.Run("transform", "--input", "-", "--output", "-", "--max-response-mb", "10");
        Assert.Equal(2, exit);
        Assert.Contains("--max-response-mb is an option of route, not of transform", stderr);
    }
}
