using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static Microsoft.CodeAnalysis.IncrementalStepRunReason;

namespace Mappings.Generators.Tests;

/// <summary>
/// Editing one mapping file re-runs only that file's steps (and, for shared definitions, the steps
/// that use them); editing C# re-runs none. Each step is named in <see cref="TrackingNames"/>; each
/// per-file step run is attributed to the mapping file it comes from (see <see cref="FileOf"/>).
/// </summary>
/// <remarks>
/// The reasons: <c>New</c>/<c>Removed</c> for items that appear or go; <c>Modified</c> when a step re-ran
/// and produced a different value; <c>Unchanged</c> when it re-ran and produced an equal value (so
/// nothing after it re-runs); <c>Cached</c> when it did not run at all.
/// </remarks>
public sealed class IncrementalityTests
{
    /// <summary>Every step name of <see cref="TrackingNames"/>.</summary>
    public static readonly string[] AllStepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    /// <summary>Steps with one output per mapping file (or per mapping, or per destination).</summary>
    private static readonly string[] s_perFileSteps =
    [
        TrackingNames.MappingFiles, TrackingNames.ParsedFiles, TrackingNames.Files, TrackingNames.Mappers,
        TrackingNames.Destinations, TrackingNames.FileDiagnostics, TrackingNames.ReferenceDiagnostics,
        TrackingNames.FolderDiagnostics,
    ];

    /// <summary>Steps that combine every file into one value (shared definitions).</summary>
    private static readonly string[] s_sharedSteps =
        [TrackingNames.PathLists, TrackingNames.DestinationDefinitions, TrackingNames.MappingNames, TrackingNames.DestinationFolders];

    private const string Track = "clevertap/track.json";
    private const string Identify = "clevertap/identify.json";
    private const string Alias = "clevertap/alias.json";
    private const string Page = "clevertap/page.json";
    private const string Screen = "clevertap/screen.json";
    private const string Charged = "clevertap/charged.json";
    private const string Destination = "clevertap/destination.json";
    private const string Common = "common.json";

    private static readonly string[] s_mappings = [Alias, Charged, Identify, Page, Screen, Track];

    /// <summary>
    /// The files something is generated from. The schema file is a mapping file to the generator (it
    /// is under mappings/) but of no kind it uses: it is parsed to an empty model, every filter after
    /// <see cref="TrackingNames.Files"/> drops it, and Roslyn lists only the steps some output depends
    /// on, so it has no Files step.
    /// </summary>
    private static readonly string[] s_generatingFiles = [.. s_mappings, Destination, Common];

