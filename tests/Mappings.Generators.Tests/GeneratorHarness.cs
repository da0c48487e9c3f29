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

    public static CSharpCompilation CreateCompilation(params string[] sources)
        => CSharpCompilation.Create(
            "Mappings.Consumer",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"/repo/src/Source{i}.cs")),
            Net100.References.All,
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
        Diagnostic[] problems = OutputCompilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToArray();
        Assert.True(problems.Length == 0, "Generated code does not compile cleanly:\n" + string.Join("\n", problems.Select(p => p.ToString())));
        return this;
    }

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
