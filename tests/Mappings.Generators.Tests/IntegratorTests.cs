using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace Mappings.Generators.Tests;

/// <summary>
/// What an integrator does: edit a mapping file, build, and the destination behaves differently,
/// without writing any C#. Here a copy of the real <c>identify.json</c> gets a new profile field; the
/// generator runs on it, the generated code is compiled and loaded, and an identify event goes
/// through the processor transform.
/// </summary>
public sealed class IntegratorTests
{
    /// <summary>An identify event in default mode (no objectId mapping), as rudder-server sends it.</summary>
    private const string IdentifyEvent = """
        {
          "message": {
            "type": "identify",
            "userId": "user-1",
            "traits": { "email": "ada@example.com", "title": "Engineer", "nickname": "ada" },
            "context": { "traits": { "title": "Lead" } }
          },
          "destination": { "Config": { "accountId": "acc-1", "passcode": "pass-1" } },
          "metadata": { "jobId": 1 }
        }
        """;

    [Fact]
    public void A_field_added_to_a_mapping_file_appears_in_the_mappers_output()
    {
        string identify = RepositoryFiles.ReadMapping("clevertap/identify.json");
        string withTitle = AddTitleField(identify);

        string record = TransformWith(withTitle, IdentifyEvent);

        Assert.Equal(
            """{"type":"profile","profileData":{"Email":"ada@example.com","Title":"Engineer","nickname":"ada"},"identity":"user-1"}""",
            record);
    }

    [Fact]
    public void The_new_field_falls_back_to_its_second_path()
    {
        string withTitle = AddTitleField(RepositoryFiles.ReadMapping("clevertap/identify.json"));
        string identifyEvent = IdentifyEvent.Replace("\"title\": \"Engineer\", ", string.Empty, StringComparison.Ordinal);

        string record = TransformWith(withTitle, identifyEvent);

        Assert.Equal(
            """{"type":"profile","profileData":{"Email":"ada@example.com","Title":"Lead","nickname":"ada"},"identity":"user-1"}""",
            record);
    }

    [Fact]
    public void Without_the_field_the_title_is_a_custom_field()
    {
        // The same event through the unchanged mapping file: "title" is copied as a custom trait, and
        // there context.traits wins over traits (spec §3.4), unlike the field's "paths" (first V-valid).
        string record = TransformWith(RepositoryFiles.ReadMapping("clevertap/identify.json"), IdentifyEvent);

        Assert.Equal(
            """{"type":"profile","profileData":{"Email":"ada@example.com","title":"Lead","nickname":"ada"},"identity":"user-1"}""",
            record);
    }

    [Fact]
    public void An_event_rule_above_the_track_catch_all_sends_its_events_to_a_new_mapping()
    {
        // The "Add an event rule" walkthrough of docs/mapping-language.md.
        const string productViewed = """
            {
              "$schema": "../mappings.schema.json",
              "record": {
                "fields": [
                  { "key": "evtName", "const": "Product Viewed" },
                  { "key": "evtData", "path": "properties", "default": {}, "stringifyValues": { "except": [] } },
                  { "key": "type", "const": "event" },
                  { "use": "eventIdentity" }
                ],
                "removeNulls": true
              }
            }
            """;
        const string catchAll = """{ "type": "track", "mapping": "track" },""";
        string destination = RepositoryFiles.ReadMapping("clevertap/destination.json");
        Assert.Contains(catchAll, destination, StringComparison.Ordinal);
        string above = destination.Replace(catchAll, """{ "type": "track", "event": "Product Viewed", "mapping": "product_viewed" },""" + "\n    " + catchAll, StringComparison.Ordinal);
        string below = destination.Replace(catchAll, catchAll + "\n    " + """{ "type": "track", "event": "Product Viewed", "mapping": "product_viewed" },""", StringComparison.Ordinal);
        InMemoryAdditionalText mapping = InMemoryAdditionalText.Mapping("clevertap/product_viewed.json", productViewed);

        GeneratorRun wrong = GeneratorHarness.Run([.. RepositoryFiles.MappingFilesWith("clevertap/destination.json", below), mapping]);
        Assert.Equal("MAP008", Assert.Single(wrong.Diagnostics).Id);

        const string track = """
            {
              "message": { "type": "track", "event": "product viewed", "userId": "user-1", "properties": { "sku": "A-1", "tags": ["x"] } },
              "destination": { "Config": { "accountId": "acc-1", "passcode": "pass-1" } },
              "metadata": { "jobId": 1 }
            }
            """;
        string record = Transform([.. RepositoryFiles.MappingFilesWith("clevertap/destination.json", above), mapping], track);

        Assert.Equal("""{"evtName":"Product Viewed","evtData":{"sku":"A-1","tags":"[\"x\"]"},"type":"event","identity":"user-1"}""", record);
    }

