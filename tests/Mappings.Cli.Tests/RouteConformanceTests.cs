using System.Text;
using Mappings.CleverTap.Tests;

namespace Mappings.Cli.Tests;

/// <summary>
/// <c>mappings route</c>: the 4 corpus router batches (body <c>{"input": …, "destType": "CLEVERTAP"}</c>) and the
/// reference router vector, one body per line, each output line compared with the expected body
/// (output entries as a multiset, RouterComparer).
/// </summary>
public sealed class RouteConformanceTests
{
    private const string RouterFile = "conformance/corpus/router.jsonl";

    private static IReadOnlyList<ConformanceCase> Batches => ConformanceCases.Load(RouterFile);

    private static ReadOnlyMemory<byte> ReferenceVector => File.ReadAllBytes(SharedFiles.Path("conformance/reference/router/00-simple-router-tests.json"));

    /// <summary>The bodies: the 4 corpus batches, then the reference vector's request body.</summary>
    private static List<ReadOnlyMemory<byte>> Bodies()
    {
        var bodies = new List<ReadOnlyMemory<byte>>();
        foreach (var c in Batches)
        {
            var body = new List<byte>();
            body.AddRange("{\"input\":"u8.ToArray());
            body.AddRange(c.Input.ToArray());
            body.AddRange(",\"destType\":\"CLEVERTAP\"}"u8.ToArray());
            bodies.Add(body.ToArray());
        }
        bodies.Add(OutputLines.OneLine(JsonSlices.At(ReferenceVector, "input", "request", "body")!.Value));
        return bodies;
    }

    private static List<ReadOnlyMemory<byte>> ExpectedBodies() =>
        Batches.Select(c => c.Expected).Append(JsonSlices.At(ReferenceVector, "output", "response", "body")!.Value).ToList();

    private static readonly Lazy<CliResult> FileRun = new(() => InProcess.Route(OutputLines.Join(Bodies())));

    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Batches.Count + 1; i++) data.Add(i);
        return data;
    }

    [Fact]
    public void The_corpus_holds_4_router_batches() => Assert.Equal(4, Batches.Count);

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Output_line_matches_the_reference(int index)
    {
        var run = FileRun.Value;
        Assert.Equal(0, run.ExitCode);
        var lines = run.Lines;
        Assert.Equal(Batches.Count + 1, lines.Count);
        string name = index < Batches.Count ? Batches[index].ToString() : "reference router vector";
        string? diff = RouterComparer.Compare(ExpectedBodies()[index], lines[index]);
        Assert.True(diff is null, $"{name}: {diff}");
    }

    [Fact]
    public void The_summary_counts_the_bodies_without_errors()
    {
        var run = FileRun.Value;
        var (count, errors, _) = Summary.Parse(run.StderrLines[^1]);
        Assert.Equal(Batches.Count + 1, count);
        Assert.Equal(0, errors);
    }

    [Fact]
    public void Standard_input_and_output_give_the_same_bytes_as_files()
    {
        var piped = CliProcess.Run(OutputLines.Join(Bodies()), "route", "--input", "-", "--output", "-");
        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.Equal(Batches.Count + 1, piped.Lines.Count);
        for (int i = 0; i < piped.Lines.Count; i++)
        {
            string? diff = RouterComparer.Compare(ExpectedBodies()[i], piped.Lines[i]);
            Assert.True(diff is null, $"line {i + 1}: {diff}");
        }
        var (count, errors, _) = Summary.AssertOneLine(piped.Stderr);
        Assert.Equal(Batches.Count + 1, count);
        Assert.Equal(0, errors);
    }

    [Fact]
    public void Every_line_gets_its_body_even_when_it_is_not_a_request()
    {
        string good = Encoding.UTF8.GetString(Bodies()[^1].Span);
        var run = InProcess.Route(OutputLines.Join(
            "",                                   // blank
            "not json",
            "[1,2]",                              // not an object
            "{\"input\":[],\"destType\":\"CLEVERTAP\"}",
            good,
            "{\"input\":[],\"destType\":\"CLEVERTAP\",\"__proto__\":{}}"));
        Assert.Equal(0, run.ExitCode);
        var lines = run.Lines;
        Assert.Equal(6, lines.Count);
        foreach (int i in new[] { 0, 1, 2, 5 })
        {
            var body = Entries.Parse(lines[i]);
            Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error").GetString()), Entries.Text(lines[i]));
            Assert.False(body.TryGetProperty("output", out _));
        }
        Assert.Equal("Object contains forbidden prototype property", Entries.Parse(lines[5]).GetProperty("error").GetString());
        Assert.Equal(
            """{"output":[{"metadata":[{"destType":"CLEVERTAP"}],"batched":false,"statusCode":400,"error":"Invalid event array"}]}""",
            Entries.Text(lines[3]));
        Assert.Null(RouterComparer.Compare(ExpectedBodies()[^1], lines[4]));
        var (count, errors, _) = Summary.Parse(run.StderrLines[^1]);
        Assert.Equal(6, count);
        Assert.Equal(4, errors); // the four bodies answered with HTTP 400
    }
}