    [Fact]
    public void Every_step_is_tracked_by_name()
    {
        GeneratorRun run = GeneratorHarness.Run(RepositoryFiles.MappingFiles());

        Assert.Equal(12, AllStepNames.Length);
        Assert.All(AllStepNames, step => Assert.NotEmpty(run.Steps(step)));
        Assert.Equal(s_perFileSteps.Concat(s_sharedSteps).Order(StringComparer.Ordinal), AllStepNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Editing_track_json_reruns_only_the_steps_of_track_json()
    {
        (GeneratorRun first, GeneratorRun second) = Edit(Track, text => Replace(text, "\"key\": \"evtName\"", "\"key\": \"eventName\""));

        AssertStep(second, TrackingNames.MappingFiles, OnlyChanged(Track, Modified));
        AssertStep(second, TrackingNames.ParsedFiles, OnlyChanged(Track, Modified));
        AssertStep(second, TrackingNames.Files, OnlyChanged(Track, Modified, s_generatingFiles));
        AssertStep(second, TrackingNames.Mappers, OnlyChanged(Track, Modified, s_mappings));
        AssertStep(second, TrackingNames.Destinations, new() { [Destination] = Cached });
        // Re-run for track (its text moved), still no diagnostics.
        AssertStep(second, TrackingNames.FileDiagnostics, OnlyChanged(Track, Unchanged));
        AssertStep(second, TrackingNames.ReferenceDiagnostics, OnlyChanged(Track, Unchanged));
        AssertShared(second, pathLists: Cached, definitions: Cached, mappingNames: Cached);

        AssertOnlyChangedSources(first, second, "Mappings.Generated.CleverTapTrackMapping.g.cs");
        Assert.Contains("JsName.Of(\"eventName\")", second.Text("Mappings.Generated.CleverTapTrackMapping.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_only_a_comment_reparses_the_file_but_emits_nothing()
    {
        // The comment gets longer, so every later position moves, but no entry changes its line.
        (GeneratorRun first, GeneratorRun second) = Edit(Track, text => Replace(text, "// track → a CleverTap event record", "// track events → a CleverTap event record"));

        // The parse result holds the references with their (moved) positions: re-run downstream of it,
        // but the model is equal, so no mapper re-runs and no source is emitted again.
        AssertStep(second, TrackingNames.ParsedFiles, OnlyChanged(Track, Modified));
        AssertStep(second, TrackingNames.Files, OnlyChanged(Track, Unchanged, s_generatingFiles));
        AssertStep(second, TrackingNames.Mappers, AllAre(Cached, s_mappings));
        AssertStep(second, TrackingNames.FileDiagnostics, OnlyChanged(Track, Unchanged));
        AssertStep(second, TrackingNames.ReferenceDiagnostics, OnlyChanged(Track, Unchanged));
        AssertShared(second, pathLists: Cached, definitions: Cached, mappingNames: Cached);
        AssertOnlyChangedSources(first, second);
    }

    [Fact]
    public void Moving_entries_to_other_lines_emits_only_that_files_class_again()
    {
        // The generated code quotes each entry with its line: a line added above them changes those
        // comments, in track.json's class only.
        (GeneratorRun first, GeneratorRun second) = Edit(Track, text => "// a new line moves every entry\n" + text);

        AssertStep(second, TrackingNames.Files, OnlyChanged(Track, Modified, s_generatingFiles));
        AssertStep(second, TrackingNames.Mappers, OnlyChanged(Track, Modified, s_mappings));
        AssertStep(second, TrackingNames.Destinations, new() { [Destination] = Cached });
        AssertShared(second, pathLists: Cached, definitions: Cached, mappingNames: Cached);
        AssertOnlyChangedSources(first, second, "Mappings.Generated.CleverTapTrackMapping.g.cs");
        Assert.Contains("// mappings/clevertap/track.json:7  { \"key\": \"evtName\"", second.Text("Mappings.Generated.CleverTapTrackMapping.g.cs"), StringComparison.Ordinal);
    }

    public static TheoryData<string, string[], IncrementalStepRunReason> PathListEdits => new()
    {
        // identify.json uses @emailOnly, @firstName and @lastName directly.
        { "emailOnly", [Identify], Unchanged },
        { "firstName", [Identify], Unchanged },
        // @userId: identify.json directly, track/page/screen/charged through the eventIdentity group of
        // destination.json. alias.json uses no path list.
        { "userId", [Charged, Identify, Page, Screen, Track], Unchanged },
        // @userIdOnly: only the $userId named value of destination.json; mappings call that value by
        // name, so their models do not hold its paths.
        { "userIdOnly", [], Modified },
    };

    [Theory]
    [MemberData(nameof(PathListEdits))]
    public void Editing_a_path_list_in_common_json_changes_exactly_the_mappers_that_use_it(
        string list,
        string[] changedMappers,
        IncrementalStepRunReason destination)
    {
        (GeneratorRun first, GeneratorRun second) = Edit(Common, text => Replace(text, $"\"{list}\": [", $"\"{list}\": [\"added.path\", "));

        AssertStep(second, TrackingNames.ParsedFiles, OnlyChanged(Common, Modified));
        AssertShared(second, pathLists: Modified, definitions: Cached, mappingNames: Cached);
        // Every mapper is combined with the path lists, so every one re-runs; those whose resolved
        // model is equal report Unchanged, and only their sources are not emitted again.
        AssertStep(second, TrackingNames.Mappers, s_mappings.ToDictionary(m => m, m => changedMappers.Contains(m) ? Modified : Unchanged));
        AssertStep(second, TrackingNames.Destinations, new() { [Destination] = destination });
        AssertStep(second, TrackingNames.ReferenceDiagnostics, AllAre(Unchanged, RepositoryFiles.MappingPaths()));

        string[] changedSources = changedMappers
            .Select(HintName)
            .Concat(destination == Modified ? ["Mappings.Generated.CleverTapMapper.g.cs"] : [])
            .ToArray();
        AssertOnlyChangedSources(first, second, changedSources);
    }

    [Fact]
    public void Editing_only_a_comment_in_common_json_reruns_nothing_after_parsing()
    {
        (GeneratorRun first, GeneratorRun second) = Edit(Common, text => text + "\n// trailing comment\n");

        AssertStep(second, TrackingNames.ParsedFiles, OnlyChanged(Common, Unchanged));
        AssertStep(second, TrackingNames.Mappers, AllAre(Cached, s_mappings));
        AssertShared(second, pathLists: Cached, definitions: Cached, mappingNames: Cached);
        AssertOnlyChangedSources(first, second);
    }

    [Fact]
    public void Editing_a_field_group_in_destination_json_changes_the_mappers_that_use_it()
    {
        // profileTimestamp is used by identify.json and alias.json only.
        (GeneratorRun first, GeneratorRun second) = Edit(
            Destination,
            text => Replace(text, "\"firstTruthy\": [\"traits.ts\", \"context.traits.ts\"]", "\"firstTruthy\": [\"traits.ts\", \"context.traits.ts\", \"properties.ts\"]"));

        AssertStep(second, TrackingNames.ParsedFiles, OnlyChanged(Destination, Modified));
        AssertShared(second, pathLists: Cached, definitions: Modified, mappingNames: Cached);
        AssertStep(second, TrackingNames.Mappers, s_mappings.ToDictionary(m => m, m => m is Identify or Alias ? Modified : Unchanged));
        // The destination's own model (dispatch, request, named values) holds no field groups.
        AssertStep(second, TrackingNames.Destinations, new() { [Destination] = Unchanged });
        AssertOnlyChangedSources(first, second, "Mappings.Generated.CleverTapAliasMapping.g.cs", "Mappings.Generated.CleverTapIdentifyMapping.g.cs");
    }

    [Fact]
    public void Adding_a_mapping_file_runs_the_new_files_steps_and_keeps_the_destination()
    {
        GeneratorRun first = GeneratorHarness.Run(RepositoryFiles.MappingFiles());
        var group = InMemoryAdditionalText.Mapping("clevertap/group.json", """{ "record": { "fields": [{ "key": "type", "const": "group" }] } }""");

        GeneratorRun second = first.Rerun(driver => driver.AddAdditionalTexts([group]));

        AssertStep(second, TrackingNames.ParsedFiles, OnlyChanged("clevertap/group.json", New));
        AssertStep(second, TrackingNames.Mappers, OnlyChanged("clevertap/group.json", New, [.. s_mappings, "clevertap/group.json"]));
        AssertShared(second, pathLists: Cached, definitions: Cached, mappingNames: Modified);
        // No event rule names the new mapping, so the destination's model is the same.
        AssertStep(second, TrackingNames.Destinations, new() { [Destination] = Unchanged });
        Assert.Contains("Mappings.Generated.CleverTapGroupMapping.g.cs", second.GeneratedSources.Select(s => s.HintName));
        AssertOnlyChangedSources(first, second, "Mappings.Generated.CleverTapGroupMapping.g.cs");
    }

    [Fact]
    public void Editing_csharp_reruns_no_step()
    {
        GeneratorRun first = GeneratorHarness.Run(RepositoryFiles.MappingFiles());
        Compilation edited = ((CSharpCompilation)first.InputCompilation).AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Unrelated; internal sealed class Edited { }", GeneratorHarness.ParseOptions, path: "/repo/src/Edited.cs"));

        GeneratorRun second = first.Rerun(compilation: edited);

        foreach (string step in AllStepNames)
        {
            Assert.All(
                second.Steps(step).SelectMany(s => s.Outputs),
                output => Assert.True(
                    output.Reason is Cached or Unchanged,
                    $"{step} re-ran ({output.Reason}) after an unrelated C# edit"));
        }

        AssertOnlyChangedSources(first, second);
    }

    [Fact]
    public void Moving_an_error_reports_it_at_its_new_place_without_emitting_code_again()
    {
        string broken = Replace(RepositoryFiles.ReadMapping(Track), "\"convert\": \"unixSeconds\"", "\"convert\": \"unixMillis\"");
        ImmutableArray<InMemoryAdditionalText> files = RepositoryFiles.MappingFilesWith(Track, broken);
        InMemoryAdditionalText track = files.Single(f => f.Path.EndsWith(Track, StringComparison.Ordinal));
        GeneratorRun first = GeneratorHarness.Run(files);
        int line = Assert.Single(first.Diagnostics).Location.GetLineSpan().StartLinePosition.Line;

        GeneratorRun second = first.Rerun(driver => driver.ReplaceAdditionalText(track, track.WithContent("\n\n" + broken)));

        Assert.Equal(line + 2, Assert.Single(second.Diagnostics).Location.GetLineSpan().StartLinePosition.Line);
        AssertStep(second, TrackingNames.Files, OnlyChanged(Track, Unchanged, s_generatingFiles));
        AssertStep(second, TrackingNames.Mappers, AllAre(Cached, s_mappings));
        AssertStep(second, TrackingNames.FileDiagnostics, OnlyChanged(Track, Modified));
        AssertOnlyChangedSources(first, second);
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>Runs the generator over the real files, then again with <paramref name="relativePath"/> edited.</summary>
    private static (GeneratorRun First, GeneratorRun Second) Edit(string relativePath, Func<string, string> edit)
    {
        ImmutableArray<InMemoryAdditionalText> files = RepositoryFiles.MappingFiles();
        InMemoryAdditionalText file = files.Single(f => f.Path == GeneratorHarness.MappingsDirectory + relativePath);
        GeneratorRun first = GeneratorHarness.Run(files);
        GeneratorRun second = first.Rerun(driver => driver.ReplaceAdditionalText(file, file.WithContent(edit(file.Content))));
        Assert.Empty(second.Diagnostics);
        return (first, second);
    }

    private static string Replace(string text, string oldValue, string newValue)
    {
        Assert.True(text.Contains(oldValue, StringComparison.Ordinal), $"'{oldValue}' is not in the mapping file any more: update this test");
        return text.Replace(oldValue, newValue, StringComparison.Ordinal);
    }

    /// <summary>The generated class of a record mapping: <c>clevertap/track.json</c> → <c>Mappings.Generated.CleverTapTrackMapping.g.cs</c>.</summary>
    private static string HintName(string mappingPath)
        => $"Mappings.Generated.CleverTap{Identifier.Pascal(MappingParser.MappingName(mappingPath))}Mapping.g.cs";

    /// <summary>
    /// <paramref name="file"/> at <paramref name="reason"/>, every other one of <paramref name="files"/>
    /// (default: every real mapping file) Cached.
    /// </summary>
    private static Dictionary<string, IncrementalStepRunReason> OnlyChanged(string file, IncrementalStepRunReason reason, IEnumerable<string>? files = null)
    {
        Dictionary<string, IncrementalStepRunReason> expected = AllAre(Cached, files ?? RepositoryFiles.MappingPaths());
        expected[file] = reason;
        return expected;
    }

    private static Dictionary<string, IncrementalStepRunReason> AllAre(IncrementalStepRunReason reason, IEnumerable<string> files)
        => files.ToDictionary(f => f, _ => reason);

    /// <summary>Asserts the reason of every output of a per-file step, by file (exactly these files, each once).</summary>
    private static void AssertStep(GeneratorRun run, string step, Dictionary<string, IncrementalStepRunReason> expected)
    {
        var actual = new List<(string File, IncrementalStepRunReason Reason)>();
        foreach (IncrementalGeneratorRunStep stepRun in run.Steps(step))
        {
            string file = FileOf(stepRun) ?? throw new Xunit.Sdk.XunitException($"Cannot tell which file a {step} step came from");
            actual.AddRange(stepRun.Outputs.Select(o => (file, o.Reason)));
        }

        string Show(IEnumerable<(string File, IncrementalStepRunReason Reason)> items)
            => string.Join(", ", items.OrderBy(i => i.File, StringComparer.Ordinal).Select(i => $"{i.File}={i.Reason}"));

        Assert.True(
            Show(expected.Select(e => (e.Key, e.Value))) == Show(actual),
            $"{step}:\n  expected {Show(expected.Select(e => (e.Key, e.Value)))}\n  actual   {Show(actual)}");
    }

    private static void AssertShared(GeneratorRun run, IncrementalStepRunReason pathLists, IncrementalStepRunReason definitions, IncrementalStepRunReason mappingNames)
    {
        foreach ((string step, IncrementalStepRunReason reason) in new[]
        {
            (TrackingNames.PathLists, pathLists), (TrackingNames.DestinationDefinitions, definitions), (TrackingNames.MappingNames, mappingNames),
        })
        {
            IncrementalStepRunReason actual = Assert.Single(Assert.Single(run.Steps(step)).Outputs).Reason;
            Assert.True(actual == reason, $"{step}: expected {reason}, got {actual}");
        }
    }

    /// <summary>Asserts which generated sources differ between two runs (by text), and that the same files were generated.</summary>
    private static void AssertOnlyChangedSources(GeneratorRun first, GeneratorRun second, params string[] changed)
    {
        Dictionary<string, string> before = first.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Dictionary<string, string> after = second.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        string[] actual = after.Keys
            .Where(hint => !before.TryGetValue(hint, out string? old) || old != after[hint])
            .Concat(before.Keys.Where(hint => !after.ContainsKey(hint)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        // Each class comes with the part holding its traced variant, written by the same output.
        Assert.Equal(changed.Concat(changed.Select(h => h.Replace(".g.cs", ".Traced.g.cs", StringComparison.Ordinal))).Order(StringComparer.Ordinal), actual);

        // The source outputs that write code re-ran only for what changed (the diagnostics outputs are
        // separate: they may re-report without any code being written again).
        int reemitted = second.Result.TrackedOutputSteps.Values
            .SelectMany(steps => steps)
            .Count(s => IsCodeOutput(s) && s.Outputs.Any(o => o.Reason is Modified or New));
        Assert.True(reemitted == changed.Length, $"{reemitted} code outputs re-ran; expected {changed.Length} ({string.Join(", ", changed)})");
    }

    /// <summary>A source-output step that writes code: its input is a mapper or destination model (not diagnostics).</summary>
    private static bool IsCodeOutput(IncrementalGeneratorRunStep output)
        => output.Inputs.Any(i => i.Source.Outputs.Length > i.OutputIndex && i.Source.Outputs[i.OutputIndex].Value is MapperModel or DestinationModel);

    /// <summary>
    /// The mapping file (relative to <c>mappings/</c>) a step run descends from: told by its output
    /// value when that is a per-file model, otherwise by following its inputs back to one.
    /// </summary>
    private static string? FileOf(IncrementalGeneratorRunStep step)
    {
        foreach ((object value, _) in step.Outputs)
        {
            if (FileOf(value) is { } file)
            {
                return file;
            }
        }

        foreach ((IncrementalGeneratorRunStep source, int outputIndex) in step.Inputs)
        {
            if (((source.Outputs.Length > outputIndex ? FileOf(source.Outputs[outputIndex].Value) : null) ?? FileOf(source)) is { } file)
            {
                return file;
            }
        }

        return null;
    }

    private static string? FileOf(object? value) => value switch
    {
        AdditionalText text => MappingFilePath.GetRelativePath(text.Path),
        FileParseResult result => result.File.RelativePath,
        ParsedFile file => file.RelativePath,
        MapperModel mapper => mapper.RelativePath,
        DestinationModel destination => destination.RelativePath,
        ITuple tuple when tuple.Length > 0 => FileOf(tuple[0]),
        _ => null,
    };
}
