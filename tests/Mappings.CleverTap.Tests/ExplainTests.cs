using System.Text;
using System.Text.Json.Nodes;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Examples;
using Mappings.Runtime.Explain;
using Mappings.Runtime.Json;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// <c>explain</c> runs the traced variant of the generated mapping through the processor transform:
/// its outcome is byte for byte what the mapping the service runs gives (on every example and every
/// conformance case), and it says where each field came from and why others are left out.
/// </summary>
public sealed class ExplainTests
{
    public static TheoryData<string> Examples() => ExampleTests.Examples();

    [Theory]
    [MemberData(nameof(Examples))]
    public void Explain_gives_the_outcome_of_transform_and_of_the_example(string example)
    {
        var loaded = MappingExample.Load(Path.Combine(ExampleTests.Root, example), example);
        byte[] item = loaded.ProcessorItem();
        Explanation explanation = new Explainer(CleverTapMapper.Instance).Explain(item);

        Assert.Equal(Transform(item), explanation.Entries);
        Assert.Empty(ExampleRunner.Compare(loaded, explanation.Outcome));
        if (explanation.Failure is null)
        {
            // Every key of every record is explained by a rule of the mapping files.
            var records = (JsonArray)explanation.Outcome["records"]!;
            Assert.Equal(records.Count, explanation.Records.Count);
            for (int i = 0; i < records.Count; i++)
            {
                foreach (var (key, _) in (JsonObject)records[i]!)
                {
                    Assert.Contains(explanation.Records[i].Fields, f => f.Path == key && f.Rule.At.StartsWith("mappings/clevertap/", StringComparison.Ordinal));
                }
            }
        }
    }

