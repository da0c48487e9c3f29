using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Tests;

/// <summary>
/// One test per diagnostic of the catalog (the test names start with the ID; <see cref="DiagnosticCatalogTests"/>
/// checks that every ID has one): a small mapping file with one mistake, or a real one with a deliberate
/// mistake, and the exact compiler output line it gives: <c>path(line,column): error MAPnnn: message</c>,
/// line and column 1-based as <c>dotnet build</c> prints them. Each test also checks which text the
/// diagnostic points at.
/// </summary>
public sealed class DiagnosticTests
{
    /// <summary>A small valid destination folder: <c>demo/destination.json</c>.</summary>
    internal const string DemoDestination = """
        {
          "destination": { "name": "DEMO", "className": "Demo" },
          "request": {
            "method": "POST",
            "endpoint": { "const": "https://example.com/upload" },
            "headers": [{ "key": "Content-Type", "const": "application/json" }],
            "recordsKey": "d",
            "maxRecordsPerBatch": 10
          },
          "lets": { "userId": { "paths": "@userId" } },
          "messageType": { "path": "type", "missingError": "no type", "unsupportedError": "unsupported type" },
          "eventRules": [
            { "type": "identify", "mapping": "identify" }
          ],
          "fieldGroups": { "identity": [{ "key": "identity", "path": "$userId" }] }
        }
        """;

    internal const string DemoCommon = """
        { "pathLists": { "userId": ["userId", "anonymousId"], "email": ["traits.email", "context.traits.email"] } }
        """;

    /// <summary>A valid <c>demo/identify.json</c>; the tests put one mistake into a copy.</summary>
    internal const string DemoIdentify = """
        {
          "record": {
            "fields": [
              { "key": "type", "const": "profile" },
              { "key": "Email", "paths": "@email" },
              { "use": "identity" }
            ]
          }
        }
        """;

    [Fact]
    public void The_demo_files_are_valid_and_compile()
    {
        GeneratorRun run = RunDemo().AssertOutputCompiles();

        Assert.Empty(run.Diagnostics);
        Assert.Contains("context.AddRecord(", run.Text("Mappings.Generated.DemoIdentifyMapping.g.cs"), StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ MAP001

    [Fact]
    public void MAP001_invalid_JSON_points_at_the_character_where_reading_stopped()
    {
        string identify = """
            {
              "record": {
                "fields": [
                  { "key": "type", "const": "profile" }
                  { "key": "Email", "paths": "@email" }
                ]
              }
            }
            """;

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,7): error MAP001: Mapping file 'demo/identify.json' is not valid JSON: "
            + "unexpected '{'; expected ',' or ']'. Correct the JSON at this position; comments are allowed, trailing commas are not.");
        Assert.Equal("{", SpanText(diagnostic, identify));
    }

    public static TheoryData<string, string, int, int, string> JsonErrorPositions => new()
    {
        // name, content, expected 1-based line and column (as an editor shows them), reason
        { "trailing comma: at the comma", "{\"a\": 1,}", 1, 8, "trailing comma before '}'" },
        { "CRLF line endings", "{\r\n  \"a\": 1\r\n  \"b\": 2\r\n}", 3, 3, "unexpected '\"'; expected ',' or '}'" },
        { "non-ASCII before the error (2 and 3 UTF-8 bytes)", "{\"é✓\": 1 \"b\": 2}", 1, 10, "unexpected '\"'; expected ',' or '}'" },
        { "surrogate pairs before the error (2 UTF-16 units each)", "{\"😀😀\": 1 \"b\": 2}", 1, 12, "unexpected '\"'; expected ',' or '}'" },
        { "comments before the error", "// c\n/* x\n */ { x }", 3, 7, "unexpected 'x'; expected a property name in double quotes" },
        { "a lone CR is a line break too", "{\r\"a\": 1 \"b\": 2}", 2, 8, "unexpected '\"'; expected ',' or '}'" },
        { "empty file", "", 1, 1, "the file is empty; a mapping file holds one JSON object" },
        { "unterminated object", "{\n  \"a\": 1\n", 3, 1, "the file ends inside an object; expected ',' or '}'" },
        { "single quotes", "{ 'a': 1 }", 1, 3, "unexpected '''; expected a property name in double quotes" },
        { "unterminated comment", "{ /* x", 1, 3, "unterminated /* comment" },
        { "line break in a string", "{ \"a\": \"x\ny\" }", 1, 10, "line break inside a string (write \\n)" },
        { "two values", "{} {}", 1, 4, "unexpected '{' after the end of the JSON value" },
    };

