using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Tests;

public sealed class PlaceholderGeneratorTests
{
    private const string Placeholder = """
        // Placeholder mapping file; comments are allowed.
        {
          "destination": "clevertap",
          /* a block comment */
          "description": "placeholder",
          "version": 1
        }
        """;

    [Fact]
    public void Renders_an_info_class_for_a_mapping_file()
    {
        GeneratorRun run = GeneratorHarness
            .Run(InMemoryAdditionalText.Mapping("clevertap/placeholder.json", Placeholder))
            .AssertOutputCompiles();

        Assert.Empty(run.Diagnostics);
        Snapshot.VerifySource("ClevertapPlaceholderInfo", run.Source("Mappings.Generated.ClevertapPlaceholderInfo.g.cs"));
    }

    [Fact]
    public void Reads_only_json_files_below_a_mappings_directory()
    {
        GeneratorRun run = GeneratorHarness.Run(
            InMemoryAdditionalText.Mapping("common.json", "{}"),
            InMemoryAdditionalText.Mapping("clevertap/events.json", "{}"),
            InMemoryAdditionalText.Mapping("clevertap/notes.md", "# not JSON"),
            new InMemoryAdditionalText("/repo/src/settings.json", "not JSON either"),
            new InMemoryAdditionalText("/repo/mappings.json", "not JSON either"));

        Assert.Empty(run.Diagnostics);
        Assert.Equal(
            ["Mappings.Generated.ClevertapEventsInfo.g.cs", "Mappings.Generated.CommonInfo.g.cs"],
            run.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Invalid_json_reports_MAP001_at_the_offending_character_and_still_emits_a_class()
    {
        const string broken = """
            {
              "destination": "clevertap",
              "version": 1
              "description": "missing comma above"
            }
            """;

        GeneratorRun run = GeneratorHarness
            .Run(InMemoryAdditionalText.Mapping("clevertap/broken.json", broken))
            .AssertOutputCompiles();

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("MAP001", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        Assert.Equal("/repo/mappings/clevertap/broken.json", span.Path);
        Assert.Equal(new LinePosition(3, 2), span.StartLinePosition); // line 4, column 3: the quote of "description"
        Assert.Equal(new LinePosition(3, 3), span.EndLinePosition);
        Assert.Equal(new TextSpan(broken.IndexOf("\"description", StringComparison.Ordinal), 1), diagnostic.Location.SourceSpan);
        Assert.Equal("repo:docs/diagnostics/MAP001.md", diagnostic.Descriptor.HelpLinkUri);

        Snapshot.VerifyDiagnostics("InvalidJson", run.Diagnostics);
        Snapshot.VerifySource("ClevertapBrokenInfo", run.Source("Mappings.Generated.ClevertapBrokenInfo.g.cs"));
    }

    [Fact]
    public void MAP001_message_names_the_file_and_the_reason_without_reader_jargon()
    {
        GeneratorRun run = GeneratorHarness.Run(InMemoryAdditionalText.Mapping("clevertap/trailing.json", "{\"a\": 1,}"));

        Assert.Equal(
            "Mapping file 'clevertap/trailing.json' is not valid JSON: The JSON object contains a trailing comma at the end which is not supported in this mode. "
            + "Correct the JSON at this position; comments are allowed, trailing commas are not.",
            Assert.Single(run.Diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static TheoryData<string, string, int, int> ErrorPositions => new()
    {
        // name, content, expected 1-based line and column (as an editor shows them)
        { "trailing comma", "{\"a\": 1,}", 1, 9 },
        { "CRLF line endings", "{\r\n  \"a\": 1\r\n  \"b\": 2\r\n}", 3, 3 },
        { "non-ASCII before the error (2 and 3 UTF-8 bytes)", "{\"é✓\": 1 \"b\": 2}", 1, 10 },
        { "surrogate pairs before the error (2 UTF-16 units, 4 UTF-8 bytes each)", "{\"😀😀\": 1 \"b\": 2}", 1, 12 },
        { "comments before the error", "// c\n/* x\n */ { x }", 3, 7 },
        { "lone CR counts as a line break in the editor", "{\r\"a\": 1 \"b\": 2}", 2, 8 },
        { "empty file", "", 1, 1 },
        { "unterminated object", "{\n  \"a\": 1\n", 3, 1 },
    };

    [Theory]
    [MemberData(nameof(ErrorPositions))]
    public void MAP001_points_at_the_character_an_editor_shows(string name, string content, int line, int column)
    {
        GeneratorRun run = GeneratorHarness.Run(InMemoryAdditionalText.Mapping("clevertap/case.json", content));

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("MAP001", diagnostic.Id);
        LinePosition start = diagnostic.Location.GetLineSpan().StartLinePosition;
        Assert.True(
            (line, column) == (start.Line + 1, start.Character + 1),
            $"{name}: expected ({line},{column}), got ({start.Line + 1},{start.Character + 1}): {diagnostic.GetMessage()}");
    }
}
