using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Mappings.Generators.Tests;

/// <summary>
/// Runs <see cref="MappingsGenerator"/> in-process the way the compiler does: a
/// <see cref="CSharpCompilation"/> against the .NET 10 reference assemblies, the mapping files as
/// additional texts, and a <see cref="CSharpGeneratorDriver"/> that tracks every named step.
/// </summary>
public static class GeneratorHarness
{
    /// <summary>Where the in-memory mapping files live; fixed, so diagnostics in snapshots are stable.</summary>
    public const string MappingsDirectory = "/repo/mappings/";

    public static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>
    /// The runtime the generated code calls (<c>Mappings.Runtime.dll</c>), the very assembly this test
    /// project references and has loaded, so code emitted from a compilation binds to it at run time.
    /// </summary>
    public static readonly MetadataReference RuntimeReference =
        MetadataReference.CreateFromFile(typeof(Mappings.Runtime.Protocol.DestinationMapper).Assembly.Location);

    /// <summary>A compilation of <paramref name="sources"/> against the .NET 10 reference assemblies only.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources)
        => CreateCompilation(Net100.References.All, sources);

    /// <summary>
    /// A compilation that also references <see cref="RuntimeReference"/>, as <c>src/Mappings.CleverTap</c>
    /// does, so the generated code can be compiled (and emitted and run).
    /// </summary>
    public static CSharpCompilation CreateCompilationWithRuntime(params string[] sources)
        => CreateCompilation(Net100.References.All.Append(RuntimeReference), sources);

    private static CSharpCompilation CreateCompilation(IEnumerable<MetadataReference> references, string[] sources)
        => CSharpCompilation.Create(
            "Mappings.Consumer",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"/repo/src/Source{i}.cs")),
            references,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                deterministic: true));

    /// <summary>Runs the generator once over <paramref name="additionalTexts"/> (and an empty compilation unless given).</summary>
    public static GeneratorRun Run(IEnumerable<AdditionalText> additionalTexts, CSharpCompilation? compilation = null)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new MappingsGenerator().AsSourceGenerator()],
            additionalTexts,
            ParseOptions,
            optionsProvider: null,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        return GeneratorRun.Execute(driver, compilation ?? CreateCompilation());
    }

    public static GeneratorRun Run(params AdditionalText[] additionalTexts) => Run(additionalTexts, compilation: null);

    /// <summary>Runs the generator over <paramref name="additionalTexts"/> in a compilation that references the runtime.</summary>
    public static GeneratorRun RunWithRuntime(IEnumerable<AdditionalText> additionalTexts)
        => Run(additionalTexts, CreateCompilationWithRuntime());
}

/// <summary>The outcome of one generator run, and the driver to run again incrementally.</summary>
public sealed class GeneratorRun
{
    private GeneratorRun(GeneratorDriver driver, Compilation inputCompilation, Compilation outputCompilation, GeneratorRunResult result)
    {
        Driver = driver;
        InputCompilation = inputCompilation;
        OutputCompilation = outputCompilation;
        Result = result;
    }

    /// <summary>The driver after this run; holds the incremental state for the next one.</summary>
    public GeneratorDriver Driver { get; }

    public Compilation InputCompilation { get; }

    /// <summary>The input compilation plus the generated sources.</summary>
    public Compilation OutputCompilation { get; }

    public GeneratorRunResult Result { get; }

    public ImmutableArray<GeneratedSourceResult> GeneratedSources => Result.GeneratedSources;

    /// <summary>The diagnostics the generator reported (not those of compiling its output).</summary>
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    public GeneratedSourceResult Source(string hintName)
        => GeneratedSources.SingleOrDefault(s => s.HintName == hintName) is { HintName: not null } source
            ? source
            : throw new Xunit.Sdk.XunitException(
                $"No generated source '{hintName}'. Generated: {string.Join(", ", GeneratedSources.Select(s => s.HintName))}");

    /// <summary>Runs the same driver again, after <paramref name="change"/> (e.g. ReplaceAdditionalText) and with another compilation if given.</summary>
    public GeneratorRun Rerun(Func<GeneratorDriver, GeneratorDriver>? change = null, Compilation? compilation = null)
        => Execute(change is null ? Driver : change(Driver), compilation ?? InputCompilation);

    /// <summary>Fails if compiling the generated code together with the input gives errors or warnings.</summary>
    public GeneratorRun AssertOutputCompiles()
    {
        Diagnostic[] problems = CompilerProblems().ToArray();
        Assert.True(problems.Length == 0, "Generated code does not compile cleanly:\n" + string.Join("\n", problems.Select(p => p.ToString())));
        return this;
    }

    /// <summary>The errors and warnings of compiling the generated code together with the input (not the generator's own diagnostics).</summary>
    public IEnumerable<Diagnostic> CompilerProblems()
        => OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning);

    /// <summary>The generated source of <paramref name="hintName"/> as text.</summary>
    public string Text(string hintName) => Source(hintName).SourceText.ToString();

    /// <summary>The generator's diagnostics as compiler output lines (<see cref="Snapshot.FormatDiagnostics"/>), one string each.</summary>
    public string[] DiagnosticLines()
        => Snapshot.FormatDiagnostics(Diagnostics).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The tracked steps named <paramref name="trackingName"/> (one per input item).</summary>
    public ImmutableArray<IncrementalGeneratorRunStep> Steps(string trackingName)
        => Result.TrackedSteps.TryGetValue(trackingName, out ImmutableArray<IncrementalGeneratorRunStep> steps)
            ? steps
            : throw new Xunit.Sdk.XunitException(
                $"No tracked step '{trackingName}'. Tracked: {string.Join(", ", Result.TrackedSteps.Keys.OrderBy(k => k, StringComparer.Ordinal))}");

    internal static GeneratorRun Execute(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            throw new Xunit.Sdk.XunitException($"The generator threw: {result.Exception}");
        }

        return new GeneratorRun(driver, compilation, output, result);
    }
}
