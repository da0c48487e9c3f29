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
}
