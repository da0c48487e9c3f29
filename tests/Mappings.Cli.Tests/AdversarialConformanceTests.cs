using System.Text;
using Mappings.CleverTap.Tests;

namespace Mappings.Cli.Tests;

/// <summary>
/// The adversarial set (mutated real-world messages, conformance/README.md) through the CLI: the
/// 3,000 processor cases as one <c>mappings transform</c> file, the router bodies as one
/// <c>mappings route</c> file, and the reproducers as one file of each (by their mode). Inputs are
/// the raw bytes of each line's <c>input</c>, never re-serialised. One run per file, shared by the
/// theories; each output line is compared with the expected answer as the library tests compare
/// theirs (<c>AdversarialConformanceTests</c> and <c>ProcessorConformanceTests</c> of the CleverTap
/// tests), so the same cases pass and fail here as there.
/// </summary>
public sealed class AdversarialConformanceTests
{
    private const string CasesFile = "conformance/adversarial/cases.jsonl";
    private const string RouterFile = "conformance/adversarial/router.jsonl";

    private static IReadOnlyList<ConformanceCase> Cases => ConformanceCases.Load(CasesFile);

    private static IReadOnlyList<ConformanceCase> RouterBodies => ConformanceCases.Load(RouterFile);

    private static readonly Lazy<CliResult> CasesRun = new(() => InProcess.Transform(OutputLines.Join(Cases.Select(c => c.Input))));

    private static readonly Lazy<CliResult> RouterRun = new(() => InProcess.Route(OutputLines.Join(RouterBodies.Select(c => RouterBody(c.Input)))));

    private static readonly Lazy<IReadOnlyList<Reproducer>> ProcessorReproducers = new(() => Reproducer.All.Where(r => r.Mode == "processor").ToList());

    private static readonly Lazy<IReadOnlyList<Reproducer>> RouterReproducers = new(() => Reproducer.All.Where(r => r.Mode == "router").ToList());

    private static readonly Lazy<CliResult> ProcessorReproducersRun = new(() => InProcess.Transform(OutputLines.Join(ProcessorReproducers.Value.Select(r => r.Input))));

    private static readonly Lazy<CliResult> RouterReproducersRun = new(() => InProcess.Route(OutputLines.Join(RouterReproducers.Value.Select(r => r.Input))));

    /// <summary>The <c>/routerTransform</c> body of a router line: <c>{"input": …, "destType": "CLEVERTAP"}</c>.</summary>
    internal static ReadOnlyMemory<byte> RouterBody(ReadOnlyMemory<byte> input)
    {
        var body = new MemoryStream();
        body.Write("{\"input\":"u8);
        body.Write(input.Span);
        body.Write(",\"destType\":\"CLEVERTAP\"}"u8);
        return body.ToArray();
    }

    public static TheoryData<int> CaseIndexes() => Indexes(Cases.Count);

    public static TheoryData<int> RouterIndexes() => Indexes(RouterBodies.Count);

    public static TheoryData<string> ProcessorReproducerIds() => Ids(ProcessorReproducers.Value);

    public static TheoryData<string> RouterReproducerIds() => Ids(RouterReproducers.Value);

    private static TheoryData<int> Indexes(int count)
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < count; i++) data.Add(i);
        return data;
    }

    private static TheoryData<string> Ids(IEnumerable<Reproducer> reproducers)
    {
        var data = new TheoryData<string>();
        foreach (var r in reproducers) data.Add(r.Id);
        return data;
    }

    [Fact]
    public void Every_case_line_is_answered_and_exits_0()
    {
        var run = CasesRun.Value;
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Cases.Count, run.Lines.Count);
        var (count, _, noun) = Summary.Parse(run.StderrLines[^1]);
        Assert.Equal("events", noun);
        Assert.Equal(Cases.Count, count);
    }

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Case_output_line_matches_the_reference(int index)
    {
        var c = Cases[index];
        var lines = CasesRun.Value.Lines;
        Assert.Equal(Cases.Count, lines.Count);
        string? diff = new JsonComparer().CompareProcessorEntries(c.Expected.Span, lines[index]);
        Assert.True(diff is null, $"{c} [{string.Join(", ", c.Tags)}] (output line {index + 1})\n{diff}\nactual: {Encoding.UTF8.GetString(lines[index])}");
    }

    [Theory]
    [MemberData(nameof(RouterIndexes))]
    public void Router_output_line_matches_the_reference(int index)
    {
        var run = RouterRun.Value;
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(RouterBodies.Count, run.Lines.Count);
        var c = RouterBodies[index];
        string? diff = RouterComparer.Compare(c.Expected, run.Lines[index]);
        Assert.True(diff is null, $"{c} [{string.Join(", ", c.Tags)}]: {diff}");
    }

    [Theory]
    [MemberData(nameof(ProcessorReproducerIds))]
    public void Processor_reproducer_gets_the_reference_answer(string id)
    {
        var list = ProcessorReproducers.Value;
        int index = list.ToList().FindIndex(r => r.Id == id);
        var r = list[index];
        var lines = ProcessorReproducersRun.Value.Lines;
        Assert.Equal(list.Count, lines.Count);
        string? diff = new JsonComparer().CompareProcessorEntries(r.Expected.Span, lines[index]);
        Assert.True(diff is null, $"reproducer {r.Id} ({r.Kind}): {diff}\nactual: {Encoding.UTF8.GetString(lines[index])}");
    }

    [Theory]
    [MemberData(nameof(RouterReproducerIds))]
    public void Router_reproducer_gets_the_reference_answer(string id)
    {
        var list = RouterReproducers.Value;
        int index = list.ToList().FindIndex(r => r.Id == id);
        var r = list[index];
        var run = RouterReproducersRun.Value;
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(list.Count, run.Lines.Count);
        string? diff = RouterComparer.Compare(r.Expected, run.Lines[index]);
        Assert.True(diff is null, $"reproducer {r.Id} ({r.Kind}): {diff}\nactual: {Encoding.UTF8.GetString(run.Lines[index])}");
    }
}
