using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Tests;

/// <summary>An <c>AdditionalFiles</c> item that exists only in memory: a path and its content.</summary>
public sealed class InMemoryAdditionalText : AdditionalText
{
    private readonly SourceText _text;

    public InMemoryAdditionalText(string path, string content)
    {
        Path = path;
        _text = SourceText.From(content, Encoding.UTF8);
    }

    public override string Path { get; }

    public string Content => _text.ToString();

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;

    /// <summary>A mapping file at <c>/repo/mappings/&lt;relativePath&gt;</c>.</summary>
    public static InMemoryAdditionalText Mapping(string relativePath, string content)
        => new(GeneratorHarness.MappingsDirectory + relativePath, content);

    /// <summary>The same file with new content, for <c>GeneratorDriver.ReplaceAdditionalText</c>.</summary>
    public InMemoryAdditionalText WithContent(string content) => new(Path, content);

    public override string ToString() => Path;
}
