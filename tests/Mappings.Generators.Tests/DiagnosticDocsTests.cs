using System.Text.RegularExpressions;
using Mappings.Generators.Diagnostics;

namespace Mappings.Generators.Tests;

/// <summary>
/// The examples of <c>docs/diagnostics/MAPnnn.md</c> are real: each page's <c>jsonc</c> blocks that start
/// with <c>// mappings/&lt;path&gt;</c> are mapping files (the other files of the folder being the valid
/// demo files of <see cref="DiagnosticTests"/>), and the page's <c>text</c> block is exactly what the
/// generator reports for them, as <c>dotnet build</c> prints it (paths relative to the repository).
/// </summary>
public sealed partial class DiagnosticDocsTests
{
    public static TheoryData<string> DescriptorIds() => new(DiagnosticDescriptors.All.Select(d => d.Id));

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void The_example_of_each_page_gives_the_output_it_shows(string id)
    {
        string page = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "diagnostics", id + ".md")).Replace("\r\n", "\n");
        string example = page[page.IndexOf("## Example", StringComparison.Ordinal)..];
        example = example[..example.IndexOf("\n## ", StringComparison.Ordinal)];

        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["common.json"] = DiagnosticTests.DemoCommon,
            ["demo/destination.json"] = DiagnosticTests.DemoDestination,
            ["demo/identify.json"] = DiagnosticTests.DemoIdentify,
        };
        int shown = 0;
        foreach (Match block in CodeBlock().Matches(example).Where(b => b.Groups["language"].Value == "jsonc"))
        {
            string content = block.Groups["content"].Value;
            Match file = FileComment().Match(content);
            Assert.True(file.Success, $"{id}.md: a jsonc block of the example must start with // mappings/<path>");
            files[file.Groups["path"].Value] = content;
            shown++;
        }

        string[] expected = CodeBlock().Matches(example)
            .Single(b => b.Groups["language"].Value == "text")
            .Groups["content"].Value
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        GeneratorRun run = GeneratorHarness.Run(files.Select(f => InMemoryAdditionalText.Mapping(f.Key, f.Value)).ToArray());
        string[] actual = run.DiagnosticLines().Select(line => line.Replace(GeneratorHarness.MappingsDirectory, "mappings/", StringComparison.Ordinal)).ToArray();

        Assert.True(shown > 0, $"{id}.md shows no mapping file in its example");
        Assert.Equal(expected, actual);
        Assert.All(run.Diagnostics, d => Assert.Equal(id, d.Id));
    }

    [GeneratedRegex("```(?<language>\\w+)\\n(?<content>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex("^// mappings/(?<path>\\S+)\\n")]
    private static partial Regex FileComment();
}
