using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Router;
using Mappings.Testing.Properties;
using Xunit.Abstractions;

namespace Mappings.Cli.Tests;

/// <summary>
/// Invariant 2 for the CLI: the generated cases of the library property tests
/// (<see cref="PropertyCases"/>, same seed, same cases) through one real <c>mappings transform</c>
/// process and one <c>mappings route</c> process: every output line is, byte for byte, what the
/// library answers for that line (one transformer for all lines, as the CLI uses).
/// </summary>
public sealed class PropertyTests(ITestOutputHelper output)
{
    [Fact]
    public void Transform_process_answers_every_generated_item_as_the_library_does()
    {
        var cases = PropertyCases.Items;
        output.WriteLine(PropertyCases.Settings.ToString());
        var run = CliProcess.Run(OutputLines.Join(cases.Select(c => (ReadOnlyMemory<byte>)c.Value.Utf8)), "transform", "--input", "-", "--output", "-");
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Lines;
        Assert.Equal(cases.Count, lines.Count);
        var library = new ProcessorTransformer(CleverTapMapper.Instance);
        var buffer = new ByteBuffer();
        var failures = new Failures(output.WriteLine);
        foreach (var c in cases)
        {
            buffer.Clear();
            library.TransformItem(c.Value.Utf8, buffer);
            if (!buffer.WrittenSpan.SequenceEqual(lines[c.Index]))
            {
                failures.Add($"CLI output line {c.Index + 1} is not the library's answer", c, null,
                    ProcessorInvariants.FirstDifference(buffer.WrittenSpan, lines[c.Index]));
            }
        }
        failures.AssertNone();
    }

    [Fact]
    public void Route_process_answers_every_generated_body_as_the_library_does()
    {
        var bodies = PropertyCases.RouterBodies;
        var run = CliProcess.Run(OutputLines.Join(bodies.Select(b => (ReadOnlyMemory<byte>)b.Value.Utf8)), "route", "--input", "-", "--output", "-");
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Lines;
        Assert.Equal(bodies.Count, lines.Count);
        var library = new RouterTransformer(CleverTapMapper.Instance);
        var buffer = new ByteBuffer();
        var failures = new Failures(output.WriteLine);
        foreach (var b in bodies)
        {
            buffer.Clear();
            library.Transform(b.Value.Utf8, buffer);
            if (!buffer.WrittenSpan.SequenceEqual(lines[b.Index]))
            {
                failures.Add($"CLI route line {b.Index + 1} is not the library's answer", b, null,
                    ProcessorInvariants.FirstDifference(buffer.WrittenSpan, lines[b.Index]));
            }
        }
        failures.AssertNone();
    }

    /// <summary>
    /// The reliability cases (good, malformed, deep and huge-output items; router bodies whose
    /// inputs share job ids) through one transform and one route process with a 1 MiB event limit:
    /// every line gets exactly its outcome (every job once), byte for byte the library's answer.
    /// </summary>
    [Fact]
    public void Deep_and_huge_items_get_their_outcome_through_the_cli()
    {
        string limit = (PropertyCases.ReliabilityEventOutputBytes / (1024.0 * 1024)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var cases = PropertyCases.ReliabilityItems;
        var run = CliProcess.Run(OutputLines.Join(cases.Select(c => (ReadOnlyMemory<byte>)c.Value.Utf8)), "transform", "--input", "-", "--output", "-", "--max-event-output-mb", limit);
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Lines;
        Assert.Equal(cases.Count, lines.Count);
        var library = new ProcessorTransformer(CleverTapMapper.Instance) { MaxEventOutputBytes = PropertyCases.ReliabilityEventOutputBytes };
        var buffer = new ByteBuffer();
        var failures = new Failures(output.WriteLine);
        foreach (var c in cases)
        {
            buffer.Clear();
            library.TransformItem(c.Value.Utf8, buffer);
            if (!buffer.WrittenSpan.SequenceEqual(lines[c.Index]))
            {
                failures.Add($"CLI output line {c.Index + 1} is not the library's answer", c, null, ProcessorInvariants.FirstDifference(buffer.WrittenSpan, lines[c.Index]));
            }
            else if (ProcessorInvariants.CheckOutcome(c.Value.Json, lines[c.Index]) is { } problem)
            {
                failures.Add("outcome", c, null, problem);
            }
        }

        var bodies = PropertyCases.ReliabilityRouterBodies;
        var route = CliProcess.Run(OutputLines.Join(bodies.Select(b => (ReadOnlyMemory<byte>)b.Value.Utf8)), "route", "--input", "-", "--output", "-", "--max-event-output-mb", limit);
        Assert.True(route.ExitCode == 0, route.ToString());
        var answers = route.Lines;
        Assert.Equal(bodies.Count, answers.Count);
        foreach (var b in bodies)
        {
            if (RouterInvariants.CheckJobs(b.Value, answers[b.Index]) is { } problem) failures.Add("router jobs", b, null, problem);
        }
        failures.AssertNone();
    }
}
