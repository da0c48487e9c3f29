using Microsoft.CodeAnalysis;

namespace Mappings.Generators.Tests;

/// <summary>
/// Editing one mapping file re-runs only that file's steps; editing C# re-runs none.
/// Every step is named in <see cref="TrackingNames"/>; each step run is attributed to the mapping file
/// it came from by following its inputs back to the additional text.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] s_allSteps =
        [TrackingNames.MappingFiles, TrackingNames.ParsedFiles, TrackingNames.Models, TrackingNames.Diagnostics];

    private static readonly InMemoryAdditionalText s_profile =
        InMemoryAdditionalText.Mapping("clevertap/profile.json", """{ "a": 1 }""");

    private static readonly InMemoryAdditionalText s_events =
        InMemoryAdditionalText.Mapping("clevertap/events.json", """{ "a": 1, "b": 2 }""");

    [Fact]
    public void Editing_one_mapping_file_reruns_only_that_files_steps()
    {
        GeneratorRun first = GeneratorHarness.Run(s_profile, s_events);
        InMemoryAdditionalText edited = s_profile.WithContent("""{ "a": 1, "c": 3 }""");

        GeneratorRun second = first.Rerun(driver => driver.ReplaceAdditionalText(s_profile, edited));

        AssertSteps(second, s_events.Path, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached);
        AssertSteps(
            second,
            s_profile.Path,
            mappingFiles: IncrementalStepRunReason.Modified,
            parsedFiles: IncrementalStepRunReason.Modified,
            models: IncrementalStepRunReason.Modified,
            diagnostics: IncrementalStepRunReason.Unchanged); // re-run, still no diagnostics
        Assert.Contains("TopLevelPropertyCount = 2;", second.Source("Mappings.Generated.ClevertapProfileInfo.g.cs").SourceText.ToString());
    }

    [Fact]
    public void Editing_only_a_comment_reparses_the_file_but_emits_nothing()
    {
        GeneratorRun first = GeneratorHarness.Run(s_profile, s_events);
        InMemoryAdditionalText commented = s_profile.WithContent("""/* new comment */ { "a": 1 }""");

        GeneratorRun second = first.Rerun(driver => driver.ReplaceAdditionalText(s_profile, commented));

        AssertSteps(
            second,
            s_profile.Path,
            mappingFiles: IncrementalStepRunReason.Modified,
            parsedFiles: IncrementalStepRunReason.Unchanged, // same model, same diagnostics
            models: IncrementalStepRunReason.Cached,
            diagnostics: IncrementalStepRunReason.Cached);
        AssertSteps(second, s_events.Path, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void Adding_a_mapping_file_runs_only_the_new_files_steps()
    {
        GeneratorRun first = GeneratorHarness.Run(s_profile);

        GeneratorRun second = first.Rerun(driver => driver.AddAdditionalTexts([s_events]));

        AssertSteps(second, s_profile.Path, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached);
        AssertSteps(second, s_events.Path, IncrementalStepRunReason.New, IncrementalStepRunReason.New, IncrementalStepRunReason.New, IncrementalStepRunReason.New);
    }

    [Fact]
    public void Editing_csharp_reruns_no_step()
    {
        GeneratorRun first = GeneratorHarness.Run(s_profile, s_events);
        var compilation = (Microsoft.CodeAnalysis.CSharp.CSharpCompilation)first.InputCompilation;
        Compilation edited = compilation.AddSyntaxTrees(
            Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("namespace Unrelated; internal sealed class Edited { }", GeneratorHarness.ParseOptions));

        GeneratorRun second = first.Rerun(compilation: edited);

        foreach (string step in s_allSteps)
        {
            Assert.All(
                second.Steps(step).SelectMany(s => s.Outputs),
                output => Assert.True(
                    output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"{step} re-ran ({output.Reason}) after an unrelated C# edit"));
        }

        Assert.Equal(first.GeneratedSources.Length, second.GeneratedSources.Length);
    }

    [Fact]
    public void Every_step_is_tracked_by_name()
    {
        GeneratorRun run = GeneratorHarness.Run(s_profile);

        Assert.Equal(
            s_allSteps.Order(StringComparer.Ordinal),
            run.Result.TrackedSteps.Keys.Where(k => s_allSteps.Contains(k)).Order(StringComparer.Ordinal));
        Assert.All(s_allSteps, step => Assert.NotEmpty(run.Steps(step)));
    }

    private static void AssertSteps(
        GeneratorRun run,
        string path,
        IncrementalStepRunReason mappingFiles,
        IncrementalStepRunReason parsedFiles,
        IncrementalStepRunReason models,
        IncrementalStepRunReason diagnostics)
    {
        var expected = new (string Step, IncrementalStepRunReason Reason)[]
        {
            (TrackingNames.MappingFiles, mappingFiles),
            (TrackingNames.ParsedFiles, parsedFiles),
            (TrackingNames.Models, models),
            (TrackingNames.Diagnostics, diagnostics),
        };

        foreach ((string step, IncrementalStepRunReason reason) in expected)
        {
            IncrementalStepRunReason[] actual = run.Steps(step)
                .Where(s => SourcePath(s) == path)
                .SelectMany(s => s.Outputs)
                .Select(o => o.Reason)
                .ToArray();
            Assert.True(
                actual.Length == 1 && actual[0] == reason,
                $"{step} for {path}: expected {reason}, got [{string.Join(", ", actual)}]");
        }
    }

    /// <summary>The path of the additional text a step run descends from.</summary>
    private static string? SourcePath(IncrementalGeneratorRunStep step)
    {
        foreach ((object value, _) in step.Outputs)
        {
            if (value is AdditionalText text)
            {
                return text.Path;
            }
        }

        foreach ((IncrementalGeneratorRunStep source, int outputIndex) in step.Inputs)
        {
            if (source.Outputs.Length > outputIndex && source.Outputs[outputIndex].Value is AdditionalText text)
            {
                return text.Path;
            }

            if (SourcePath(source) is { } path)
            {
                return path;
            }
        }

        return null;
    }
}
