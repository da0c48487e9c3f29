using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;

namespace Mappings.Generators.Tests;

/// <summary>
/// Compiled lookups: a mapping that reads many names from one object reads it once, in one pass
/// (<c>heap.Bind</c>), and gives exactly what one get-value lookup per path gives. The same fields
/// are generated twice — read before any custom fields stage (bound) and after one (looked up one
/// by one) — and every event must give both the same record.
/// </summary>
public sealed class CompiledLookupTests
{
    private const string Destination = """
        {
          "destination": { "name": "DEMO", "className": "Demo" },
          "request": { "method": "POST", "endpoint": { "const": "https://example.com/upload" }, "recordsKey": "d", "maxRecordsPerBatch": 10 },
          "messageType": { "path": "type", "missingError": "no type", "unsupportedError": "unsupported type" },
          "eventRules": [{ "type": "identify", "mapping": "bound" }, { "type": "alias", "mapping": "unbound" }]
        }
        """;

    private const string Fields = """
        { "key": "email", "paths": ["traits.email", "context.traits.email", "properties.email"], "emit": "defined" },
        { "key": "name", "paths": ["traits.name", "context.traits.name"], "emit": "defined" },
        { "key": "first", "firstTruthy": ["traits.first", "context.traits.first"], "emit": "defined" },
        { "key": "zero", "path": "traits.0", "emit": "defined" },
        { "key": "length", "path": "traits.length", "emit": "defined" },
        { "key": "fn", "paths": ["traits.toString", "context.traits.toString"], "emit": "defined" },
        { "key": "ctor", "path": "context.traits.constructor.name", "emit": "defined" },
        { "key": "ab", "path": "traits.a.b", "emit": "defined" },
        { "key": "when", "const": true, "when": { "truthy": "context.traits.email" } }
        """;

    /// <summary>The fields read first: every name of traits and context.traits is bound.</summary>
    private const string Bound = """{ "record": { "fields": [""" + Fields + "] } }";

    /// <summary>The same fields after a custom fields stage: each value looked up on its own.</summary>
    private const string Unbound = """{ "record": { "fields": [{ "key": "z", "object": { "customFields": { "from": ["nothing"] } } },""" + Fields + "] } }";

    /// <summary>Messages made to tell one pass from a lookup per path.</summary>
    public static readonly string[] Messages =
    [
        """{ "traits": { "email": "e", "name": "n", "first": 0, "0": "zero", "toString": "own", "a": { "b": 1 } }, "context": { "traits": { "email": "c", "first": "f" } } }""",
        // Whole paths as keys of the message: get-value reads them first.
        """{ "traits.email": "literal", "traits": { "email": "e" }, "context.traits": { "name": "literal-ctx" }, "context": { "traits": { "name": "n" } } }""",
        // A missing segment retried joined with the next (a dotted key below the message).
        """{ "context": { "traits.email": "joined", "traits.first": "jf" }, "traits": { "name": "" } }""",
        """{ "context": { "os": {}, "traits": { "email": "deep" } }, "traits": { "a.b": "dotted", "a": { "b": "nested" } } }""",
        // Not objects: arrays, strings, numbers, null.
        """{ "traits": ["x", "y"], "context": { "traits": "str" } }""",
        """{ "traits": "abc", "context": 5 }""",
        """{ "traits": null, "context": { "traits": null } }""",
        """{ "traits": { "length": 3, "0": [], "constructor": { "name": "C" } }, "context": { "traits": { "constructor": { "name": "own" } } } }""",
        // Repeated keys (the last value at the first place), escaped keys, an unrelated dotted key.
        """{ "traits": { "email": "a", "email": "b", "n\u0061me": "escaped" }, "x.y": 1 }""",
        """{ "properties": { "email": "p" }, "traits": {}, "context": {} }""",
        """{}""",
    ];

