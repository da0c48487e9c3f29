using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Tests;

/// <summary>
/// <c>$message.a.b</c>, direct property access to the message (JavaScript's <c>message.a?.b</c>,
/// spec §14.13.3): how it is parsed, what it compiles to, and what the compiled mapper reads —
/// next to message paths, which get-value looks up (a literal dotted key first).
/// </summary>
public sealed class DirectAccessTests
{
    internal const string Identify = """
        {
          "record": {
            "fields": [
              { "key": "direct", "path": "$message.traits.a", "emit": "defined" },
              { "key": "lookup", "path": "traits.a", "emit": "defined" },
              { "key": "firstValid", "paths": ["$message.traits.b", "traits.c", "$message.context.traits.b"], "emit": "defined" },
              { "key": "firstTruthy", "firstTruthy": ["$message.traits.b", "$message.context.traits.b"], "emit": "defined" },
              { "key": "when", "const": true, "when": { "truthy": "$message.context.traits.b" } },
              { "key": "length", "path": "$message.traits.s.length" },
              { "key": "email", "paths": "@email" }
            ],
            "assign": { "firstTruthy": ["$message.traits.o", "$message.context.traits.o"] }
          }
        }
        """;

    private static ValuePath Direct(string names) => new(PathRoot.DirectMessage, string.Empty, names);

    private static ValuePath Lookup(string path) => new(PathRoot.Message, string.Empty, path);

    [Fact]
    public void Direct_access_is_parsed_as_its_own_root_wherever_a_message_path_goes()
    {
        FileParseResult result = MappingParser.Parse("/repo/mappings/demo/identify.json", SourceText.From(Identify), CancellationToken.None);

        Assert.Empty(result.Diagnostics);
        ObjectSpec record = result.File.Mapping!.Record;
        ValueField[] fields = record.Fields.OfType<ValueField>().ToArray();
        Assert.Equal(new PathValue(Direct("traits.a")), fields[0].Value);
        Assert.Equal(new PathValue(Lookup("traits.a")), fields[1].Value);
        Assert.Equal(new FirstValidValue(EquatableArray.Create(Direct("traits.b"), Lookup("traits.c"), Direct("context.traits.b")), null), fields[2].Value);
        Assert.Equal(new TruthyCondition(new PathValue(Direct("context.traits.b")), Negated: false), fields[4].When);
        Assert.Equal(new FirstTruthyValue(EquatableArray.Create(Direct("traits.o"), Direct("context.traits.o"))), record.Assign);
        Assert.Equal("$message.traits.o", Direct("traits.o").Text);
        Assert.Equal("$message", Direct(string.Empty).Text);
    }

    [Fact]
    public void Direct_access_compiles_to_property_chains_and_message_paths_stay_lookups()
    {
        string code = DemoIdentifyCode(Identify);
        Assert.Contains("private static readonly JsPropertyChain MessageTraitsA = JsPropertyChain.Of(\"traits.a\");", code, StringComparison.Ordinal);
        Assert.Contains("int direct = Lookup.Properties(heap, message, MessageTraitsA);", code, StringComparison.Ordinal);
        Assert.Contains("heap.Get(message, TraitsAPath)", code, StringComparison.Ordinal);
        Assert.Contains("private static readonly JsPath TraitsAPath = JsPath.Of(\"traits.a\");", code, StringComparison.Ordinal);
        // A list holding direct access is read path after path; a list of message paths stays one call.
        Assert.Contains("int firstValid = Lookup.Properties(heap, message, MessageTraitsB);", code, StringComparison.Ordinal);
        Assert.Contains("if (!heap.IsVValid(firstValid)) firstValid = heap.Get(message, TraitsCPath);", code, StringComparison.Ordinal);
        Assert.Contains("if (!heap.IsVValid(firstValid)) firstValid = Lookup.Properties(heap, message, MessageContextTraitsB);", code, StringComparison.Ordinal);
        Assert.Contains("if (!heap.IsVValid(firstValid)) firstValid = JsHeap.Null;", code, StringComparison.Ordinal);
        Assert.Contains("Lookup.FirstValid(heap, message, EmailPaths)", code, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Events => new()
    {
        // Literal dotted keys (spec §14.13.3): get-value finds "traits.a"; direct access never does.
        {
            """{ "type": "identify", "traits.a": "literal", "traits.o": { "x": 1 }, "traits.b": 5, "context.traits": { "o": { "y": 1 }, "b": "dotted" } }""",
            """{"lookup":"literal","firstValid":null}"""
        },
        {
            """{ "type": "identify", "traits": { "a": null, "b": 0, "c": "", "s": "abc", "o": { "x": 1 } }, "context": { "traits": { "b": "ctx", "o": { "y": 2 } } } }""",
            """{"direct":null,"lookup":null,"firstValid":0,"firstTruthy":"ctx","when":true,"length":3,"x":1}"""
        },
        // traits.o is falsy: context.traits.o is assigned; "" is V-valid for neither list.
        {
            """{ "type": "identify", "traits": { "a": "t", "b": "", "o": null, "c": "c", "email": "e@x" }, "context": { "traits": { "o": { "y": 2 } } } }""",
            """{"direct":"t","lookup":"t","firstValid":"c","email":"e@x","y":2}"""
        },
        // Through a string and a number: no properties but their own (length) and inherited ones.
        {
            """{ "type": "identify", "traits": "abc", "context": 5 }""",
            """{"firstValid":null}"""
        },
        // A null on the way gives undefined (optional chaining), not an error.
        {
            """{ "type": "identify", "traits": null, "context": { "traits": null } }""",
            """{"firstValid":null}"""
        },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void The_compiled_mapper_reads_properties_directly(string message, string expected)
    {
        string item = """{ "message": """ + message + """, "destination": { "Config": {} }, "metadata": { "jobId": 1 } }""";

        Assert.Equal(expected, IntegratorTests.Transform(DemoFiles(Identify), item));
    }

    internal static InMemoryAdditionalText[] DemoFiles(string identify) =>
    [
        InMemoryAdditionalText.Mapping("common.json", DiagnosticTests.DemoCommon),
        InMemoryAdditionalText.Mapping("demo/destination.json", DiagnosticTests.DemoDestination),
        InMemoryAdditionalText.Mapping("demo/identify.json", identify),
    ];

    /// <summary>The identify mapping class generated for the demo destination (no diagnostic; the output compiles).</summary>
    internal static string DemoIdentifyCode(string identify)
    {
        GeneratorRun run = GeneratorHarness.RunWithRuntime(DemoFiles(identify)).AssertOutputCompiles();
        Assert.Empty(run.Diagnostics);
        return run.Text("Mappings.Generated.DemoIdentifyMapping.g.cs");
    }
}
