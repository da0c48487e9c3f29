using System.Text.Json;
using Json.Schema;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing;

namespace Mappings.Generators.Tests;

/// <summary>
/// Examples live under <c>mappings/</c> too (<c>mappings/&lt;destination&gt;/examples/*.json</c>,
/// schema <c>mappings/example.schema.json</c>), and the consumer passes <c>mappings/**/*.json</c> to
/// the generator: it must never take them for mapping files. And editors validate them with their
/// schema, which every real example satisfies.
/// </summary>
public sealed class ExampleFileTests
{
    private static readonly string s_schemaPath = Path.Combine(RepositoryFiles.MappingsDirectory, "example.schema.json");

    private static readonly Lazy<JsonSchema> s_schema = new(() => JsonSchema.FromText(File.ReadAllText(s_schemaPath)));

    /// <summary>A schema file or an example: what mappings.schema.json does not describe.</summary>
    public static bool IsSchemaOrExample(string relativePath)
        => relativePath is "mappings.schema.json" or "example.schema.json" || relativePath.Contains("/examples/", StringComparison.Ordinal);

    public static TheoryData<string> RealExamples()
        => new(RepositoryFiles.MappingPaths().Where(p => p.Contains("/examples/", StringComparison.Ordinal)));

    [Theory]
    [InlineData("clevertap/examples/identify-profile.json")]
    [InlineData("clevertap/examples/destination.json")]
    [InlineData("clevertap/examples/deeper/common.json")]
    [InlineData("example.schema.json")]
    public void Examples_and_the_example_schema_are_of_no_kind(string relativePath)
        => Assert.Equal(MappingFileKind.Other, MappingParser.Classify(relativePath).Kind);

    [Fact]
    public void Example_files_generate_nothing_and_report_nothing_even_when_they_look_like_mappings_or_are_not_json()
    {
        InMemoryAdditionalText[] mappingFiles = RepositoryFiles.MappingFiles().Where(f => !IsSchemaOrExample(Relative(f))).ToArray();
        InMemoryAdditionalText[] odd =
        [
            // A record mapping with an error, a destination with an error, and not JSON at all: as
            // mapping files each would fail the build.
            InMemoryAdditionalText.Mapping("clevertap/examples/identify.json", """{ "record": { "fields": [{ "key": "a", "paths": "@nope" }] } }"""),
            InMemoryAdditionalText.Mapping("clevertap/examples/destination.json", """{ "destination": { "name": 1 } }"""),
            InMemoryAdditionalText.Mapping("clevertap/examples/broken.json", "{ not json"),
        ];

        GeneratorRun without = GeneratorHarness.Run(mappingFiles);
        GeneratorRun with = GeneratorHarness.Run([.. mappingFiles, .. odd, .. RepositoryFiles.MappingFiles().Where(f => IsSchemaOrExample(Relative(f)))]);

        Assert.Empty(with.Diagnostics);
        Assert.Equal(
            without.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())),
            with.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
    }

    [Fact]
    public void The_example_schema_is_a_valid_draft_07_schema()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(s_schemaPath));
        EvaluationResults result = MetaSchemas.Draft7.Evaluate(schema.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid);
    }

    [Theory]
    [MemberData(nameof(RealExamples))]
    public void Every_real_example_satisfies_the_example_schema(string relativePath)
    {
        string text = RepositoryFiles.ReadMapping(relativePath);
        Assert.True(Evaluate(text).IsValid, $"mappings/{relativePath} does not satisfy example.schema.json");
        Assert.Contains("\"$schema\": \"../../example.schema.json\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "description": "d", "message": {}, "expected": { "records": [] } }""", true)]
    [InlineData("""{ "description": "d", "config": {}, "message": {}, "expected": { "error": { "status": 400, "message": "m", "statTags": {} } } }""", true)]
    [InlineData("""{ "description": "d", "message": {}, "expected": { "records": [], "error": { "status": 400, "message": "m" } } }""", false)]
    [InlineData("""{ "description": "d", "message": {}, "expected": { "error": { "status": 400 } } }""", false)]
    [InlineData("""{ "message": {}, "expected": { "records": [] } }""", false)]
    [InlineData("""{ "description": "d", "message": {}, "expected": { "records": [] }, "extra": 1 }""", false)]
    public void The_example_schema_accepts_examples_and_rejects_what_is_not_one(string text, bool valid)
        => Assert.Equal(valid, Evaluate(text).IsValid);

    private static EvaluationResults Evaluate(string text)
    {
        using JsonDocument document = JsonDocument.Parse(text);
        return s_schema.Value.Evaluate(document.RootElement.Clone(), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Relative(InMemoryAdditionalText file) => file.Path[GeneratorHarness.MappingsDirectory.Length..];
}