    [Theory]
    [InlineData("conformance/corpus/cases.jsonl")]
    [InlineData("conformance/foreign/cases.jsonl")]
    [InlineData("conformance/adversarial/cases.jsonl")]
    public void Explain_gives_the_entries_of_transform_on_every_conformance_case(string file)
    {
        var explainer = new Explainer(CleverTapMapper.Instance);
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        var output = new ByteBuffer();
        var failures = new List<string>();
        foreach (var c in ConformanceCases.Load(file))
        {
            output.Clear();
            transformer.TransformItem(c.Input.Span, output);
            string expected = Encoding.UTF8.GetString(output.WrittenSpan);
            Explanation explanation;
            try
            {
                explanation = explainer.Explain(c.Input.Span);
            }
            catch (Exception e)
            {
                failures.Add($"{c}: explain threw {e.GetType().Name}: {e.Message}");
                continue;
            }

            if (explanation.Entries != expected) failures.Add($"{c}: explain's entries differ from transform's");
            _ = explanation.ToText();
            _ = JsonNode.Parse(explanation.ToJson());
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures, first: {string.Join("\n", failures.Take(5))}");
    }

    [Fact]
    public void An_identify_names_the_rule_and_source_of_Email_and_lists_an_absent_trait_as_left_out()
    {
        Explanation explanation = Explain("identify-profile.json");

        Assert.Equal("identify", explanation.Mapping);
        Assert.Equal("mappings/clevertap/destination.json:88", explanation.Rule!.At);
        FieldExplanation email = explanation.Records[0].Fields.Single(f => f.Path == "profileData.Email");
        Assert.Equal("\"ada@example.com\"", email.Value);
        Assert.Equal("mappings/clevertap/identify.json:12", email.Rule.At);
        Assert.Equal("{ \"key\": \"Email\", \"paths\": \"@emailOnly\" }", email.Rule.Entry);
        Assert.Equal("traits.email", email.Origin.From);
        Assert.Equal(new SharedDefinition("@emailOnly", "mappings/common.json:10"), Assert.Single(email.Origin.Uses));

        FieldExplanation phone = explanation.Records[0].Fields.Single(f => f.Path == "profileData.Phone");
        Assert.Equal("context.traits.phone", phone.Origin.From);
        FieldExplanation gender = explanation.Records[0].Fields.Single(f => f.Path == "profileData.Gender");
        Assert.Contains("mapped \"female\" → \"F\" by the value map", gender.Origin.Steps);

        LeftOutField dob = explanation.Records[0].LeftOut.Single(f => f.Path == "profileData.DOB");
        Assert.Equal("mappings/clevertap/identify.json:20", dob.Rule.At);
        Assert.StartsWith("no V-valid value", dob.Reason);
        Assert.Contains("traits.birthday, context.traits.birthday", dob.Reason);

        LeftOutField objectId = explanation.Records[0].LeftOut.Single(f => f.Path == "objectId");
        Assert.Contains("{\"truthy\": \"$config.enableObjectIdMapping\"} is false (value: false)", objectId.Reason);
        Assert.Contains(explanation.RecordsNotMade, r => r.Rule.At == "mappings/clevertap/identify.json:75");

        string text = explanation.ToText();
        Assert.Contains("profileData.Email = \"ada@example.com\"", text);
        Assert.Contains("rule  mappings/clevertap/identify.json:12", text);
        Assert.Contains("uses  @emailOnly  mappings/common.json:10", text);
    }

    [Fact]
    public void Custom_fields_name_their_source_and_nulls_removed_are_left_out()
    {
        Explanation explanation = Explain("identify-custom-fields.json");
        RecordExplanation record = explanation.Records[0];

        FieldExplanation plan = record.Fields.Single(f => f.Path == "profileData.plan");
        Assert.Equal("mappings/clevertap/identify.json:35", plan.Rule.At);
        Assert.Equal("context.traits.plan", plan.Origin.From);
        FieldExplanation address = record.Fields.Single(f => f.Path == "profileData.address");
        Assert.Equal("traits.address.city", address.Origin.From);
        Assert.Contains(address.Origin.Steps, s => s.StartsWith("sent as JSON text by stringifyValues (mappings/clevertap/identify.json:44)", StringComparison.Ordinal));
        LeftOutField nickname = record.LeftOut.Single(f => f.Path == "profileData.nickname");
        Assert.Equal("mappings/clevertap/identify.json:49", nickname.Rule.At);
        Assert.StartsWith("removed as null by removeNulls", nickname.Reason);
    }

    [Fact]
    public void Named_values_field_groups_cases_conversions_and_templates_are_explained()
    {
        Explanation token = Explain("identify-device-token-android.json");
        Assert.Equal(2, token.Records.Count);
        FieldExplanation objectId = token.Records[0].Fields.Single(f => f.Path == "objectId");
        Assert.Equal("$anonymousId", objectId.Origin.From);
        Assert.Contains(new SharedDefinition("$anonymousId", "mappings/clevertap/destination.json:62"), objectId.Origin.Uses);
        FieldExplanation type = token.Records[1].Fields.Single(f => f.Path == "tokenData.type");
        Assert.StartsWith("case 2 of 3 ({\"equals\": [\"$os\", \"android\"]} is true (value: \"Android\"))", type.Origin.Detail);

        Explanation timestamp = Explain("identify-timestamp.json");
        FieldExplanation ts = timestamp.Records[0].Fields.Single(f => f.Path == "ts");
        Assert.Equal("mappings/clevertap/destination.json:117", ts.Rule.At);
        Assert.StartsWith("profileTimestamp, used at mappings/clevertap/identify.json:", ts.Group);
        Assert.Equal("context.traits.ts", ts.Origin.From);
        Assert.Contains(ts.Origin.Steps, s => s.StartsWith("converted to unix seconds: \"2024-01-02T03:04:05.000Z\" → 1704164645", StringComparison.Ordinal));

        Explanation page = Explain("page-with-name.json");
        FieldExplanation name = page.Records[0].Fields.Single(f => f.Path == "evtName");
        Assert.Equal("template", name.Origin.From);
        Assert.Contains("value = \" Terms & Conditions \" from name", name.Origin.Detail);
    }

    [Fact]
    public void A_failed_event_names_the_entry_that_failed_it_and_the_tests_that_decided()
    {
        Explanation anonymous = Explain("error-anonymous-track.json");
        Assert.Equal("mappings/clevertap/destination.json:78", anonymous.Failure!.Entry!.At);
        Assert.Contains("{\"falsy\": \"$userId\"} is true (value: null)", anonymous.Failure.Reason);

        Explanation required = Explain("error-track-without-event.json");
        Assert.Equal("mappings/clevertap/track.json:6", required.Failure!.Entry!.At);
        Assert.Equal("mappings/clevertap/destination.json:92", required.Rule!.At);
        Assert.Contains(required.Checks, c => c.Entry.At == "mappings/clevertap/destination.json:91" && c.Result.StartsWith("did not match", StringComparison.Ordinal));

        var notAnObject = new Explainer(CleverTapMapper.Instance).Explain("[1]"u8);
        Assert.Null(notAnObject.Failure!.Entry);
        Assert.Empty(notAnObject.Records);
    }

    [Fact]
    public void The_json_form_holds_the_same_as_the_text()
    {
        JsonNode json = JsonNode.Parse(Explain("identify-profile.json").ToJson(line: 3))!;
        Assert.Equal(3, (int)json["line"]!);
        Assert.Equal("identify", (string?)json["mapping"]);
        JsonNode email = json["records"]![0]!["fields"]!.AsArray().Single(f => (string?)f!["path"] == "profileData.Email")!;
        Assert.Equal("mappings/clevertap/identify.json:12", (string?)email["rule"]!["at"]);
        Assert.Equal("traits.email", (string?)email["from"]);
        Assert.Equal("ada@example.com", (string?)email["value"]);
        Assert.Equal("mappings/common.json:10", (string?)email["uses"]![0]!["at"]);
        Assert.Contains(json["records"]![0]!["leftOut"]!.AsArray(), f => (string?)f!["path"] == "profileData.DOB");
    }

    internal const string Config = """{"accountId":"acc","passcode":"pc","trackAnonymous":false,"enableObjectIdMapping":false}""";

    /// <summary>A processor request item for a message, with a CleverTap Config.</summary>
    internal static byte[] Item(string message) =>
        Encoding.UTF8.GetBytes("{\"message\":" + message + ",\"metadata\":{\"jobId\":1},\"destination\":{\"Config\":" + Config + "}}");

    /// <summary>A JSON value nested <paramref name="depth"/> objects deep.</summary>
    internal static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    [Theory]
    [InlineData("overrideFields")]
    [InlineData("category-unsubscribe")]
    public void A_deep_output_is_explained_as_transform_writes_it(string trait)
    {
        byte[] item = Item($$$"""{"type":"identify","userId":"u1","traits":{"email":"ada@example.com","{{{trait}}}":{{{Nested(80)}}}}}""");
        string expected = Transform(item);
        Assert.Contains(new string('}', 80), expected);

        Explanation explanation = new Explainer(CleverTapMapper.Instance).Explain(item);

        Assert.Equal(expected, explanation.Entries);
        Assert.Null(explanation.Failure);
        Assert.Single(explanation.Outcome["records"]!.AsArray());
        Assert.Contains("outcome   1 record", explanation.ToText());
        _ = JsonNode.Parse(explanation.ToJson(), documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = JsonWriterExtensions.MaxOutputDepth });

        // An example of the same event: run, compared and reported (its outcome shown) as deep as it is.
        string message = $$$"""{"type":"identify","userId":"u1","traits":{"email":"ada@example.com","{{{trait}}}":{{{Nested(80)}}}}}""";
        var example = MappingExample.Parse($$$"""{"description":"deep","config":{{{Config}}},"message":{{{message}}},"expected":{{{explanation.OutcomeJson}}}}""", "deep.json");
        ExampleResult result = ExampleRunner.Run(CleverTapMapper.Instance, example);
        Assert.True(result.Passed, result.Report());
        Assert.Contains(new string('}', 80), ProcessorOutcome.Show(result.Actual).Replace(" ", string.Empty).Replace("\n", string.Empty).Replace("\r", string.Empty));
    }

