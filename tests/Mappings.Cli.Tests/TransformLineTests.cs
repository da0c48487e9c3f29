using System.Text;

namespace Mappings.Cli.Tests;

/// <summary>
/// How <c>mappings transform</c> reads lines: every input line yields exactly one output line, whatever
/// it holds; a final newline does not start a line; CRLF and a leading BOM are accepted; invalid
/// UTF-8 is read with replacement characters (spec §14.7).
/// </summary>
public sealed class TransformLineTests
{
    internal const string Destination = """{"ID":"d1","Config":{"accountId":"acc","passcode":"pc","trackAnonymous":true}}""";
    internal const string Metadata = """{"jobId":7,"destinationId":"d1","workspaceId":"w1"}""";

    internal static string Item(string message, string metadata = Metadata, string destination = Destination) =>
        $$"""{"message":{{message}},"metadata":{{metadata}},"destination":{{destination}}}""";

    internal static string Track(string eventName, string userId = "u1") =>
        Item($$$"""{"type":"track","event":"{{{eventName}}}","userId":"{{{userId}}}","properties":{"plan":"gold"}}""");

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t  \t")]
    [InlineData("not json")]
    [InlineData("{\"message\":")]
    [InlineData("{\"metadata\":{\"jobId\":1},\"message\":{\"type\":\"track\"")] // metadata in a broken line cannot be read
    [InlineData("[]")]
    [InlineData("[{\"metadata\":{\"jobId\":1}}]")]
    [InlineData("42")]
    [InlineData("-1.5e3")]
    [InlineData("\"a string\"")]
    [InlineData("null")]
    [InlineData("true")]
    public void A_line_that_is_not_a_json_object_yields_one_400_entry_without_metadata(string line)
    {
        var run = InProcess.Transform(OutputLines.Join(Track("before"), line, Track("after")));
        Assert.Equal(0, run.ExitCode);
        var lines = run.Lines;
        Assert.Equal(3, lines.Count);
        Entries.AssertSuccess(lines[0]);
        Entries.AssertSingleError(lines[1], metadataJson: null);
        Entries.AssertSuccess(lines[2]);
        var (count, errors, _) = Summary.Parse(run.StderrLines[^1]);
        Assert.Equal(3, count);
        Assert.Equal(1, errors);
    }

