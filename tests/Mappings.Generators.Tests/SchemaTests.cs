using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using Mappings.Generators.Parsing;

namespace Mappings.Generators.Tests;

/// <summary>
/// <c>mappings/mappings.schema.json</c>, the JSON Schema editors use to validate and complete mapping
/// files: it is a valid draft-07 schema, every real mapping file satisfies it, it knows every property
/// the parser knows, and it agrees with the generator on small valid and invalid files.
/// </summary>
public sealed partial class SchemaTests
{
    private static readonly string s_schemaPath = Path.Combine(RepositoryFiles.MappingsDirectory, "mappings.schema.json");

    private static readonly Lazy<JsonSchema> s_schema = new(() => JsonSchema.FromText(File.ReadAllText(s_schemaPath)));

    /// <summary>Mapping files allow comments, as the generator's reader does (trailing commas are not allowed by either).</summary>
    private static readonly JsonDocumentOptions s_mappingFileOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    public static TheoryData<string> RealMappingFiles() => new(RepositoryFiles.MappingPaths().Where(p => !ExampleFileTests.IsSchemaOrExample(p)));

    [Fact]
    public void The_schema_is_a_valid_draft_07_schema()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(s_schemaPath));

        Assert.Equal("http://json-schema.org/draft-07/schema#", schema.RootElement.GetProperty("$schema").GetString());
        EvaluationResults result = MetaSchemas.Draft7.Evaluate(schema.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, Describe(result));
        Assert.NotNull(s_schema.Value);
    }

    [Theory]
    [MemberData(nameof(RealMappingFiles))]
    public void Every_real_mapping_file_satisfies_the_schema(string relativePath)
    {
        string text = RepositoryFiles.ReadMapping(relativePath);

        AssertValid(text, relativePath);
        Assert.Contains("\"$schema\": \"" + (relativePath.Contains('/') ? "../" : "./") + "mappings.schema.json\"", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every property name the parser reads (the names passed to <c>FileContext.Read</c> in
    /// <c>Parsing/*.cs</c>, and its lists of field, value source and condition names) is a property
    /// somewhere in the schema, so a new section cannot be added to the language without the schema.
    /// </summary>
    [Fact]
    public void The_schema_knows_every_property_the_parser_knows()
    {
        string[] known = ParserPropertyNames();
        HashSet<string> inSchema = SchemaPropertyNames();

        Assert.True(known.Length > 60, $"only {known.Length} property names found in the parser: has its shape changed?");
        string[] missing = known.Where(name => !inSchema.Contains(name)).ToArray();
        Assert.True(missing.Length == 0, "Properties the parser reads but the schema does not describe: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_schema_describes_no_property_the_parser_does_not_know()
    {
        string[] known = ParserPropertyNames();
        string[] extra = SchemaPropertyNames().Where(name => !known.Contains(name)).Order(StringComparer.Ordinal).ToArray();

        Assert.Empty(extra);
    }

    /// <summary>Small files and whether both the schema and the generator accept them.</summary>
    public static TheoryData<string, string, string, bool> Samples => new()
    {
        // name, file (relative to mappings/), content, valid
        { "minimal mapping", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "path": "b" }] } }""", true },
        { "mapping with comments", "demo/identify.json", "// c\n{ /* c */ \"record\": { \"fields\": [] } }", true },
        { "custom fields only", "demo/identify.json", """{ "record": { "customFields": { "from": ["traits"] } } }""", true },
        { "template with its options", "demo/identify.json", """{ "record": { "fields": [{ "key": "n", "template": "Hi {{v}}", "values": { "v": { "paths": ["name"] } }, "escape": "html", "trim": true, "require": "truthy", "otherwise": "Hi" }] } }""", true },
        { "cases with a field condition", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "const": 1 }, { "key": "b", "cases": [{ "when": { "equals": [{ "field": "a" }, 1] }, "const": "one" }, { "const": "other" }] }] } }""", true },
        { "extra record", "demo/identify.json", """{ "record": { "fields": [] }, "extraRecords": [{ "when": { "truthy": "$config.x" }, "record": { "fields": [], "removeNulls": "deep" } }] }""", true },
        { "unknown field property", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "path": "b", "requird": true }] } }""", false },
        { "two value sources", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "path": "b", "paths": ["c"] }] } }""", false },
        { "no value source", "demo/identify.json", """{ "record": { "fields": [{ "key": "a" }] } }""", false },
        { "template option without a template", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "path": "b", "trim": true }] } }""", false },
        { "invalid emit", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "path": "b", "emit": "always" }] } }""", false },
        { "invalid path", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "path": "traits..email" }] } }""", false },
        { "path list in 'path'", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "path": "@userId" }] } }""", false },
        { "convert on a nested field", "demo/identify.json", """{ "record": { "fields": [{ "key": "o", "object": { "fields": [{ "key": "t", "path": "ts", "convert": "unixSeconds" }] } }] } }""", true },
        { "unknown conversion", "demo/identify.json", """{ "record": { "fields": [{ "key": "t", "path": "ts", "convert": "unixMillis" }] } }""", false },
        { "condition with two tests", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "path": "b", "when": { "truthy": "x", "falsy": "y" } }] } }""", false },
        { "equals with an object constant", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "path": "b", "when": { "equals": ["x", {}] } }] } }""", false },
        { "object in a field's cases", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "cases": [{ "when": { "truthy": "b" }, "object": { "fields": [] } }, { "const": 1 }] }] } }""", true },
        { "object in a template value's cases", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "template": "{{v}}", "values": { "v": { "cases": [{ "object": { "fields": [] } }] } } }] } }""", false },
        { "object in assign's cases", "demo/identify.json", """{ "record": { "fields": [], "assign": { "cases": [{ "when": { "truthy": "b" }, "object": { "fields": [] } }, { "path": "c" }] } } }""", false },
        { "lower outside a named value", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "lower": "b" }] } }""", false },
        { "object without fields", "demo/identify.json", """{ "record": { "removeNulls": true } }""", false },
        { "removeNulls: invalid", "demo/identify.json", """{ "record": { "fields": [], "removeNulls": "yes" } }""", false },
        { "a mapping without a record", "demo/identify.json", """{ "extraRecords": [] }""", false },
        { "direct property access", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "path": "$message.traits.a" }, { "key": "b", "paths": ["traits.b", "$message.context.traits.b"], "when": { "truthy": "$message" } }], "customFields": { "from": ["$message.traits"] }, "assign": { "firstTruthy": ["$message.traits.o", "$message.context.traits.o"] } } }""", true },
        { "direct property access with an empty name", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "path": "$message.traits..a" }] } }""", false },
        { "direct property access ending with a dot", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "paths": ["$message."] }] } }""", false },
        { "direct property access with a backslash", "demo/identify.json", """{ "record": { "fields": [{ "key": "a", "firstTruthy": ["$message.a\\.b"] }] } }""", false },
        { "direct property access in a path list", "common.json", """{ "pathLists": { "email": ["$message.traits.email", "context.traits.email"] } }""", true },
        { "common.json", "common.json", """{ "$schema": "./mappings.schema.json", "pathLists": { "email": ["traits.email", "context.traits.email"] } }""", true },
        { "empty path list", "common.json", """{ "pathLists": { "email": [] } }""", false },
        { "path list name with a dash", "common.json", """{ "pathLists": { "e-mail": ["traits.email"] } }""", false },
        { "unknown section in common.json", "common.json", """{ "pathList": {} }""", false },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_schema_and_the_generator_agree(string name, string relativePath, string content, bool valid)
    {
        bool schemaAccepts = Evaluate(content).IsValid;
        GeneratorRun run = relativePath == "common.json"
            ? GeneratorHarness.Run(InMemoryAdditionalText.Mapping(relativePath, content))
            : GeneratorHarness.Run(
                InMemoryAdditionalText.Mapping("demo/destination.json", DestinationSample),
                InMemoryAdditionalText.Mapping(relativePath, content));

        Assert.True(schemaAccepts == valid, $"{name}: the schema {(schemaAccepts ? "accepts" : "rejects")} it:\n{Describe(Evaluate(content))}");
        Assert.True(run.Diagnostics.IsEmpty == valid, $"{name}: the generator reports:\n{Snapshot.FormatDiagnostics(run.Diagnostics)}");
    }

    private const string DestinationSample = """
        {
          "$schema": "../mappings.schema.json",
          "destination": { "name": "DEMO", "className": "Demo" },
          "request": {
            "method": "POST",
            "endpoint": { "cases": [{ "when": { "truthy": "$config.region" }, "template": "https://{{r}}.example.com", "values": { "r": { "path": "$config.region" } } }, { "const": "https://example.com" }] },
            "headers": [{ "key": "X-Key", "path": "$config.key", "emit": "defined" }],
            "recordsKey": "d",
            "maxRecordsPerBatch": 10
          },
          "lets": { "os": { "lower": "context.os.name" }, "user": { "firstTruthy": ["userId", "anonymousId"] } },
          "messageType": { "path": "type", "missingError": "no type", "unsupportedError": "unsupported type" },
          "preconditions": [{ "types": ["identify"], "fail": "no user", "when": { "falsy": "$user" } }],
          "eventRules": [{ "type": ["identify"], "event": "Signed Up", "mapping": "identify" }, { "type": "identify", "mapping": "identify" }],
          "fieldGroups": { "ids": [{ "key": "id", "path": "$user" }, { "fail": "no id", "when": { "in": ["$os", ["ios"]] } }] }
        }
        """;

    public static TheoryData<string, string, bool> DestinationSamples => new()
    {
        // name, content, valid
        { "the sample", DestinationSample, true },
        { "header with a condition", DestinationSample.Replace("\"emit\": \"defined\" }", "\"emit\": \"defined\", \"when\": { \"truthy\": \"$config.x\" } }"), false },
        { "message path in the endpoint", DestinationSample.Replace("{ \"const\": \"https://example.com\" }", "{ \"path\": \"context.url\" }"), false },
        { "named value in a header", DestinationSample.Replace("\"path\": \"$config.key\"", "\"path\": \"$user\""), false },
        { "upper-case type", DestinationSample.Replace("\"type\": \"identify\", \"mapping\"", "\"type\": \"Identify\", \"mapping\""), false },
        { "let named config", DestinationSample.Replace("\"os\": {", "\"config\": {").Replace("$os", "$config"), false },
        { "maxRecordsPerBatch 0", DestinationSample.Replace("\"maxRecordsPerBatch\": 10", "\"maxRecordsPerBatch\": 0"), false },
        { "no eventRules", DestinationSample.Replace("\"eventRules\"", "\"eventRulez\""), false },
        { "field group using a group", DestinationSample.Replace("[{ \"key\": \"id\", \"path\": \"$user\" },", "[{ \"use\": \"ids\" },"), false },
        { "object in a header", DestinationSample.Replace("\"path\": \"$config.key\", \"emit\": \"defined\"", "\"object\": { \"fields\": [] }"), false },
        { "object in the endpoint's cases", DestinationSample.Replace("{ \"const\": \"https://example.com\" }", "{ \"object\": { \"fields\": [] } }"), false },
        { "object in a named value's cases", DestinationSample.Replace("\"lower\": \"context.os.name\"", "\"cases\": [{ \"object\": { \"fields\": [] } }]"), false },
        { "lower in a condition of a named value's case", DestinationSample.Replace("\"lower\": \"context.os.name\"", "\"cases\": [{ \"when\": { \"truthy\": { \"lower\": \"context.os.name\" } }, \"const\": 1 }, { \"const\": 2 }]"), false },
        { "direct property access in a named value", DestinationSample.Replace("\"firstTruthy\": [\"userId\", \"anonymousId\"]", "\"firstTruthy\": [\"$message.userId\", \"anonymousId\"]"), true },
        { "direct property access in the endpoint", DestinationSample.Replace("{ \"const\": \"https://example.com\" }", "{ \"path\": \"$message.context.url\" }"), false },
        { "direct property access as the message type", DestinationSample.Replace("\"path\": \"type\"", "\"path\": \"$message.type\""), false },
        { "let named message", DestinationSample.Replace("\"os\": {", "\"message\": {").Replace("$os", "$message"), false },
        { "precondition with 'type'", DestinationSample.Replace("\"types\": [\"identify\"]", "\"type\": [\"identify\"]"), false },
    };

    [Theory]
    [MemberData(nameof(DestinationSamples))]
    public void The_schema_and_the_generator_agree_on_destination_json(string name, string content, bool valid)
    {
        bool schemaAccepts = Evaluate(content).IsValid;
        GeneratorRun run = GeneratorHarness.Run(
            InMemoryAdditionalText.Mapping("demo/destination.json", content),
            InMemoryAdditionalText.Mapping("demo/identify.json", """{ "record": { "fields": [{ "use": "ids" }] } }"""));

        Assert.True(schemaAccepts == valid, $"{name}: the schema {(schemaAccepts ? "accepts" : "rejects")} it:\n{Describe(Evaluate(content))}");
        Assert.True(run.Diagnostics.IsEmpty == valid, $"{name}: the generator reports:\n{Snapshot.FormatDiagnostics(run.Diagnostics)}");
    }

    // ------------------------------------------------------------------ helpers

    private static EvaluationResults Evaluate(string content)
    {
        using JsonDocument document = JsonDocument.Parse(content, s_mappingFileOptions);
        return s_schema.Value.Evaluate(document.RootElement.Clone(), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static void AssertValid(string content, string name)
    {
        EvaluationResults result = Evaluate(content);
        Assert.True(result.IsValid, $"{name} does not satisfy mappings.schema.json:\n{Describe(result)}");
    }

    private static string Describe(EvaluationResults result)
        => string.Join(
            "\n",
            (result.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"  {d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
                .Take(20));

    /// <summary>Every key of every "properties" object in the schema.</summary>
    private static HashSet<string> SchemaPropertyNames()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(s_schemaPath));
        var names = new HashSet<string>(StringComparer.Ordinal);
        Collect(schema.RootElement);
        return names;

        void Collect(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (property.Name == "properties" && property.Value.ValueKind == JsonValueKind.Object)
                    {
                        names.UnionWith(property.Value.EnumerateObject().Select(p => p.Name));
                    }

                    Collect(property.Value);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Collect(item);
                }
            }
        }
    }

    /// <summary>
    /// The property names the parser accepts: the string literals after the description in each
    /// <c>file.Read(node, "what", "name", …)</c> call of <c>generators/Mappings.Generators/Parsing/*.cs</c>,
    /// plus its static name lists (fields, value sources, conditions).
    /// </summary>
    private static string[] ParserPropertyNames()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        string parsing = Path.Combine(RepositoryFiles.Root, "generators", "Mappings.Generators", "Parsing");
        foreach (string file in Directory.EnumerateFiles(parsing, "MappingParser*.cs"))
        {
            foreach (Match call in ReadCall().Matches(File.ReadAllText(file)))
            {
                names.UnionWith(StringLiteral().Matches(call.Groups["names"].Value).Select(m => m.Groups[1].Value));
            }
        }

        foreach (string list in new[] { "FieldProperties", "SourceNames", "ConditionNames" })
        {
            FieldInfo field = typeof(MappingParser).GetField(list, BindingFlags.NonPublic | BindingFlags.Static)
                ?? throw new Xunit.Sdk.XunitException($"MappingParser.{list} is gone: update this test");
            names.UnionWith((string[])field.GetValue(null)!);
        }

        names.UnionWith(["values", "escape", "trim", "require", "otherwise", "when"]); // added to SourceNames where a value object is read
        names.Remove("$schema"); // described, but also checked here on its own
        return [.. names, "$schema"];
    }

    /// <summary><c>file.Read(node, what, "name", …)</c>: <c>what</c> says what the object is ("a field"), the rest are its property names.</summary>
    [GeneratedRegex("""file\.Read\(\s*\w+,\s*(?:"[^"]*"|\w+),?(?<names>(?:\s*"[^"]*",?)*)""")]
    private static partial Regex ReadCall();

    [GeneratedRegex(""""
        "([^"]*)"
        """")]
    private static partial Regex StringLiteral();
}