    [Theory]
    [MemberData(nameof(JsonErrorPositions))]
    public void MAP001_points_at_the_character_an_editor_shows(string name, string content, int line, int column, string reason)
    {
        GeneratorRun run = GeneratorHarness.Run(InMemoryAdditionalText.Mapping("demo/case.json", content));

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("MAP001", diagnostic.Id);
        LinePosition start = diagnostic.Location.GetLineSpan().StartLinePosition;
        Assert.True(
            (line, column) == (start.Line + 1, start.Character + 1),
            $"{name}: expected ({line},{column}), got ({start.Line + 1},{start.Character + 1}): {diagnostic.GetMessage(CultureInfo.InvariantCulture)}");
        Assert.Equal(
            $"Mapping file 'demo/case.json' is not valid JSON: {reason}. Correct the JSON at this position; comments are allowed, trailing commas are not.",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    // ------------------------------------------------------------------ MAP002

    [Fact]
    public void MAP002_unknown_property_names_the_known_ones()
    {
        string identify = DemoIdentify.Replace("""{ "key": "Email", "paths": "@email" }""", """{ "key": "Email", "paths": "@email", "requird": true }""");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,44): error MAP002: 'requird' is not a property of a field. Remove it or use one of: "
            + "key, when, valueMap, default, required, emit, convert, stringifyValues, path, paths, firstTruthy, const, template, "
            + "values, escape, trim, require, otherwise, object, cases, lower.");
        Assert.Equal("\"requird\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP002_unknown_section_of_destination_json()
    {
        string destination = DemoDestination.Replace("\"fieldGroups\"", "\"fieldGroup\"");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(15,3): error MAP002: 'fieldGroup' is not a property of destination.json. Remove it or use one of: "
            + "destination, request, lets, messageType, preconditions, eventRules, fieldGroups, userDeletion.");
        Assert.Equal("\"fieldGroup\"", SpanText(diagnostic, destination));
    }

    // ------------------------------------------------------------------ MAP003

    [Fact]
    public void MAP003_wrong_value_type()
    {
        string identify = DemoIdentify.Replace("\"paths\": \"@email\"", "\"path\": 5");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,33): error MAP003: 'path' must be a path string, not a number. Change the value.");
        Assert.Equal("5", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP003_wrong_value_type_in_the_real_identify_json()
    {
        string identify = RepositoryFiles.ReadMapping("clevertap/identify.json");
        string edited = Replace(identify, """{ "key": "Email", "paths": "@emailOnly" }""", """{ "key": "Email", "paths": 5 }""");
        (int line, int column) = Position(edited, """5 }""");

        Diagnostic diagnostic = AssertSingle(
            GeneratorHarness.Run(RepositoryFiles.MappingFilesWith("clevertap/identify.json", edited)),
            $"/repo/mappings/clevertap/identify.json({line},{column}): error MAP003: "
            + "'paths' must be an array of message paths or \"@listName\", not a number. Change the value.");
        Assert.Equal("5", SpanText(diagnostic, edited));
    }

    // ------------------------------------------------------------------ MAP004

    [Fact]
    public void MAP004_unknown_path_list()
    {
        string identify = DemoIdentify.Replace("@email", "@emails");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,34): error MAP004: Path list '@emails' is not defined. Define it or use one of: @userId, @email.");
        Assert.Equal("\"@emails\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP004_unknown_named_value()
    {
        string identify = DemoIdentify.Replace("\"paths\": \"@email\"", "\"path\": \"$userid\"");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,33): error MAP004: Named value '$userid' is not defined. Define it or use one of: $userId.");
        Assert.Equal("\"$userid\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP004_unknown_field_group()
    {
        string identify = DemoIdentify.Replace("{ \"use\": \"identity\" }", "{ \"use\": \"identities\" }");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(6,16): error MAP004: Field group 'identities' is not defined. Define it or use one of: identity.");
        Assert.Equal("\"identities\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP004_unknown_mapping_in_an_event_rule()
    {
        string destination = DemoDestination.Replace("\"mapping\": \"identify\"", "\"mapping\": \"profile\"");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(13,38): error MAP004: Mapping 'profile' is not defined. Define it or use one of: identify.");
        Assert.Equal("\"profile\"", SpanText(diagnostic, destination));
    }

    [Fact]
    public void MAP004_unknown_primitive()
    {
        string identify = DemoIdentify.Replace("""{ "key": "Email", "paths": "@email" }""", """{ "key": "ts", "path": "traits.ts", "convert": "unixMillis" }""");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,54): error MAP004: Primitive 'unixMillis' is not defined. Define it or use one of: unixSeconds.");
        Assert.Equal("\"unixMillis\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP004_a_path_list_no_file_defines()
    {
        // Without common.json no path list exists; the message says where they are defined.
        GeneratorRun run = GeneratorHarness.Run(
            InMemoryAdditionalText.Mapping("demo/destination.json", DemoDestination.Replace("{ \"paths\": \"@userId\" }", "{ \"path\": \"userId\" }")),
            InMemoryAdditionalText.Mapping("demo/identify.json", DemoIdentify));

        AssertSingle(
            run,
            "/repo/mappings/demo/identify.json(5,34): error MAP004: Path list '@email' is not defined. Define it or use one of: (none is defined in mappings/common.json).");
    }

    [Fact]
    public void MAP004_misspelt_path_list_in_the_real_identify_json()
    {
        // The example of docs/mapping-language.md ("Add a field").
        string edited = Replace(RepositoryFiles.ReadMapping("clevertap/identify.json"), "\"@emailOnly\"", "\"@emailOnyl\"");
        (int line, int column) = Position(edited, "\"@emailOnyl\"");

        AssertSingle(
            GeneratorHarness.Run(RepositoryFiles.MappingFilesWith("clevertap/identify.json", edited)),
            $"/repo/mappings/clevertap/identify.json({line},{column}): error MAP004: Path list '@emailOnyl' is not defined. "
            + "Define it or use one of: @userId, @userIdOnly, @emailOnly, @firstName, @lastName.");
        Assert.Equal((12, 40), (line, column));
    }

    // ------------------------------------------------------------------ MAP005

    [Fact]
    public void MAP005_duplicate_destination_key_names_the_first_line()
    {
        string identify = DemoIdentify.Replace(
            """{ "use": "identity" }""",
            """{ "use": "identity" },""" + "\n      " + """{ "key": "Email", "path": "traits.mail" }""");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(7,16): error MAP005: Key 'Email' is already written by an earlier field without a 'when' condition (line 5). "
            + "Remove one of them, or give them 'when' conditions.");
        Assert.Equal("\"Email\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP005_is_not_reported_when_a_later_field_has_a_condition()
    {
        string identify = DemoIdentify.Replace(
            """{ "use": "identity" }""",
            """{ "use": "identity" },""" + "\n      " + """{ "key": "Email", "path": "traits.mail", "when": { "falsy": { "field": "Email" } } }""");

        Assert.Empty(RunDemo(identify: identify).Diagnostics);
    }

    // ------------------------------------------------------------------ MAP006

    [Fact]
    public void MAP006_invalid_path_syntax()
    {
        string identify = DemoIdentify.Replace("\"paths\": \"@email\"", "\"path\": \"traits..email\"");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,33): error MAP006: 'traits..email' is not a valid path: it has an empty segment ('..'). "
            + "Write dot-separated names (traits.email), $config.name, $name or @list.");
        Assert.Equal("\"traits..email\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP006_a_path_list_where_one_path_is_expected()
    {
        string identify = DemoIdentify.Replace("\"paths\": \"@email\"", "\"path\": \"@email\"");

        AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,33): error MAP006: '@email' is not a valid path: a path list (@name) gives several paths; use it with \"paths\". "
            + "Write dot-separated names (traits.email), $config.name, $name or @list.");
    }

    // ------------------------------------------------------------------ MAP007

    [Fact]
    public void MAP007_template_with_an_unclosed_value()
    {
        string identify = DemoIdentify.Replace(
            """{ "key": "Email", "paths": "@email" }""",
            """{ "key": "Name", "template": "{{first}} {{last}", "values": { "first": { "path": "traits.firstName" }, "last": { "path": "traits.lastName" } } }""");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,36): error MAP007: Template \"{{first}} {{last}\" is invalid: '{{' at position 11 is never closed with '}}'");
        Assert.Equal("\"{{first}} {{last}\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP007_template_value_without_an_entry_in_values()
    {
        string identify = DemoIdentify.Replace(
            """{ "key": "Email", "paths": "@email" }""",
            """{ "key": "Name", "template": "{{first}} {{last}}", "values": { "first": { "path": "traits.firstName" } } }""");

        AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,36): error MAP007: Template \"{{first}} {{last}}\" is invalid: {{last}} has no entry in 'values'");
    }

    // ------------------------------------------------------------------ MAP008

    [Fact]
    public void MAP008_event_rule_after_a_catch_all_of_the_same_type()
    {
        string destination = DemoDestination.Replace(
            """{ "type": "identify", "mapping": "identify" }""",
            """{ "type": "identify", "mapping": "identify" },""" + "\n    " + """{ "type": "identify", "event": "Signed Up", "mapping": "identify" }""");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(14,5): error MAP008: This event rule never applies: the rule at line 13 already takes every 'identify' event. "
            + "Move this rule above it or remove it.");
        Assert.Equal("{", SpanText(diagnostic, destination));
    }

    [Fact]
    public void MAP008_event_rule_after_one_with_the_same_type_and_event()
    {
        // Event names match case-insensitively, so "order completed" is taken by "Order Completed".
        string destination = DemoDestination.Replace(
            """{ "type": "identify", "mapping": "identify" }""",
            """{ "type": ["identify", "track"], "event": "Order Completed", "mapping": "identify" },""" + "\n    "
            + """{ "type": "track", "event": "order completed", "mapping": "identify" },""" + "\n    "
            + """{ "type": "identify", "mapping": "identify" }""");

        AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(14,5): error MAP008: This event rule never applies: the rule at line 13 already takes every 'track' event named \"Order Completed\". "
            + "Move this rule above it or remove it.");
    }

    [Fact]
    public void MAP008_is_not_reported_for_a_catch_all_after_a_named_event()
    {
        string destination = Replace(
            RepositoryFiles.ReadMapping("clevertap/destination.json"),
            """{ "type": "track", "mapping": "track" },""",
            """{ "type": "track", "mapping": "track" },""" + "\n    " + """{ "type": "track", "event": "Product Viewed", "mapping": "track" },""");

        AssertSingle(
            GeneratorHarness.Run(RepositoryFiles.MappingFilesWith("clevertap/destination.json", destination)),
            $"/repo/mappings/clevertap/destination.json({Position(destination, "{ \"type\": \"track\", \"event\": \"Product Viewed\"").Line},5): error MAP008: "
            + "This event rule never applies: the rule at line " + Position(destination, "{ \"type\": \"track\", \"mapping\": \"track\" }").Line
            + " already takes every 'track' event. Move this rule above it or remove it.");
    }

