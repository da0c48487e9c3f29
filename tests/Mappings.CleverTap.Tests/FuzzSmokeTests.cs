using System.Text;
using Mappings.Fuzz;
using Xunit.Abstractions;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// The short seeded fuzz run of CI (tests/Mappings.Fuzz/README.md runs the same targets for
/// longer, with or without AFL++): each target is fed a fixed, deterministic set of mutated
/// conformance inputs — bit flips, inserted and deleted bytes, truncations, duplicated slices,
/// splices, edge numbers (1e309, -0, huge), nesting past 1,000 levels, <c>__proto__</c> keys,
/// dotted keys asking for huge arrays, invalid UTF-8 — and must let no exception escape and keep
/// its invariants: every answer is JSON, every item gets its outcome, every router job is
/// answered exactly once, the same input gets the same answer.
/// </summary>
public sealed class FuzzSmokeTests(ITestOutputHelper output)
{
    /// <summary>The seed of the mutations: change it only on purpose (a new seed is a new set of inputs).</summary>
    private const int Seed = 20260807;

    [Theory]
    [InlineData(FuzzTargets.Reader, 800)]
    [InlineData(FuzzTargets.Item, 1000)]
    [InlineData(FuzzTargets.Request, 700)]
    [InlineData(FuzzTargets.RequestCompacted, 500)]
    [InlineData(FuzzTargets.Router, 600)]
    [InlineData(FuzzTargets.RouterCompacted, 400)]
    public void Mutated_corpus_inputs_keep_the_invariants(string target, int runs)
    {
        var seeds = SeedCorpus.For(target, SharedFiles.SharedDirectory);
        Assert.NotEmpty(seeds);
        string crashes = Path.Combine(Path.GetTempPath(), "mappings-fuzz-ci");
        var result = MutationRun.Run(target, seeds, runs, Seed, crashes, log: null);
        if (result.Failures.Count == 0) return;

        var report = new StringBuilder($"{result.Failures.Count} of {runs} inputs failed (at most {MutationRun.MaxFailures} kept); replay one with\n")
            .Append($"  dotnet run -c Release --project tests/Mappings.Fuzz -- {target} --replay FILE\n");
        foreach (var failure in result.Failures.Take(3))
        {
            report.Append('\n').Append(failure).Append('\n');
            if (failure.Input.Length <= 4096) report.Append("input (base64): ").Append(Convert.ToBase64String(failure.Input)).Append('\n');
        }
        output.WriteLine(report.ToString());
        Assert.Fail(report.ToString());
    }

    [Fact]
    public void Every_target_has_seeds_from_the_vectors()
    {
        foreach (string target in FuzzTargets.Names)
        {
            var seeds = SeedCorpus.For(target, SharedFiles.SharedDirectory, max: 50);
            Assert.True(seeds.Count == 50, $"{target}: {seeds.Count} seeds");
        }
    }

    [Fact]
    public void The_mutations_are_the_same_for_the_same_seed()
    {
        var seeds = SeedCorpus.For(FuzzTargets.Item, SharedFiles.SharedDirectory, max: 20);
        var first = MutationRun.Inputs(seeds, 5).Take(50).ToList();
        var second = MutationRun.Inputs(seeds, 5).Take(50).ToList();
        Assert.Equal(first.Select(Convert.ToBase64String), second.Select(Convert.ToBase64String));
        Assert.Contains(first, input => !seeds.Any(s => s.AsSpan().SequenceEqual(input)));
    }
}
