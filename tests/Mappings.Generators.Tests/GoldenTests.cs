using Microsoft.CodeAnalysis;

namespace Mappings.Generators.Tests;

/// <summary>
/// The code generated for the real mapping files (<c>mappings/**/*.json</c>, read from disk) is compared
/// with the checked-in golden files <c>Snapshots/&lt;hint name&gt;.verified.cs</c>, and compiles against
/// the runtime without errors or warnings.
/// </summary>
/// <remarks>
/// A change to a mapping file, a template or the lowering shows up here as a diff. Review it, then
/// approve it with <c>UPDATE_SNAPSHOTS=1 dotnet test tests/Mappings.Generators.Tests</c>.
/// </remarks>
public sealed class GoldenTests
{
    /// <summary>One generator run over the real files, shared by the tests of this class (it takes a while).</summary>
    private static readonly Lazy<GeneratorRun> s_run = new(() => GeneratorHarness.RunWithRuntime(RepositoryFiles.MappingFiles()));

    /// <summary>
    /// What the real files generate: one destination class, one class per record mapping, each with
    /// the part holding its traced variant (for explain).
    /// </summary>
    public static readonly string[] ExpectedHintNames =
    [
        "Mappings.Generated.CleverTapAliasMapping.Traced.g.cs",
        "Mappings.Generated.CleverTapAliasMapping.g.cs",
        "Mappings.Generated.CleverTapChargedMapping.Traced.g.cs",
        "Mappings.Generated.CleverTapChargedMapping.g.cs",
        "Mappings.Generated.CleverTapIdentifyMapping.Traced.g.cs",
        "Mappings.Generated.CleverTapIdentifyMapping.g.cs",
        "Mappings.Generated.CleverTapMapper.Traced.g.cs",
        "Mappings.Generated.CleverTapMapper.g.cs",
        "Mappings.Generated.CleverTapPageMapping.Traced.g.cs",
        "Mappings.Generated.CleverTapPageMapping.g.cs",
        "Mappings.Generated.CleverTapScreenMapping.Traced.g.cs",
        "Mappings.Generated.CleverTapScreenMapping.g.cs",
        "Mappings.Generated.CleverTapTrackMapping.Traced.g.cs",
        "Mappings.Generated.CleverTapTrackMapping.g.cs",
    ];

    public static TheoryData<string> HintNames() => new(ExpectedHintNames);

    [Theory]
    [MemberData(nameof(HintNames))]
    public void Generated_file_matches_its_golden_file(string hintName)
        => Snapshot.VerifySource(SnapshotName(hintName), s_run.Value.Source(hintName));

    [Fact]
    public void The_real_files_generate_exactly_these_files()
        => Assert.Equal(ExpectedHintNames, s_run.Value.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));

    [Fact]
    public void The_real_files_have_no_diagnostics()
        => Assert.True(s_run.Value.Diagnostics.IsEmpty, "The real mapping files have diagnostics:\n" + Snapshot.FormatDiagnostics(s_run.Value.Diagnostics));

    [Fact]
    public void The_generated_code_compiles_against_the_runtime_without_errors_or_warnings()
        => s_run.Value.AssertOutputCompiles();

    [Fact]
    public void Every_file_the_generator_reads_is_a_real_mapping_file_and_none_is_left_out()
    {
        // The consumer passes mappings/**/*.json; the schema files and the examples are among them
        // and generate nothing (ExampleFileTests).
        Assert.Contains("mappings.schema.json", RepositoryFiles.MappingPaths());
        Assert.Equal(
            ["clevertap/alias.json", "clevertap/charged.json", "clevertap/destination.json", "clevertap/identify.json",
             "clevertap/page.json", "clevertap/screen.json", "clevertap/track.json", "common.json", "example.schema.json", "mappings.schema.json"],
            RepositoryFiles.MappingPaths().Where(p => !p.StartsWith("clevertap/examples/", StringComparison.Ordinal)).ToArray());
        Assert.NotEmpty(RepositoryFiles.MappingPaths().Where(p => p.StartsWith("clevertap/examples/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_golden_file_belongs_to_a_generated_file()
    {
        // A golden file whose hint name went away would otherwise linger unnoticed.
        string[] expected = ExpectedHintNames.Select(h => SnapshotName(h) + ".verified.cs").ToArray();
        string snapshots = Path.Combine(RepositoryFiles.Root, "tests", "Mappings.Generators.Tests", "Snapshots");
        string[] stale = Directory.EnumerateFiles(snapshots, "Mappings.Generated.*.verified.cs")
            .Select(Path.GetFileName)
            .Where(name => !expected.Contains(name))
            .ToArray()!;
        Assert.True(stale.Length == 0, "Golden files without a generated file: " + string.Join(", ", stale));
    }

    /// <summary><c>Mappings.Generated.X.g.cs</c> → <c>Mappings.Generated.X.g</c> (the snapshot adds <c>.verified.cs</c>).</summary>
    public static string SnapshotName(string hintName) => hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName;
}