    [Fact]
    public void Bound_reads_give_the_records_of_one_lookup_per_path()
    {
        GeneratorRun run = GeneratorHarness.RunWithRuntime(DemoFiles());
        Assert.True(run.Diagnostics.IsEmpty, Snapshot.FormatDiagnostics(run.Diagnostics));
        run.AssertOutputCompiles();
        string bound = run.Text("Mappings.Generated.DemoBoundMapping.g.cs");
        Assert.Contains("heap.Bind(message, TraitsNames, out TraitsValues traits);", bound, StringComparison.Ordinal);
        Assert.Contains("heap.Bind(message, ContextTraitsNames, out ContextTraitsValues contextTraits);", bound, StringComparison.Ordinal);
        Assert.Contains("Lookup.FirstValid(heap, traits.email, contextTraits.email, heap.Get(message, PropertiesEmailPath))", bound, StringComparison.Ordinal);
        Assert.DoesNotContain("heap.Bind(", run.Text("Mappings.Generated.DemoUnboundMapping.g.cs"), StringComparison.Ordinal);

        var context = new LoadContext();
        try
        {
            Assembly generated = context.LoadFromStream(Emit(run));
            Type mapperType = Assert.Single(generated.GetTypes(), t => t.Name == "DemoMapper");
            var mapper = (DestinationMapper)mapperType.GetField("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            var transformer = new ProcessorTransformer(mapper);
            var explainer = new Mappings.Runtime.Explain.Explainer(mapper);
            foreach (string message in Messages)
            {
                string withBinding = Record(transformer, message, "identify", explainer);
                string withLookups = Record(transformer, message, "alias", explainer);
                Assert.StartsWith("{\"z\":{}", withLookups, StringComparison.Ordinal);
                Assert.True(
                    "{" + withLookups["{\"z\":{}".Length..].TrimStart(',') == withBinding,
                    $"{message}\n  bound:    {withBinding}\n  looked up: {withLookups}");
            }
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>
    /// A config property read more than once is read once, at the start of <c>Map</c> — unless a
    /// value the mapping writes may be the config object itself (custom fields' path writes could
    /// then change its properties).
    /// </summary>
    [Theory]
    [InlineData("""{ "key": "a", "const": 1, "when": { "truthy": "$config.flag" } }, { "key": "b", "const": 2, "when": { "falsy": "$config.flag" } }""", true)]
    [InlineData("""{ "key": "a", "const": 1, "when": { "truthy": "$config.flag" } }, { "key": "b", "path": "$config.flag" }""", true)]
    [InlineData("""{ "key": "a", "const": 1, "when": { "truthy": "$config.flag" } }, { "key": "c", "path": "$config" }, { "key": "b", "const": 2, "when": { "falsy": "$config.flag" } }""", false)]
    [InlineData("""{ "key": "a", "const": 1, "when": { "truthy": "$config.flag" } }, { "key": "c", "path": "$conf" }, { "key": "b", "const": 2, "when": { "falsy": "$config.flag" } }""", false)]
    [InlineData("""{ "key": "a", "const": 1, "when": { "truthy": "$config.flag" } }, { "key": "b", "const": 2, "when": { "truthy": "$config.other.flag" } }""", false)]
    public void Config_properties_read_more_than_once_are_read_once_when_nothing_written_can_change_them(string fields, bool shared)
    {
        string destination = Destination.Replace("\"eventRules\"", "\"lets\": { \"conf\": { \"path\": \"$config\" } },\n  \"eventRules\"", StringComparison.Ordinal);
        GeneratorRun run = GeneratorHarness.RunWithRuntime(
        [
            InMemoryAdditionalText.Mapping("common.json", """{ "pathLists": {} }"""),
            InMemoryAdditionalText.Mapping("demo/destination.json", destination),
            InMemoryAdditionalText.Mapping("demo/bound.json", """{ "record": { "fields": [""" + fields + "] } }"),
            InMemoryAdditionalText.Mapping("demo/unbound.json", Unbound),
        ]);
        Assert.True(run.Diagnostics.IsEmpty, Snapshot.FormatDiagnostics(run.Diagnostics));
        run.AssertOutputCompiles();
        string code = run.Text("Mappings.Generated.DemoBoundMapping.g.cs");
        Assert.Equal(shared, code.Contains("int flag = Lookup.Property(heap, context.Config, Flag);", StringComparison.Ordinal));
        Assert.Equal(shared, code.Contains("heap.IsTruthy(flag)", StringComparison.Ordinal));
    }

    /// <summary>The demo destination: one mapping with bound reads, one without.</summary>
    internal static InMemoryAdditionalText[] DemoFiles() =>
    [
        InMemoryAdditionalText.Mapping("common.json", """{ "pathLists": {} }"""),
        InMemoryAdditionalText.Mapping("demo/destination.json", Destination),
        InMemoryAdditionalText.Mapping("demo/bound.json", Bound),
        InMemoryAdditionalText.Mapping("demo/unbound.json", Unbound),
    ];

    private static string Record(ProcessorTransformer transformer, string message, string type, Mappings.Runtime.Explain.Explainer explainer)
    {
        string rest = message.Trim()[1..].Trim();
        string typed = "{ \"type\": \"" + type + "\"" + (rest == "}" ? " }" : ", " + rest);
        string item = """{ "message": """ + typed + """, "destination": { "Config": {} }, "metadata": { "jobId": 1 } }""";
        var output = new ByteBuffer();
        ItemOutcome outcome = transformer.TransformItem(Encoding.UTF8.GetBytes(item), output);
        Assert.True(outcome == ItemOutcome.Succeeded, Encoding.UTF8.GetString(output.WrittenSpan));
        // explain runs the traced variant: its entries are transform's, byte for byte.
        var explanation = explainer.Explain(Encoding.UTF8.GetBytes(item));
        Assert.Equal(Encoding.UTF8.GetString(output.WrittenSpan), explanation.Entries);
        Assert.Contains("outcome   1 record", explanation.ToText(), StringComparison.Ordinal);
        using JsonDocument entries = JsonDocument.Parse(output.WrittenMemory);
        JsonElement records = entries.RootElement[0].GetProperty("output").GetProperty("body").GetProperty("JSON").GetProperty("d");
        return records[0].GetRawText();
    }

    private static MemoryStream Emit(GeneratorRun run)
    {
        var stream = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = run.OutputCompilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        stream.Position = 0;
        return stream;
    }

    private sealed class LoadContext() : AssemblyLoadContext("compiled lookups", isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName name) => null;
    }
}