    [Theory]
    [InlineData("\"abc\"", "Message Type is not present. Aborting message.")]
    [InlineData("null", "Message Type is not present. Aborting message.")]
    [InlineData("{\"type\":\"group\",\"userId\":\"u1\"}", "Message type not supported")]
    [InlineData("{\"type\":\"track\",\"userId\":\"u1\"}", "Missing required value from \"event\"")]
    [InlineData("{\"type\":\"track\",\"event\":\"x\",\"userId\":\"u1\",\"properties\":\"\"}", "Missing required value from \"properties\"")]
    public void An_object_item_with_a_broken_message_yields_its_normal_error_entry_with_metadata(string message, string error)
    {
        var run = InProcess.Transform(Item(message), Track("after"));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, run.Lines.Count);
        Entries.AssertSingleError(run.Lines[0], Metadata, exactError: error);
        Entries.AssertSuccess(run.Lines[1]);
    }

    [Fact]
    public void An_item_without_destination_config_yields_a_configuration_error_with_metadata()
    {
        var run = InProcess.Transform(Item("""{"type":"track","event":"x","userId":"u1"}""", destination: """{"ID":"d1"}"""));
        Entries.AssertSingleError(run.Lines.Single(), Metadata, errorType: "configuration");
    }

    [Theory]
    [InlineData("""{"type":"track","event":"x","userId":"u1","properties":{"__proto__":{"admin":true}}}""", Metadata)]
    [InlineData("""{"type":"track","event":"x","userId":"u1","properties":{"\u005f_proto__":1}}""", Metadata)]
    [InlineData("""{"type":"track","event":"x","userId":"u1","properties":{"a":[{"b":{"__pr\u006fto__":null}}]}}""", Metadata)]
    [InlineData("""{"type":"track","event":"x","userId":"u1"}""", """{"jobId":8,"destinationId":"d2","workspaceId":"w2","__proto__":{}}""")]
    public void A_line_holding_a_proto_key_yields_the_D6_entry_with_its_metadata(string message, string metadata)
    {
        var run = InProcess.Transform(Track("before"), Item(message, metadata), Track("after"));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, run.Lines.Count);
        Entries.AssertSuccess(run.Lines[0]);
        var entry = Entries.AssertSingleError(run.Lines[1], metadata, exactError: "Object contains forbidden prototype property");
        var tags = entry.GetProperty("statTags");
        var meta = Entries.Parse(Encoding.UTF8.GetBytes(metadata));
        Assert.Equal(meta.GetProperty("destinationId").GetString(), tags.GetProperty("destinationId").GetString());
        Assert.Equal(meta.GetProperty("workspaceId").GetString(), tags.GetProperty("workspaceId").GetString());
        Entries.AssertSuccess(run.Lines[2]);
    }

    [Fact]
    public void A_proto_key_in_the_destination_fails_only_that_line()
    {
        string destination = """{"ID":"d1","Config":{"accountId":"acc","passcode":"pc","trackAnonymous":true,"__proto__":{"x":1}}}""";
        var run = InProcess.Transform(Item("""{"type":"track","event":"x","userId":"u1"}""", destination: destination), Track("after"));
        Entries.AssertSingleError(run.Lines[0], Metadata, exactError: "Object contains forbidden prototype property");
        Entries.AssertSuccess(run.Lines[1]);
    }

    private static string[] MixedLines() =>
    [
        Track("one"),
        "",
        "not json",
        Item("""{"type":"identify","userId":"u1","traits":{"email":"a@b.c","name":"Ann"}}"""),
        Item("""{"type":"track","event":"x","userId":"u1","properties":{"__proto__":1}}"""),
        Track("last"),
    ];

    [Fact]
    public void Crlf_line_ends_give_the_same_output_as_lf()
    {
        var lf = InProcess.Transform(OutputLines.Join(MixedLines().Select(l => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(l))));
        var crlf = InProcess.Transform(OutputLines.Join(MixedLines().Select(l => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(l)), lineEnd: "\r\n"));
        Assert.Equal(MixedLines().Length, lf.Lines.Count);
        Assert.Equal(Entries.Text(lf.Output), Entries.Text(crlf.Output));
        Assert.Equal(0, crlf.ExitCode);
    }

    [Fact]
    public void Crlf_without_a_final_line_end_and_a_lone_final_cr_are_accepted()
    {
        var expected = InProcess.Transform(Track("one"), Track("two"));
        var run = InProcess.Transform(Encoding.UTF8.GetBytes(Track("one") + "\r\n" + Track("two") + "\r"));
        Assert.Equal(Entries.Text(expected.Output), Entries.Text(run.Output));
    }

    [Fact]
    public void A_leading_utf8_bom_is_accepted()
    {
        byte[] plain = OutputLines.Join(MixedLines());
        byte[] withBom = [0xEF, 0xBB, 0xBF, .. plain];
        var expected = InProcess.Transform(plain);
        var run = InProcess.Transform(withBom);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Entries.Text(expected.Output), Entries.Text(run.Output));
        Entries.AssertSuccess(run.Lines[0]);
    }

    [Fact]
    public void A_bom_before_a_blank_first_line_still_gives_one_line()
    {
        var run = InProcess.Transform([0xEF, 0xBB, 0xBF, (byte)'\n', .. Encoding.UTF8.GetBytes(Track("x"))]);
        Assert.Equal(2, run.Lines.Count);
        Entries.AssertSingleError(run.Lines[0], metadataJson: null);
        Entries.AssertSuccess(run.Lines[1]);
    }

    [Fact]
    public void A_final_newline_does_not_start_a_line()
    {
        byte[] with = OutputLines.Join(MixedLines().Select(l => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(l)), finalNewline: true);
        byte[] without = OutputLines.Join(MixedLines().Select(l => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(l)), finalNewline: false);
        Assert.Equal((byte)'\n', with[^1]);
        Assert.NotEqual((byte)'\n', without[^1]);
        var a = InProcess.Transform(with);
        var b = InProcess.Transform(without);
        Assert.Equal(MixedLines().Length, a.Lines.Count);
        Assert.Equal(MixedLines().Length, b.Lines.Count);
        Assert.Equal(Entries.Text(a.Output), Entries.Text(b.Output));
    }

    [Fact]
    public void A_file_of_one_newline_is_one_blank_line()
    {
        var run = InProcess.Transform("\n"u8.ToArray());
        Entries.AssertSingleError(run.Lines.Single(), metadataJson: null);
    }

    [Fact]
    public void Trailing_blank_lines_each_get_their_line()
    {
        var run = InProcess.Transform(Encoding.UTF8.GetBytes(Track("x") + "\n\n\n"));
        Assert.Equal(3, run.Lines.Count);
        Entries.AssertSuccess(run.Lines[0]);
        Entries.AssertSingleError(run.Lines[1], metadataJson: null);
        Entries.AssertSingleError(run.Lines[2], metadataJson: null);
    }

    [Fact]
    public void An_empty_file_gives_an_empty_output_and_a_summary_of_0_events()
    {
        var run = InProcess.Transform(Array.Empty<byte>());
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Output);
        var (count, errors, noun) = Summary.Parse(run.StderrLines[^1]);
        Assert.Equal((0, 0, "events"), (count, errors, noun));
        Assert.StartsWith("0 events", run.StderrLines[^1]);
    }

    [Fact]
    public void Invalid_utf8_inside_a_line_is_read_with_replacement_characters()
    {
        string template = Item("""{"type":"track","event":"Bytes","userId":"u1","properties":{"name":"aXXb","tail":"cYd"}}""");
        byte[] broken = Encoding.UTF8.GetBytes(template);
        int at = Array.IndexOf(broken, (byte)'X');
        broken[at] = 0xFF;      // never UTF-8
        broken[at + 1] = 0xC3;  // a lead byte without its continuation
        int y = Array.IndexOf(broken, (byte)'Y');
        broken[y] = 0x80;       // a lone continuation byte
        byte[] repaired = Encoding.UTF8.GetBytes(template.Replace("XX", "\uFFFD\uFFFD").Replace("Y", "\uFFFD"));

        var run = InProcess.Transform([.. broken, (byte)'\n', .. Encoding.UTF8.GetBytes(Track("after"))]);
        var expected = InProcess.Transform([.. repaired, (byte)'\n', .. Encoding.UTF8.GetBytes(Track("after"))]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, run.Lines.Count);
        Entries.AssertSuccess(run.Lines[0]);
        Assert.Contains("a\uFFFD\uFFFDb", Entries.Text(run.Lines[0]));
        Assert.Contains("c\uFFFDd", Entries.Text(run.Lines[0]));
        Assert.Equal(Entries.Text(expected.Output), Entries.Text(run.Output));
    }

    [Fact]
    public void Invalid_utf8_outside_strings_makes_only_that_line_an_error()
    {
        byte[] line = [.. "{\"message\":"u8, 0xFF, .. "}"u8];
        var run = InProcess.Transform([.. line, (byte)'\n', .. Encoding.UTF8.GetBytes(Track("after"))]);
        Assert.Equal(2, run.Lines.Count);
        Entries.AssertSingleError(run.Lines[0], metadataJson: null);
        Entries.AssertSuccess(run.Lines[1]);
    }

    [Fact]
    public void A_5_MB_line_is_processed_between_ordinary_lines()
    {
        string big = new('x', 5 * 1024 * 1024);
        string line = Item($$$"""{"type":"track","event":"Big","userId":"u1","properties":{"blob":"{{{big}}}","n":1}}""");
        var run = InProcess.Transform(Track("before"), line, Track("after"));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, run.Lines.Count);
        Entries.AssertSuccess(run.Lines[0]);
        var entries = Entries.AssertSuccess(run.Lines[1]);
        var record = entries[0].GetProperty("output").GetProperty("body").GetProperty("JSON").GetProperty("d")[0];
        Assert.Equal(big.Length, record.GetProperty("evtData").GetProperty("blob").GetString()!.Length);
        Entries.AssertSuccess(run.Lines[2]);
    }

    [Fact]
    public void A_5_MB_line_that_is_not_json_is_one_error_line()
    {
        string line = "{\"message\":\"" + new string('y', 5 * 1024 * 1024); // never closed
        var run = InProcess.Transform(Track("before"), line, Track("after"));
        Assert.Equal(3, run.Lines.Count);
        Entries.AssertSingleError(run.Lines[1], metadataJson: null);
        Entries.AssertSuccess(run.Lines[2]);
    }

    [Fact]
    public void Output_line_count_always_equals_input_line_count()
    {
        // Lines of every kind, shuffled deterministically, with and without a final newline and with CRLF.
        string[] kinds =
        [
            Track("t"), "", " ", "x", "[]", "{}", "null", "\"s\"", "7",
            Item("""{"type":"identify","anonymousId":"a1","userId":"u1","context":{"os":{"name":"android"},"device":{"token":"tok"}}}""",
                 destination: """{"ID":"d1","Config":{"accountId":"acc","passcode":"pc","enableObjectIdMapping":true}}"""),
            Item("""{"type":"track","event":"x","properties":{"__proto__":{}}}"""),
            Item("""{"type":5}"""),
            "{\"message\":{\"type\":\"track\"",
        ];
        var random = new Random(11);
        for (int round = 0; round < 6; round++)
        {
            int n = random.Next(1, 60);
            var lines = Enumerable.Range(0, n).Select(_ => kinds[random.Next(kinds.Length)]).ToArray();
            string end = round % 2 == 0 ? "\n" : "\r\n";
            bool final = round % 3 != 0;
            var run = InProcess.Transform(OutputLines.Join(lines.Select(l => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(l)), final, end));
            Assert.Equal(0, run.ExitCode);
            Assert.True(n == run.Lines.Count, $"round {round}: {n} input lines, {run.Lines.Count} output lines");
            foreach (var line in run.Lines) Assert.Equal(System.Text.Json.JsonValueKind.Array, Entries.Parse(line).ValueKind);
            Assert.Equal(n, Summary.Parse(run.StderrLines[^1]).Count);
        }
    }
}
