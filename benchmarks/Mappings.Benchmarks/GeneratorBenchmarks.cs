using System.Collections.Immutable;
using System.Text;
using BenchmarkDotNet.Attributes;
using Mappings.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Benchmarks;

/// <summary>
/// The source generator over the CleverTap mapping files: a cold run (a new driver: parse, resolve
/// and emit everything), and a run after editing one file (an incremental driver that has seen
/// the previous version: only that file's steps re-run).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private ImmutableArray<AdditionalText> _files;
    private CSharpCompilation _compilation = null!;
    private GeneratorDriver _warm = null!;
    private AdditionalText _track = null!;
    private AdditionalText _trackEdited = null!;
    private bool _edited;

    [GlobalSetup]
    public void Setup()
    {
        string mappings = Path.Combine(BenchmarkFiles.RepositoryRoot, "mappings");
        _files = Directory.GetFiles(mappings, "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => (AdditionalText)new FileText(path, File.ReadAllText(path)))
            .ToImmutableArray();
        // (mappings/clevertap/examples/ holds files whose names end in "track.json" too.)
        _track = _files.Single(f => f.Path.EndsWith(Path.Combine("clevertap", "track.json"), StringComparison.Ordinal));
        _trackEdited = new FileText(_track.Path, _track.GetText()!.ToString().Replace("\"evtName\"", "\"eventName\"", StringComparison.Ordinal));
        _compilation = CSharpCompilation.Create("Bench", options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _warm = NewDriver().RunGenerators(_compilation);
    }

    private GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(
            [new MappingsGenerator().AsSourceGenerator()],
            _files,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    /// <summary>Everything from scratch.</summary>
    [Benchmark(Baseline = true)]
    public int Cold() => NewDriver().RunGenerators(_compilation).GetRunResult().GeneratedTrees.Length;

    /// <summary>track.json changed since the last run (alternating between two versions).</summary>
    [Benchmark]
    public int AfterOneFileEdit()
    {
        var (from, to) = _edited ? (_trackEdited, _track) : (_track, _trackEdited);
        _edited = !_edited;
        _warm = _warm.ReplaceAdditionalText(from, to).RunGenerators(_compilation);
        return _warm.GetRunResult().GeneratedTrees.Length;
    }

    private sealed class FileText(string path, string content) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(content, Encoding.UTF8);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