    /// <summary>
    /// Adds <c>{ "key": "Title", "paths": ["traits.title", "context.traits.title"] }</c> to the profile
    /// fields (after Photo) and <c>"title"</c> to the custom fields' exclusions, as an integrator would.
    /// </summary>
    private static string AddTitleField(string identify)
    {
        const string photo = """{ "key": "Photo", "paths": ["traits.avatar", "context.traits.avatar"] },""";
        const string exclusions = "\"ts\", \"overrideFields\"";
        Assert.Contains(photo, identify, StringComparison.Ordinal);
        Assert.Contains(exclusions, identify, StringComparison.Ordinal);
        return identify
            .Replace(photo, photo + "\n            { \"key\": \"Title\", \"paths\": [\"traits.title\", \"context.traits.title\"] },", StringComparison.Ordinal)
            .Replace(exclusions, exclusions + ", \"title\"", StringComparison.Ordinal);
    }

    /// <summary>
    /// Generates the code for the real mapping files with <paramref name="identify"/> as identify.json,
    /// compiles and loads it, transforms <paramref name="item"/>, and returns the one record sent (compact JSON).
    /// </summary>
    private static string TransformWith(string identify, string item)
        => Transform(RepositoryFiles.MappingFilesWith("clevertap/identify.json", identify), item);

    /// <summary>
    /// Generates the code for <paramref name="files"/> (one destination folder), compiles and loads it,
    /// transforms <paramref name="item"/>, returns the one record sent.
    /// </summary>
    internal static string Transform(IEnumerable<InMemoryAdditionalText> files, string item)
    {
        GeneratorRun run = GeneratorHarness.RunWithRuntime(files);
        Assert.True(run.Diagnostics.IsEmpty, Snapshot.FormatDiagnostics(run.Diagnostics));
        run.AssertOutputCompiles();

        var context = new GeneratedCodeContext();
        try
        {
            Assembly generated = context.Load(run.OutputCompilation);
            Type mapperType = Assert.Single(generated.GetTypes(), t => t.Namespace == "Mappings.Generated" && t.Name.EndsWith("Mapper", StringComparison.Ordinal));
            // The generated code binds to the runtime this test references (one Mappings.Runtime loaded).
            Assert.Same(typeof(DestinationMapper).Assembly, mapperType.BaseType!.Assembly);
            var mapper = (DestinationMapper)mapperType.GetField("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

            var output = new ByteBuffer();
            ItemOutcome outcome = new ProcessorTransformer(mapper).TransformItem(Encoding.UTF8.GetBytes(item), output);

            string response = Encoding.UTF8.GetString(output.WrittenSpan);
            Assert.True(outcome == ItemOutcome.Succeeded, response);
            // explain runs the traced variant: its entries are transform's, byte for byte.
            var explanation = new Mappings.Runtime.Explain.Explainer(mapper).Explain(Encoding.UTF8.GetBytes(item));
            Assert.Equal(response, explanation.Entries);
            Assert.Contains("outcome   1 record", explanation.ToText(), StringComparison.Ordinal);
            using JsonDocument entries = JsonDocument.Parse(output.WrittenMemory);
            JsonElement entry = Assert.Single(entries.RootElement.EnumerateArray().ToArray());
            Assert.Equal(200, entry.GetProperty("statusCode").GetInt32());
            JsonElement records = entry.GetProperty("output").GetProperty("body").GetProperty("JSON").GetProperty("d");
            return Assert.Single(records.EnumerateArray().ToArray()).GetRawText();
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>
    /// A collectible load context for the in-memory assembly; everything else (the runtime, the BCL)
    /// resolves from the default context, so the generated classes derive from the very
    /// <see cref="DestinationMapper"/> this test uses.
    /// </summary>
    private sealed class GeneratedCodeContext() : AssemblyLoadContext("generated mappings", isCollectible: true)
    {
        public Assembly Load(Compilation compilation)
        {
            using var image = new MemoryStream();
            EmitResult result = compilation.Emit(image);
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            image.Position = 0;
            return LoadFromStream(image);
        }

        protected override Assembly? Load(AssemblyName assemblyName) => null;
    }
}