    // ------------------------------------------------------------------ MAP009

    [Fact]
    public void MAP009_mapping_file_without_a_record()
    {
        string identify = """
            {
              "extraRecords": []
            }
            """;

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(1,1): error MAP009: A mapping file needs 'record': Describe the record this mapping builds: \"record\": {\"fields\": [...]}.");
        Assert.Equal("{", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP009_destination_json_without_event_rules()
    {
        string destination = DemoDestination.Replace(
            "  \"eventRules\": [\n    { \"type\": \"identify\", \"mapping\": \"identify\" }\n  ],\n",
            string.Empty);
        Assert.NotEqual(DemoDestination, destination);

        AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(1,1): error MAP009: Destination.json needs 'eventRules': "
            + "List which mapping handles which message type: [{\"type\": \"track\", \"mapping\": \"track\"}].");
    }

    [Fact]
    public void MAP009_condition_without_a_test()
    {
        string identify = DemoIdentify.Replace("""{ "key": "Email", "paths": "@email" }""", """{ "key": "Email", "paths": "@email", "when": {} }""");

        AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,52): error MAP009: A condition needs 'exactly one of truthy, falsy, equals, in, all, any, not': It has none.");
    }

    // ------------------------------------------------------------------ MAP010

    [Fact]
    public void MAP010_invalid_value_lists_the_allowed_ones()
    {
        string identify = DemoIdentify.Replace("""{ "key": "Email", "paths": "@email" }""", """{ "key": "Email", "paths": "@email", "emit": "always" }""");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,52): error MAP010: \"always\" is not a valid value of 'emit'. Use one of: \"valid\", \"defined\", \"present\".");
        Assert.Equal("\"always\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP010_upper_case_message_type()
    {
        string destination = DemoDestination.Replace("{ \"type\": \"identify\", \"mapping\"", "{ \"type\": \"Identify\", \"mapping\"");

        AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(13,15): error MAP010: 'Identify' is not a valid value of 'type'. "
            + "Use one of: a lower-case ASCII type name (types are compared after lower-casing).");
    }

    // ------------------------------------------------------------------ MAP011

    [Fact]
    public void MAP011_field_with_two_value_sources()
    {
        string identify = DemoIdentify.Replace("""{ "key": "Email", "paths": "@email" }""", """{ "key": "Email", "paths": "@email", "path": "traits.email" }""");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,7): error MAP011: This field has 2 value sources (path, paths). "
            + "Give it exactly one of: path, paths, firstTruthy, const, template, object, cases.");
        Assert.Equal("{", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP011_field_without_a_value_source()
    {
        string identify = DemoIdentify.Replace("""{ "key": "Email", "paths": "@email" }""", """{ "key": "Email" }""");

        AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,7): error MAP011: This field has no value source. "
            + "Give it exactly one of: path, paths, firstTruthy, const, template, object, cases.");
    }

    // ------------------------------------------------------------------ MAP012

    [Fact]
    public void MAP012_repeated_property_points_at_the_second_one()
    {
        string identify = DemoIdentify.Replace("""{ "key": "Email", "paths": "@email" }""", """{ "key": "Email", "paths": "@email", "paths": ["traits.mail"] }""");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,44): error MAP012: 'paths' appears more than once in this object. Keep one.");
        Assert.Equal("\"paths\"", SpanText(diagnostic, identify));
    }

    // ------------------------------------------------------------------ MAP013

    [Fact]
    public void MAP013_message_path_in_the_request_settings()
    {
        string destination = DemoDestination.Replace("{ \"const\": \"https://example.com/upload\" }", "{ \"path\": \"context.endpoint\" }");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(5,27): error MAP013: The message path 'context.endpoint' cannot be used in request settings: they are computed from the destination's config alone. Use $config.name or a constant.");
        Assert.Equal("\"context.endpoint\"", SpanText(diagnostic, destination));
    }

    [Fact]
    public void MAP013_named_value_in_the_request_settings()
    {
        string destination = DemoDestination.Replace("{ \"const\": \"https://example.com/upload\" }", "{ \"path\": \"$userId\" }");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(5,27): error MAP013: The named value '$userId' cannot be used in request settings: they are computed from the destination's config alone. Use $config.name or a constant.");
        Assert.Equal("\"$userId\"", SpanText(diagnostic, destination));
    }

    [Fact]
    public void MAP013_fallback_list_in_the_request_settings()
    {
        string destination = DemoDestination.Replace("{ \"const\": \"https://example.com/upload\" }", "{ \"paths\": [\"context.endpoint\"] }");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(5,28): error MAP013: 'paths' cannot be used in request settings: they are computed from the destination's config alone. Use $config.name or a constant.");
        Assert.Equal("[\"context.endpoint\"]", SpanText(diagnostic, destination));
    }

    [Fact]
    public void MAP013_object_in_the_request_settings()
    {
        // Request settings are single values: an object (whose fields could fail the event) cannot be built there.
        string destination = DemoDestination.Replace(
            "{ \"const\": \"https://example.com/upload\" }",
            "{ \"cases\": [{ \"object\": { \"fields\": [{ \"fail\": \"no\" }] } }] }");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(5,31): error MAP013: An object cannot be used in request settings: they are computed from the destination's config alone. Use $config.name or a constant.");
        Assert.Equal("\"object\"", SpanText(diagnostic, destination));
    }

    // ------------------------------------------------------------------ MAP015

    [Fact]
    public void MAP015_condition_on_a_header()
    {
        // The request head writes a header from its key, value source and 'emit': a condition would be ignored.
        string destination = DemoDestination.Replace(
            """{ "key": "Content-Type", "const": "application/json" }""",
            """{ "key": "Content-Type", "const": "application/json", "when": { "truthy": "$config.json" } }""");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(6,71): error MAP015: 'when' is not applied to headers: a header has a 'key', one value source and optionally 'emit'. Remove it; compute a conditional value with 'cases'.");
        Assert.Equal("\"when\"", SpanText(diagnostic, destination));
    }

    [Fact]
    public void MAP015_conversion_of_a_header()
    {
        string destination = DemoDestination.Replace(
            """{ "key": "Content-Type", "const": "application/json" }""",
            """{ "key": "Content-Type", "const": "application/json", "convert": "unixSeconds" }""");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(6,71): error MAP015: 'convert' is not applied to headers: a header has a 'key', one value source and optionally 'emit'. Remove it; compute a conditional value with 'cases'.");
        Assert.Equal("\"convert\"", SpanText(diagnostic, destination));
    }

    [Fact]
    public void MAP015_field_group_in_the_user_deletion_headers()
    {
        string real = RepositoryFiles.ReadMapping("clevertap/destination.json");
        const string header = """{ "key": "Content-Type", "const": "application/json" }""";
        int deletion = real.IndexOf("\"userDeletion\"", StringComparison.Ordinal);
        int at = real.IndexOf(header, deletion, StringComparison.Ordinal);
        Assert.True(deletion >= 0 && at >= 0, "destination.json has no userDeletion Content-Type header any more: update this test");
        string destination = real[..at] + """{ "use": "eventIdentity" }""" + real[(at + header.Length)..];
        (int line, int column) = Position(destination, "\"use\": \"eventIdentity\" }\n    ]");

        AssertSingle(
            GeneratorHarness.Run(RepositoryFiles.MappingFilesWith("clevertap/destination.json", destination)),
            $"/repo/mappings/clevertap/destination.json({line},{column}): error MAP015: A 'use' entry is not applied to headers: a header has a 'key', one value source and optionally 'emit'. Remove it; compute a conditional value with 'cases'.");
    }

    // ------------------------------------------------------------------ MAP016

    [Fact]
    public void MAP016_template_property_without_a_template()
    {
        string identify = DemoIdentify.Replace(
            """{ "key": "Email", "paths": "@email" }""",
            """{ "key": "Email", "paths": "@email", "trim": true }""");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,44): error MAP016: 'trim' belongs to a template, and this value has no 'template'. Remove it, or make the value a template.");
        Assert.Equal("\"trim\"", SpanText(diagnostic, identify));
    }

    // ------------------------------------------------------------------ MAP017

    [Fact]
    public void MAP017_lower_outside_a_named_value()
    {
        string identify = DemoIdentify.Replace(
            """{ "key": "Email", "paths": "@email" }""",
            """{ "key": "os", "lower": "context.os.name" }""");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,22): error MAP017: 'lower' can only define a named value (lets). Define one in destination.json and compare it with 'equals' or 'in'.");
        Assert.Equal("\"lower\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP017_lower_in_a_condition_of_a_named_value()
    {
        string destination = DemoDestination.Replace(
            """{ "userId": { "paths": "@userId" } },""",
            """{ "userId": { "paths": "@userId" }, "v": { "cases": [{ "when": { "truthy": { "lower": "traits.a" } }, "const": 1 }, { "const": 2 }] } },""");

        Diagnostic diagnostic = Assert.Single(RunDemo(destination: destination).Diagnostics, d => d.Id == "MAP017");
        Assert.Equal("\"lower\"", SpanText(diagnostic, destination));
    }

    [Fact]
    public void Convert_applies_to_nested_objects_and_final_fields_too()
    {
        string identify = DemoIdentify.Replace(
            """{ "key": "Email", "paths": "@email" }""",
            """{ "key": "data", "object": { "fields": [{ "key": "ts", "path": "traits.ts", "convert": "unixSeconds" }] } }""");

        GeneratorRun run = RunDemo(identify: identify).AssertOutputCompiles();

        Assert.Empty(run.Diagnostics);
        Assert.Contains("JsTimestamp.ToUnixSeconds", run.Text("Mappings.Generated.DemoIdentifyMapping.g.cs"), StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ MAP018

    [Fact]
    public void MAP018_object_as_assign()
    {
        string identify = Replace(
            DemoIdentify,
            "      { \"use\": \"identity\" }\n    ]",
            "      { \"use\": \"identity\" }\n    ],\n    \"assign\": { \"object\": { \"fields\": [{ \"key\": \"a\", \"const\": 1 }] } }");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(8,17): error MAP018: An object cannot be built as 'assign': objects are the values of fields and of their cases. Build it in a field, or give a single value here.");
        Assert.Equal("\"object\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP018_object_as_a_condition_operand()
    {
        string identify = DemoIdentify.Replace(
            """{ "key": "Email", "paths": "@email" }""",
            """{ "key": "Email", "paths": "@email", "when": { "truthy": { "object": { "fields": [] } } } }""");

        Diagnostic diagnostic = Assert.Single(RunDemo(identify: identify).Diagnostics, d => d.Id == "MAP018");
        Assert.Equal("An object cannot be built as a condition operand: objects are the values of fields and of their cases. Build it in a field, or give a single value here.", diagnostic.GetMessage());
    }

    [Fact]
    public void MAP018_object_in_a_case_of_a_named_value()
    {
        // A named value is computed on first use, wherever that is: an object built there could
        // copy custom fields into the message's own objects at any point of the mapping.
        string destination = DemoDestination.Replace(
            """{ "userId": { "paths": "@userId" } },""",
            """{ "userId": { "paths": "@userId" }, "copy": { "cases": [{ "when": { "truthy": "traits.a" }, "const": 1 }, { "object": { "customFields": { "from": ["traits"] } } }] } },""");

        Diagnostic diagnostic = Assert.Single(RunDemo(destination: destination).Diagnostics, d => d.Id == "MAP018");
        Assert.Equal("An object cannot be built as a named value, even in one of its cases: objects are the values of fields and of their cases. Build it in a field, or give a single value here.", diagnostic.GetMessage());
        Assert.Equal("\"object\"", SpanText(diagnostic, destination));
    }

    [Fact]
    public void MAP018_an_object_in_a_case_of_a_field_is_allowed()
    {
        string identify = DemoIdentify.Replace(
            """{ "key": "Email", "paths": "@email" }""",
            """{ "key": "Email", "cases": [{ "when": { "truthy": "traits.a" }, "object": { "fields": [{ "key": "a", "const": 1 }] } }, { "const": "none" }] }""");

        Assert.DoesNotContain(RunDemo(identify: identify).Diagnostics, d => d.Id == "MAP018");
    }

    // ------------------------------------------------------------------ MAP019

    [Fact]
    public void MAP019_case_without_when_before_the_last()
    {
        string identify = DemoIdentify.Replace(
            """{ "key": "Email", "paths": "@email" }""",
            """{ "key": "Email", "cases": [{ "const": "a" }, { "when": { "truthy": "traits.b" }, "const": "b" }] }""");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,35): error MAP019: Only the last case may have no 'when': the cases after this one would never be used. Give this case a 'when', or move it last.");
        Assert.Equal("{", SpanText(diagnostic, identify));
    }

    // ------------------------------------------------------------------ MAP020

    [Fact]
    public void MAP020_field_reference_outside_an_object()
    {
        // An extra record's condition is tested before its object exists.
        string identify = Replace(
            DemoIdentify,
            "    ]\n  }\n}",
            "    ]\n  },\n  \"extraRecords\": [{ \"when\": { \"truthy\": { \"field\": \"type\" } }, \"record\": { \"fields\": [{ \"key\": \"type\", \"const\": \"extra\" }] } }]\n}");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(9,44): error MAP020: {\"field\": \"type\"} refers to a key of the object being built, and there is none here. Use it in the fields of a record or an object.");
        Assert.Equal("\"field\"", SpanText(diagnostic, identify));
    }

    // ------------------------------------------------------------------ MAP021

    [Fact]
    public void MAP021_field_group_using_a_field_group()
    {
        string destination = DemoDestination.Replace(
            "\"fieldGroups\": {",
            "\"fieldGroups\": { \"both\": [{ \"use\": \"identity\" }],");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(15,31): error MAP021: A field group cannot use another field group ('identity'). List its fields here, or use both groups in the mapping.");
        Assert.Equal("\"use\"", SpanText(diagnostic, destination));
    }

    // ------------------------------------------------------------------ MAP022

    [Fact]
    public void MAP022_named_values_that_depend_on_each_other()
    {
        string destination = DemoDestination.Replace("\"lets\": {", "\"lets\": { \"a\": { \"path\": \"$b\" }, \"b\": { \"path\": \"$a\" },");

        string[] lines = RunDemo(destination: destination).DiagnosticLines();

        Assert.Equal(
            [
                "/repo/mappings/demo/destination.json(10,13): error MAP022: The named value '$a' depends on itself ($a → $b → $a) and could never be computed. Break the cycle.",
                "/repo/mappings/demo/destination.json(10,36): error MAP022: The named value '$b' depends on itself ($b → $a → $b) and could never be computed. Break the cycle.",
            ],
            lines);
    }

    [Fact]
    public void MAP009_a_mapping_file_without_destination_json()
    {
        GeneratorRun run = GeneratorHarness.Run(
            InMemoryAdditionalText.Mapping("common.json", DemoCommon),
            InMemoryAdditionalText.Mapping("demo/identify.json", DemoIdentify));

        Assert.Contains(run.DiagnosticLines(), line => line.StartsWith("/repo/mappings/demo/identify.json(1,1): error MAP009: The folder mappings/demo needs 'destination.json'", StringComparison.Ordinal));
    }

    // ------------------------------------------------------------------ MAP014

    [Fact]
    public void MAP014_direct_access_with_an_empty_property_name()
    {
        string identify = DemoIdentify.Replace("\"paths\": \"@email\"", "\"path\": \"$message.traits..email\"");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,33): error MAP014: '$message.traits..email' cannot be read by direct property access: "
            + "it has an empty property name ('..'). Write $message followed by dot-separated property names, e.g. $message.traits.overrideFields.");
        Assert.Equal("\"$message.traits..email\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP014_direct_access_ending_with_a_dot()
    {
        string identify = DemoIdentify.Replace("\"paths\": \"@email\"", "\"firstTruthy\": [\"traits.email\", \"$message.\"]");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,57): error MAP014: '$message.' cannot be read by direct property access: "
            + "it ends with '.'. Write $message followed by dot-separated property names, e.g. $message.traits.overrideFields.");
        Assert.Equal("\"$message.\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP014_a_backslash_escapes_nothing_in_direct_access()
    {
        string identify = DemoIdentify.Replace("\"paths\": \"@email\"", "\"paths\": [\"$message.traits.a\\\\.b\"]");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(identify: identify),
            "/repo/mappings/demo/identify.json(5,35): error MAP014: '$message.traits.a\\.b' cannot be read by direct property access: "
            + "a backslash does not escape '.' here: every '.' separates two property names. "
            + "To read a key that holds a dot, use a message path, which get-value reads as one key (traits.a\\.b).");
        Assert.Equal("\"$message.traits.a\\\\.b\"", SpanText(diagnostic, identify));
    }

    [Fact]
    public void MAP014_direct_access_in_the_request_settings()
    {
        string destination = DemoDestination.Replace("{ \"const\": \"https://example.com/upload\" }", "{ \"path\": \"$message.context.url\" }");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(5,27): error MAP014: '$message.context.url' cannot be read by direct property access: "
            + "there is no message here. Request settings are computed from the destination's config only: use $config.name or constants.");
        Assert.Equal("\"$message.context.url\"", SpanText(diagnostic, destination));
    }

    [Fact]
    public void MAP014_direct_access_as_the_message_type_path()
    {
        string destination = DemoDestination.Replace("\"messageType\": { \"path\": \"type\"", "\"messageType\": { \"path\": \"$message.type\"");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(11,28): error MAP014: '$message.type' cannot be read by direct property access: "
            + "the dispatcher looks the message type up with a message path. Write it without $message (\"type\"): for a single name both read the same property.");
        Assert.Equal("\"$message.type\"", SpanText(diagnostic, destination));
    }

    [Fact]
    public void MAP010_a_named_value_called_message()
    {
        // $message is direct access to the message: a named value cannot take the name.
        string destination = DemoDestination.Replace("\"lets\": {", "\"lets\": { \"message\": { \"path\": \"context\" },");

        Diagnostic diagnostic = AssertSingle(
            RunDemo(destination: destination),
            "/repo/mappings/demo/destination.json(10,13): error MAP010: 'message' is not a valid value of 'let name'. Use one of: a name of letters, digits and '_' other than 'config' and 'message'.");
        Assert.Equal("\"message\"", SpanText(diagnostic, destination));
    }

    // ------------------------------------------------------------------ never wrong code

    [Fact]
    public void A_mapping_file_with_an_error_generates_only_a_stub_and_the_rest_still_compiles()
    {
        string identify = Replace(RepositoryFiles.ReadMapping("clevertap/identify.json"), "\"removeNulls\": true", "\"removeNulls\": \"yes\"");

        GeneratorRun run = GeneratorHarness.RunWithRuntime(RepositoryFiles.MappingFilesWith("clevertap/identify.json", identify));

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("MAP010", diagnostic.Id);
        string stub = run.Text("Mappings.Generated.CleverTapIdentifyMapping.g.cs");
        Assert.Contains("mappings/clevertap/identify.json has errors; fix them and rebuild.", stub, StringComparison.Ordinal);
        Assert.DoesNotContain("AddRecord", stub, StringComparison.Ordinal);
        Assert.DoesNotContain("profileData", stub, StringComparison.Ordinal);
        // The other files are generated as before, and the stub keeps the destination compiling:
        // the MAP diagnostic is the only error of the build.
        // (A stub has no traced part: its MapTraced is in the stub too.)
        Assert.Equal(
            GoldenTests.ExpectedHintNames.Where(h => h != "Mappings.Generated.CleverTapIdentifyMapping.Traced.g.cs"),
            run.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        Assert.Contains("MapTraced", stub, StringComparison.Ordinal);
        Assert.Contains("AddRecord", run.Text("Mappings.Generated.CleverTapTrackMapping.g.cs"), StringComparison.Ordinal);
        run.AssertOutputCompiles();
    }

    [Fact]
    public void A_destination_json_with_an_error_generates_no_destination_and_no_mapper()
    {
        string destination = Replace(RepositoryFiles.ReadMapping("clevertap/destination.json"), "\"maxRecordsPerBatch\": 1000", "\"maxRecordsPerBatch\": 0");

        GeneratorRun run = GeneratorHarness.Run(RepositoryFiles.MappingFilesWith("clevertap/destination.json", destination));

        Assert.Equal("MAP010", Assert.Single(run.Diagnostics).Id);
        Assert.DoesNotContain("Mappings.Generated.CleverTapMapper.g.cs", run.GeneratedSources.Select(s => s.HintName));
        // Without the destination's named values and field groups no mapping can be resolved: every one is a stub.
        Assert.All(run.GeneratedSources, source => Assert.Contains("has errors; fix them and rebuild.", source.SourceText.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void A_broken_path_list_file_turns_the_mappers_that_use_it_into_stubs()
    {
        string common = Replace(RepositoryFiles.ReadMapping("common.json"), "\"emailOnly\": [", "\"emailOnly\": [5, ");

        GeneratorRun run = GeneratorHarness.Run(RepositoryFiles.MappingFilesWith("common.json", common));

        // common.json's own error, then every use of a path list that is now missing.
        Assert.Equal("MAP003", run.Diagnostics.OrderBy(d => d.Location.SourceSpan.Start).First(d => d.Location.GetLineSpan().Path.EndsWith("common.json", StringComparison.Ordinal)).Id);
        Assert.All(run.Diagnostics.Where(d => !d.Location.GetLineSpan().Path.EndsWith("common.json", StringComparison.Ordinal)), d => Assert.Equal("MAP004", d.Id));
        Assert.Contains("has errors", run.Text("Mappings.Generated.CleverTapIdentifyMapping.g.cs"), StringComparison.Ordinal);
        // alias.json uses no path list: still generated for real.
        Assert.Contains("AddRecord", run.Text("Mappings.Generated.CleverTapAliasMapping.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnostics_carry_their_help_link_and_are_errors()
    {
        string identify = DemoIdentify.Replace("@email", "@emails");

        Diagnostic diagnostic = Assert.Single(RunDemo(identify: identify).Diagnostics);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("repo:docs/diagnostics/MAP004.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("Mappings", diagnostic.Descriptor.Category);
    }

    // ------------------------------------------------------------------ helpers

    private static GeneratorRun RunDemo(string? destination = null, string? identify = null)
        => GeneratorHarness.RunWithRuntime(
        [
            InMemoryAdditionalText.Mapping("common.json", DemoCommon),
            InMemoryAdditionalText.Mapping("demo/destination.json", destination ?? DemoDestination),
            InMemoryAdditionalText.Mapping("demo/identify.json", identify ?? DemoIdentify),
        ]);

    /// <summary>Asserts that the run reported exactly one diagnostic, printed as <paramref name="expected"/>; returns it.</summary>
    private static Diagnostic AssertSingle(GeneratorRun run, string expected)
    {
        string[] lines = run.DiagnosticLines();
        Assert.True(lines.Length == 1, $"Expected one diagnostic, got {lines.Length}:\n{string.Join("\n", lines)}");
        Assert.Equal(expected, lines[0]);
        return run.Diagnostics.Single();
    }

    /// <summary>The text the diagnostic points at.</summary>
    private static string SpanText(Diagnostic diagnostic, string content)
    {
        TextSpan span = diagnostic.Location.SourceSpan;
        return content.Substring(span.Start, span.Length);
    }

    /// <summary>The 1-based line and column of the first occurrence of <paramref name="text"/> in <paramref name="content"/>.</summary>
    private static (int Line, int Column) Position(string content, string text)
    {
        int index = content.IndexOf(text, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{text}' is not in the file");
        LinePosition position = SourceText.From(content).Lines.GetLinePosition(index);
        return (position.Line + 1, position.Character + 1);
    }

    private static string Replace(string text, string oldValue, string newValue)
    {
        Assert.True(text.Contains(oldValue, StringComparison.Ordinal), $"'{oldValue}' is not in the mapping file any more: update this test");
        return text.Replace(oldValue, newValue, StringComparison.Ordinal);
    }
}