    [Theory]
    [InlineData("array", 20_000)]
    [InlineData("object", 10_000)]
    public void Many_custom_fields_are_explained_with_work_in_proportion(string kind, int count)
    {
        string traits = kind == "array"
            ? "[" + string.Join(",", Enumerable.Range(0, count)) + "]"
            : "{" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"k{i}\":{i}")) + "}";
        byte[] item = Item($$$"""{"type":"identify","userId":"u1","traits":{{{traits}}}}""");
        var explainer = new Explainer(CleverTapMapper.Instance);
        explainer.Explain(Item("""{"type":"identify","userId":"u1","traits":{"a":1}}""")); // warmed up

        long before = GC.GetAllocatedBytesForCurrentThread();
        Explanation explanation = explainer.Explain(item);
        string text = explanation.ToText();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(Transform(item), explanation.Entries);
        FieldExplanation last = explanation.Records[0].Fields.Single(f => f.Path == (kind == "array" ? $"profileData.{count - 1}" : $"profileData.k{count - 1}"));
        Assert.Equal(kind == "array" ? $"traits.{count - 1}" : $"traits.k{count - 1}", last.Origin.From);
        Assert.Contains($"profileData.{(kind == "array" ? "" : "k")}0 = 0", text);
        // Quadratic work (every key of every source listed for each key written) allocates gigabytes here.
        Assert.True(allocated < 400L * 1024 * 1024, $"{allocated / (1024 * 1024)} MB allocated to explain {count} custom fields");
    }

    [Fact]
    public void Text_quotes_request_values_cut_and_json_repeats_them_whole()
    {
        string name = new('n', 100_000), over = new('o', 100_000), os = new('s', 100_000), type = new('t', 200_000);
        byte[] identify = Item($$$"""{"type":"identify","userId":"u1","context":{"os":{"name":"{{{os}}}"},"device":{"token":"tok"}},"traits":{"email":"ada@example.com","name":"{{{name}}}","overrideFields":{"Name":"{{{over}}}"},"{{{name}}}":1}}""");
        byte[] unsupported = Item($$$"""{"type":"{{{type}}}","userId":"u1"}""");
        var explainer = new Explainer(CleverTapMapper.Instance);

        foreach (byte[] item in new[] { identify, unsupported })
        {
            Explanation explanation = explainer.Explain(item);
            Assert.Equal(Transform(item), explanation.Entries);
            string text = explanation.ToText();
            string[] lines = text.Split('\n');
            Assert.All(lines, l => Assert.True(l.Length <= 1000, $"a line of {l.Length} characters: {l[..Math.Min(200, l.Length)]}…"));
            string json = explanation.ToJson();
            Assert.Contains(item == identify ? over : type, json);
        }

        string shown = explainer.Explain(identify).ToText();
        Assert.Contains("assigned, replacing \"nnn", shown);
        Assert.Contains("profileData.Name = \"ooo", shown);
        Assert.Contains("…", shown);
    }

    [Theory]
    [InlineData("""{"userId":"u1"}""", "the type is undefined: Message Type is not present. Aborting message.")]
    [InlineData("""{"type":"purchase","userId":"u1"}""", "the type is \"purchase\": Message type not supported")]
    [InlineData("""{"type":5,"userId":"u1"}""", "the type is 5: type must be a string")]
    public void A_type_the_dispatch_refuses_is_put_at_the_messageType_entry(string message, string reason)
    {
        Explanation explanation = new Explainer(CleverTapMapper.Instance).Explain(Item(message));

        Assert.Equal("mappings/clevertap/destination.json:70", explanation.Failure!.Entry!.At);
        Assert.StartsWith("\"messageType\"", explanation.Failure.Entry.Entry);
        Assert.Equal(reason, explanation.Failure.Reason);
        Assert.Contains("  because " + reason, explanation.ToText());
    }

    [Fact]
    public void A_missing_Config_is_named_as_the_reason()
    {
        byte[] item = Encoding.UTF8.GetBytes("""{"message":{"type":"identify","userId":"u1"},"metadata":{"jobId":1},"destination":{}}""");
        Explanation explanation = new Explainer(CleverTapMapper.Instance).Explain(item);

        Assert.Equal("mappings/clevertap/destination.json", explanation.Failure!.Entry!.At);
        Assert.StartsWith("the destination has no Config: ", explanation.Failure.Reason);
        Assert.Equal(Transform(item), explanation.Entries);
    }

    [Fact]
    public void A_type_error_in_an_extra_records_condition_is_put_at_the_record()
    {
        byte[] item = Encoding.UTF8.GetBytes(
            """{"message":{"type":"identify","userId":"u1","anonymousId":"a1","context":{"os":{"name":5},"device":{"token":"t"}}},"metadata":{"jobId":1},"destination":{"Config":{"accountId":"acc","passcode":"pc","enableObjectIdMapping":true}}}""");
        Explanation explanation = new Explainer(CleverTapMapper.Instance).Explain(item);

        Assert.Contains("context.os.name must be a string", explanation.OutcomeJson);
        Assert.Equal("mappings/clevertap/identify.json:75", explanation.Failure!.Entry!.At);
        Assert.StartsWith("its condition failed the event: context.os.name must be a string", explanation.Failure.Reason);
    }

    private static Explanation Explain(string example)
    {
        var loaded = MappingExample.Load(Path.Combine(ExampleTests.Root, "mappings/clevertap/examples", example));
        return new Explainer(CleverTapMapper.Instance).Explain(loaded.ProcessorItem());
    }

    private static string Transform(byte[] item)
    {
        var output = new ByteBuffer();
        new ProcessorTransformer(CleverTapMapper.Instance).TransformItem(item, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
