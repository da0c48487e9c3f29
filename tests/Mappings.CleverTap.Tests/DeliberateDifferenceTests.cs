using System.Text;
using System.Text.Json;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Router;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// The deliberate differences of spec/README.md that concern the library (processor and router):
/// D1 (an event that breaks the reference's JavaScript fails alone, with a 400, a message naming the
/// field and instrumentation/configuration statTags; bodies of the wrong shape are HTTP 400), D6 (a
/// <c>__proto__</c> key fails only its item; outside the items the whole request) and D2 (dates in UTC).
/// Every case also checks that the other items of the same request come out exactly as they do alone.
/// </summary>
public sealed class DeliberateDifferenceTests
{
    private const string Destination = """{"ID":"d1","Name":"CT","Config":{"accountId":"acc","passcode":"pc","trackAnonymous":true}}""";
    private const string ObjectIdDestination = """{"ID":"d1","Name":"CT","Config":{"accountId":"acc","passcode":"pc","trackAnonymous":true,"enableObjectIdMapping":true}}""";

    private const string GoodAMetadata = """{"jobId":1,"destinationId":"d1","workspaceId":"w1","sourceId":"s1"}""";
    private const string GoodBMetadata = """{"jobId":3,"destinationId":"d1","workspaceId":"w1","sourceId":"s1"}""";

    /// <summary>The failing item's metadata: odd values on purpose, they must come back unchanged.</summary>
    private const string BadMetadata = """{"jobId":2,"destinationId":"d1","workspaceId":"w1","sourceId":"s1","attemptNum":0,"extra":{"n":1.5,"list":[1,"a",null,false],"empty":{}}}""";

    private static string Item(string message, string metadata, string destination = Destination) =>
        $$$"""{"message":{{{message}}},"metadata":{{{metadata}}},"destination":{{{destination}}}}""";

    private static readonly string GoodA = Item("""{"type":"track","event":"Signed Up","userId":"u1","properties":{"plan":"gold","n":2}}""", GoodAMetadata);

    private static readonly string GoodB = Item("""{"type":"identify","userId":"u3","traits":{"email":"b@example.com","name":"Bea","tags":["x",1]}}""", GoodBMetadata);

    // ------------------------------------------------------------------ harness

    private static (int Status, string Body) Processor(string body, bool compacted = false)
    {
        var output = new ByteBuffer();
        int status = new ProcessorTransformer(CleverTapMapper.Instance).TransformRequest(Encoding.UTF8.GetBytes(body), output, compacted);
        return (status, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    private static (int Status, string Body) Router(string body, bool compacted = false)
    {
        var output = new ByteBuffer();
        int status = new RouterTransformer(CleverTapMapper.Instance).Transform(Encoding.UTF8.GetBytes(body), output, compacted);
        return (status, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    private static string RouterBody(params string[] inputs) => $$$"""{"input":[{{{string.Join(",", inputs)}}}],"destType":"CLEVERTAP"}""";

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>JSON equality as conformance/README.md compares (unordered keys, numbers by value, exact strings).</summary>
    private static void AssertSameJson(string expected, string actual, string what)
    {
        string? diff = new JsonComparer().CompareValues(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
        Assert.True(diff is null, $"{what}: {diff}\nexpected: {expected}\nactual:   {actual}");
    }

    /// <summary>The processor entries of one item sent alone.</summary>
    private static List<string> Alone(string item)
    {
        var (status, body) = Processor("[" + item + "]");
        Assert.Equal(200, status);
        return Parse(body).EnumerateArray().Select(e => e.GetRawText()).ToList();
    }

    /// <summary>
    /// Sends [GoodA, bad, GoodB] to the processor: GoodA's and GoodB's entries are exactly their entries
    /// sent alone, and the bad item's single entry is returned.
    /// </summary>
    private static JsonElement ProcessorWithNeighbours(string bad)
    {
        var (status, body) = Processor($"[{GoodA},{bad},{GoodB}]");
        Assert.Equal(200, status);
        var entries = Parse(body).EnumerateArray().Select(e => e.GetRawText()).ToList();
        var a = Alone(GoodA);
        var b = Alone(GoodB);
        Assert.True(entries.Count == a.Count + 1 + b.Count, body);
        Assert.All(a.Concat(b), e => Assert.Equal(200, Parse(e).GetProperty("statusCode").GetInt32()));
        for (int i = 0; i < a.Count; i++) AssertSameJson(a[i], entries[i], "the item before is unaffected");
        for (int i = 0; i < b.Count; i++) AssertSameJson(b[i], entries[a.Count + 1 + i], "the item after is unaffected");
        return Parse(entries[a.Count]);
    }

    /// <summary>A processor error entry: <c>{metadata, statusCode: 400, error, statTags}</c> (spec §10.2, D1).</summary>
    private static string AssertProcessorError(JsonElement entry, string metadata, string errorType, string[] mentions, string? exactError = null)
    {
        Assert.Equal(["metadata", "statusCode", "error", "statTags"], entry.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(400, entry.GetProperty("statusCode").GetInt32());
        AssertSameJson(metadata, entry.GetProperty("metadata").GetRawText(), "metadata is unchanged");
        string error = AssertErrorText(entry, mentions, exactError);
        AssertStatTags(entry.GetProperty("statTags"), errorType, "processor", Parse(metadata));
        return error;
    }

    private static string AssertErrorText(JsonElement entry, string[] mentions, string? exactError)
    {
        string error = entry.GetProperty("error").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(error));
        if (exactError is not null) Assert.Equal(exactError, error);
        foreach (string mention in mentions) Assert.Contains(mention, error);
        return error;
    }

    /// <summary>statTags of an instrumentation or configuration error (spec §0, §10.2, §7.4), ids from the given metadata.</summary>
    private static void AssertStatTags(JsonElement tags, string errorType, string feature, JsonElement idsFrom)
    {
        var expected = new List<(string, string)>
        {
            ("errorCategory", "dataValidation"),
            ("errorType", errorType),
            ("destType", "CLEVERTAP"),
            ("module", "destination"),
            ("implementation", "native"),
            ("feature", feature),
        };
        if (idsFrom.ValueKind == JsonValueKind.Object)
        {
            if (idsFrom.TryGetProperty("destinationId", out var d)) expected.Add(("destinationId", d.GetString()!));
            if (idsFrom.TryGetProperty("workspaceId", out var w)) expected.Add(("workspaceId", w.GetString()!));
        }
        var actual = tags.EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)).ToList();
        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// Routes [GoodA, bad, GoodB] and [GoodA, GoodB]: everything but the bad input's own error entry is
    /// the same (the others batch normally). Returns the bad input's entry (found by its jobId 2, or
    /// the one error entry whose metadata is empty).
    /// </summary>
    private static JsonElement RouterWithNeighbours(string bad)
    {
        var (status, body) = Router(RouterBody(GoodA, bad, RouterGoodB));
        Assert.Equal(200, status);
        var (refStatus, refBody) = Router(RouterBody(GoodA, RouterGoodB));
        Assert.Equal(200, refStatus);

        var output = Parse(body).GetProperty("output").EnumerateArray().ToList();
        var reference = Parse(refBody).GetProperty("output").EnumerateArray().ToList();
        int badIndex = output.FindIndex(IsBadEntry);
        Assert.True(badIndex >= 0, "no entry for the failing input: " + body);
        Assert.Single(output, IsBadEntry);
        var bad0 = output[badIndex];
        output.RemoveAt(badIndex);
        Assert.True(reference.Count == output.Count, $"the other inputs' entries changed:\n{body}\nvs\n{refBody}");
        for (int i = 0; i < reference.Count; i++) AssertSameJson(reference[i].GetRawText(), output[i].GetRawText(), "the other inputs batch as without the failing one");
        return bad0;

        static bool IsBadEntry(JsonElement entry)
        {
            var metadata = entry.GetProperty("metadata");
            if (entry.TryGetProperty("batchedRequest", out _)) return metadata.EnumerateArray().Any(m => m.TryGetProperty("jobId", out var j) && j.GetInt32() == 2);
            return metadata.GetArrayLength() == 0 || metadata.EnumerateArray().Any(m => m.TryGetProperty("jobId", out var j) && j.GetInt32() == 2);
        }
    }

    /// <summary>The second good router input is a track (identify + track batch together either way).</summary>
    private static readonly string RouterGoodB = Item("""{"type":"track","event":"Bought","userId":"u3","properties":{"price":9.99}}""", GoodBMetadata);

    /// <summary>A router error entry of spec §7.4: <c>{metadata: [m], batched: false, statusCode, error, statTags, destination}</c>.</summary>
    private static string AssertRouterError(JsonElement entry, string? metadata, string destination, string errorType, string[] mentions, JsonElement idsFrom, string? exactError = null)
    {
        Assert.Equal(["metadata", "batched", "statusCode", "error", "statTags", "destination"], entry.EnumerateObject().Select(p => p.Name).ToArray());
        AssertSameJson(metadata is null ? "[]" : "[" + metadata + "]", entry.GetProperty("metadata").GetRawText(), "metadata is unchanged");
        Assert.False(entry.GetProperty("batched").GetBoolean());
        Assert.Equal(400, entry.GetProperty("statusCode").GetInt32());
        string error = AssertErrorText(entry, mentions, exactError);
        AssertStatTags(entry.GetProperty("statTags"), errorType, "router", idsFrom);
        AssertSameJson(destination, entry.GetProperty("destination").GetRawText(), "the entry carries the input's own destination");
        return error;
    }

    // ------------------------------------------------------------------ D1: processor

    public static TheoryData<string, string> NonStringTypes() => new()
    {
        { "number", "5" },
        { "object", """{"a":1}""" },
        { "array", """["track"]""" },
        { "true", "true" },
    };

    [Theory]
    [MemberData(nameof(NonStringTypes))]
    public void D1_a_non_string_type_fails_only_its_item(string kind, string type)
    {
        _ = kind;
        var entry = ProcessorWithNeighbours(Item($$$"""{"type":{{{type}}},"event":"x","userId":"u2"}""", BadMetadata));
        AssertProcessorError(entry, BadMetadata, "instrumentation", ["type", "string"], exactError: "type must be a string");
    }

    public static TheoryData<string> NonStringOsNames() => new() { "5", "true", """{"name":"ios"}""", """["ios"]""" };

    [Theory]
    [MemberData(nameof(NonStringOsNames))]
    public void D1_a_non_string_truthy_os_name_in_object_id_mode_fails_only_its_item(string osName)
    {
        string bad = Item($$$$"""{"type":"identify","anonymousId":"a2","userId":"u2","context":{"os":{"name":{{{{osName}}}}},"device":{"token":"tok"}}}""", BadMetadata, ObjectIdDestination);
        var entry = ProcessorWithNeighbours(bad);
        AssertProcessorError(entry, BadMetadata, "instrumentation", ["context.os.name"]);
    }

    [Fact]
    public void D1_a_falsy_non_string_os_name_is_not_an_error()
    {
        // 0 is falsy: the reference does not lower-case it and sends no token record.
        var entries = Alone(Item("""{"type":"identify","anonymousId":"a2","userId":"u2","context":{"os":{"name":0},"device":{"token":"tok"}}}""", BadMetadata, ObjectIdDestination));
        Assert.Equal(200, Parse(Assert.Single(entries)).GetProperty("statusCode").GetInt32());
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"[{\\\"a\\\":1}\"")]
    [InlineData("\"{\"")]
    public void D1_order_completed_products_that_are_a_string_of_invalid_json_fail_only_their_item(string products)
    {
        string bad = Item($$$"""{"type":"track","event":"Order Completed","userId":"u2","properties":{"checkout_id":"c1","revenue":5,"products":{{{products}}}}}""", BadMetadata);
        var entry = ProcessorWithNeighbours(bad);
        AssertProcessorError(entry, BadMetadata, "instrumentation", ["not valid JSON"]);
    }

    [Fact]
    public void D1_a_track_named_charged_with_items_of_invalid_json_fails_only_its_item()
    {
        var entry = ProcessorWithNeighbours(Item("""{"type":"track","event":"Charged","userId":"u2","properties":{"Items":"not json"}}""", BadMetadata));
        AssertProcessorError(entry, BadMetadata, "instrumentation", ["Items", "not valid JSON"]);
    }

    [Fact]
    public void Order_completed_products_as_a_string_of_valid_json_still_work()
    {
        var entry = Parse(Assert.Single(Alone(Item("""{"type":"track","event":"Order Completed","userId":"u2","properties":{"products":"[{\"sku\":\"a\"}]"}}""", BadMetadata))));
        Assert.Equal(200, entry.GetProperty("statusCode").GetInt32());
        var items = entry.GetProperty("output").GetProperty("body").GetProperty("JSON").GetProperty("d")[0].GetProperty("evtData").GetProperty("Items");
        Assert.Equal("a", items[0].GetProperty("sku").GetString());
    }

    public static TheoryData<string, string, string, string> OwnToStringCases() => new()
    {
        // name, message, destination, a word the error must hold
        { "page name", """{"type":"page","userId":"u2","name":{"toString":"x"}}""", Destination, "converted to a string" },
        { "page event", """{"type":"page","userId":"u2","event":{"toString":1}}""", Destination, "event" },
        { "screen properties.name", """{"type":"screen","userId":"u2","properties":{"name":{"valueOf":1,"toString":2}}}""", Destination, "converted to a string" },
        { "track event (Charged check)", """{"type":"track","userId":"u2","event":{"toString":null}}""", Destination, "event" },
        { "track event in an array", """{"type":"track","userId":"u2","event":[{"toString":1}]}""", Destination, "event" },
        { "first name", """{"type":"identify","userId":"u2","traits":{"firstName":{"toString":1},"lastName":"B"}}""", Destination, "converted to a string" },
        { "last name", """{"type":"identify","userId":"u2","traits":{"firstName":"A","last_name":{"toString":1}}}""", Destination, "converted to a string" },
        { "identify ts", """{"type":"identify","userId":"u2","traits":{"ts":{"toString":1}}}""", Destination, "ts" },
        { "alias ts", """{"type":"alias","userId":"u2","previousId":"p","context":{"traits":{"ts":{"toString":1}}}}""", Destination, "ts" },
        { "track ts", """{"type":"track","event":"x","userId":"u2","properties":{"ts":{"toString":"2021-01-01"}}}""", Destination, "ts" },
        { "region in config", """{"type":"track","event":"x","userId":"u2"}""", """{"ID":"d1","Config":{"accountId":"acc","passcode":"pc","trackAnonymous":true,"region":{"toString":"in1"}}}""", "region" },
    };

    [Theory]
    [MemberData(nameof(OwnToStringCases))]
    public void D1_an_object_with_its_own_toString_where_a_string_is_needed_fails_only_its_item(string name, string message, string destination, string mention)
    {
        _ = name;
        var entry = ProcessorWithNeighbours(Item(message, BadMetadata, destination));
        AssertProcessorError(entry, BadMetadata, "instrumentation", [mention, "toString"]);
    }

    public static TheoryData<string, string, string> OffendingInputFields() => new()
    {
        // message (destination: Destination unless it says region), the input field the error should name
        { """{"type":"page","userId":"u2","name":{"toString":"x"}}""", Destination, "name" },
        { """{"type":"page","userId":"u2","name":{"toHTML":1}}""", Destination, "name" },
        { """{"type":"identify","userId":"u2","traits":{"firstName":{"toString":1},"lastName":"B"}}""", Destination, "firstName" },
        { """{"type":"track","event":"x","userId":"u2"}""", """{"ID":"d1","Config":{"accountId":"acc","passcode":"pc","trackAnonymous":true,"region":{"toString":"in1"}}}""", "Config.region" },
        { """{"type":"track","event":"Order Completed","userId":"u2","properties":{"products":"abc"}}""", Destination, "products" },
    };

    [Theory]
    [MemberData(nameof(OffendingInputFields))]
    public void D1_error_messages_name_the_offending_input_field(string message, string destination, string field)
    {
        var entry = Parse(Assert.Single(Alone(Item(message, BadMetadata, destination))));
        string error = entry.GetProperty("error").GetString()!;
        Assert.Contains(field, error);
        Assert.DoesNotContain("{{", error);
    }

    [Theory]
    [InlineData("page", """{"toHTML":1}""")]
    [InlineData("page", """{"toHTML":"<b>"}""")]
    [InlineData("screen", """{"toHTML":true,"a":1}""")]
    public void D1_a_page_name_object_with_a_truthy_toHTML_fails_only_its_item(string type, string name)
    {
        var entry = ProcessorWithNeighbours(Item($$$"""{"type":"{{{type}}}","userId":"u2","name":{{{name}}}}""", BadMetadata));
        AssertProcessorError(entry, BadMetadata, "instrumentation", ["toHTML"]);
    }

    [Fact]
    public void A_page_name_object_with_a_falsy_toHTML_is_rendered_as_object_object()
    {
        var entry = Parse(Assert.Single(Alone(Item("""{"type":"page","userId":"u2","name":{"toHTML":0}}""", BadMetadata))));
        Assert.Equal("Web Page Viewed: [object Object]", entry.GetProperty("output").GetProperty("body").GetProperty("JSON").GetProperty("d")[0].GetProperty("evtName").GetString());
    }

    [Theory]
    [InlineData("""{"ID":"d1"}""")]
    [InlineData("""{"ID":"d1","Config":null}""")]
    [InlineData("null")]
    public void D1_a_missing_destination_config_is_a_configuration_error_of_its_item_only(string destination)
    {
        var entry = ProcessorWithNeighbours(Item("""{"type":"track","event":"x","userId":"u2"}""", BadMetadata, destination));
        AssertProcessorError(entry, BadMetadata, "configuration", ["Config"]);
    }

    [Fact]
    public void D1_an_item_without_destination_is_a_configuration_error_of_its_item_only()
    {
        var entry = ProcessorWithNeighbours($$$"""{"message":{"type":"track","event":"x","userId":"u2"},"metadata":{{{BadMetadata}}}}""");
        AssertProcessorError(entry, BadMetadata, "configuration", ["Config"]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"input":[]}""")]
    [InlineData("\"[]\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("")]
    [InlineData("[{\"message\":")]
    public void D1_a_processor_body_that_is_not_an_array_is_http_400_with_an_error(string body)
    {
        var (status, answer) = Processor(body);
        Assert.Equal(400, status);
        var json = Parse(answer);
        Assert.Equal(["error"], json.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("error").GetString()));
    }

    [Fact]
    public void D1_a_compacted_request_lacking_the_destination_of_one_input_fails_that_input_alone()
    {
        string body = $$$"""
            {"input":[
              {"message":{"type":"track","event":"a","userId":"u1"},"metadata":{{{GoodAMetadata}}}},
              {"message":{"type":"track","event":"b","userId":"u2"},"metadata":{"jobId":2,"destinationId":"d9","workspaceId":"w1","sourceId":"s1"}},
              {"message":{"type":"track","event":"c","userId":"u3"},"metadata":{{{GoodBMetadata}}}}],
             "destinations":{"d1":{{{Destination}}}},"connections":{}}
            """;
        var (status, answer) = Processor(body, compacted: true);
        Assert.Equal(200, status);
        var entries = Parse(answer).EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        AssertSameJson(Alone(Item("""{"type":"track","event":"a","userId":"u1"}""", GoodAMetadata)).Single(), entries[0].GetRawText(), "first input");
        AssertSameJson(Alone(Item("""{"type":"track","event":"c","userId":"u3"}""", GoodBMetadata)).Single(), entries[2].GetRawText(), "third input");
        AssertProcessorError(entries[1], """{"jobId":2,"destinationId":"d9","workspaceId":"w1","sourceId":"s1"}""", "configuration", ["Config"]);
    }

    // ------------------------------------------------------------------ D1: router

    public static TheoryData<string, string, string, string, string> RouterD1Cases() => new()
    {
        // name, message, destination, errorType, mention
        { "type number", """{"type":5,"userId":"u2"}""", Destination, "instrumentation", "type must be a string" },
        { "type object", """{"type":{"t":"track"},"userId":"u2"}""", Destination, "instrumentation", "type must be a string" },
        { "os name", """{"type":"identify","anonymousId":"a2","userId":"u2","context":{"os":{"name":7},"device":{"token":"t"}}}""", ObjectIdDestination, "instrumentation", "context.os.name" },
        { "products", """{"type":"track","event":"order completed","userId":"u2","properties":{"products":"abc"}}""", Destination, "instrumentation", "not valid JSON" },
        { "own toString", """{"type":"page","userId":"u2","event":{"toString":1}}""", Destination, "instrumentation", "toString" },
        { "toHTML", """{"type":"page","userId":"u2","name":{"toHTML":1}}""", Destination, "instrumentation", "toHTML" },
        { "missing Config", """{"type":"track","event":"x","userId":"u2"}""", """{"ID":"d1"}""", "configuration", "Config" },
    };

    [Theory]
    [MemberData(nameof(RouterD1Cases))]
    public void D1_a_router_input_that_breaks_javascript_fails_alone_and_the_others_batch(string name, string message, string destination, string errorType, string mention)
    {
        _ = name;
        var entry = RouterWithNeighbours(Item(message, BadMetadata, destination));
        AssertRouterError(entry, BadMetadata, destination, errorType, [mention], idsFrom: Parse(GoodAMetadata));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"input\":[]}]")]
    [InlineData("\"CLEVERTAP\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("{\"input\":[")]
    public void D1_a_router_body_that_is_not_an_object_is_http_400_with_an_error(string body)
    {
        var (status, answer) = Router(body);
        Assert.Equal(400, status);
        var json = Parse(answer);
        Assert.Equal(["error"], json.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("""{"destType":"CLEVERTAP"}""")]
    [InlineData("""{"input":null,"destType":"CLEVERTAP"}""")]
    [InlineData("""{"input":{},"destType":"CLEVERTAP"}""")]
    [InlineData("""{"input":"abc","destType":"CLEVERTAP"}""")]
    [InlineData("""{"input":[],"destType":"CLEVERTAP"}""")]
    public void D1_a_router_input_missing_not_an_array_or_empty_keeps_the_invalid_event_array_answer(string body)
    {
        var (status, answer) = Router(body);
        Assert.Equal(200, status);
        AssertSameJson("""{"output":[{"metadata":[{"destType":"CLEVERTAP"}],"batched":false,"statusCode":400,"error":"Invalid event array"}]}""", answer, "spec §10.3");
    }

    [Fact]
    public void D1_a_router_input_without_metadata_gets_its_own_400_entry_with_empty_metadata()
    {
        string bad = $$$"""{"message":{"type":"track","event":"x","userId":"u2"},"destination":{{{Destination}}}}""";
        var entry = RouterWithNeighbours(bad);
        AssertRouterError(entry, metadata: null, Destination, "instrumentation", ["metadata"], idsFrom: Parse(GoodAMetadata));
    }

    [Theory]
    [InlineData("""{"JSON":{"x":1}}""")]
    [InlineData("""{"JSON":{"d":null}}""")]
    [InlineData("""{"JSON":{}}""")]
    public void D1_a_pre_transformed_router_input_with_body_json_but_no_d_fails_alone(string body)
    {
        string bad = Item($$$"""{"statusCode":200,"body":{{{body}}}}""", BadMetadata);
        var entry = RouterWithNeighbours(bad);
        AssertRouterError(entry, BadMetadata, Destination, "instrumentation", ["d"], idsFrom: Parse(GoodAMetadata));
    }

    [Fact]
    public void A_pre_transformed_router_input_with_records_joins_the_batch_with_its_first_record()
    {
        string passThrough = Item("""{"statusCode":200,"body":{"JSON":{"d":[{"r":1},{"r":2}]}}}""", BadMetadata);
        var (status, body) = Router(RouterBody(GoodA, passThrough));
        Assert.Equal(200, status);
        var batch = Assert.Single(Parse(body).GetProperty("output").EnumerateArray());
        var d = batch.GetProperty("batchedRequest").GetProperty("body").GetProperty("JSON").GetProperty("d");
        Assert.Equal(2, d.GetArrayLength());
        AssertSameJson("""{"r":1}""", d[1].GetRawText(), "only d[0] of a pass-through");
    }

    [Fact]
    public void D1_a_compacted_router_request_lacking_the_destination_of_one_input_fails_that_input_alone()
    {
        string missing = """{"jobId":2,"destinationId":"d9","workspaceId":"w1","sourceId":"s1"}""";
        string body = $$$"""
            {"input":[
              {"message":{"type":"track","event":"a","userId":"u1"},"metadata":{{{GoodAMetadata}}}},
              {"message":{"type":"track","event":"b","userId":"u2"},"metadata":{{{missing}}}},
              {"message":{"type":"track","event":"c","userId":"u3"},"metadata":{{{GoodBMetadata}}}}],
             "destinations":{"d1":{{{Destination}}}},"connections":{},"destType":"CLEVERTAP"}
            """;
        var (status, answer) = Router(body, compacted: true);
        Assert.Equal(200, status);
        var output = Parse(answer).GetProperty("output").EnumerateArray().ToList();
        Assert.Equal(2, output.Count);
        var batch = output.Single(e => e.TryGetProperty("batchedRequest", out _));
        Assert.Equal([1, 3], batch.GetProperty("metadata").EnumerateArray().Select(m => m.GetProperty("jobId").GetInt32()).ToArray());
        var error = output.Single(e => !e.TryGetProperty("batchedRequest", out _));
        Assert.Equal(400, error.GetProperty("statusCode").GetInt32());
        AssertSameJson("[" + missing + "]", error.GetProperty("metadata").GetRawText(), "metadata is unchanged");
        Assert.Contains("Config", error.GetProperty("error").GetString());
        AssertStatTags(error.GetProperty("statTags"), "configuration", "router", Parse(missing));
    }

    // ------------------------------------------------------------------ D6

    private const string ProtoError = "Object contains forbidden prototype property";

    /// <summary>Metadata with ids of its own, so the statTags show they come from the refused item.</summary>
    private const string ProtoMetadata = """{"jobId":2,"destinationId":"dX","workspaceId":"wX"}""";

    public static TheoryData<string, string, string> ProtoItems() => new()
    {
        // name, item, its metadata (as it must come back)
        { "in message", Item("""{"type":"track","event":"x","userId":"u2","__proto__":{"admin":true}}""", ProtoMetadata), ProtoMetadata },
        { "in properties", Item("""{"type":"track","event":"x","userId":"u2","properties":{"__proto__":{"polluted":1}}}""", ProtoMetadata), ProtoMetadata },
        { "in destination", Item("""{"type":"track","event":"x","userId":"u2"}""", ProtoMetadata, """{"ID":"d1","Config":{"accountId":"acc","passcode":"pc","trackAnonymous":true,"__proto__":{"region":"evil"}}}"""), ProtoMetadata },
        { "in metadata", Item("""{"type":"track","event":"x","userId":"u2"}""", """{"jobId":2,"destinationId":"dX","workspaceId":"wX","__proto__":{}}"""), """{"jobId":2,"destinationId":"dX","workspaceId":"wX","__proto__":{}}""" },
        { "nested deep", Item("""{"type":"identify","userId":"u2","traits":{"a":[1,{"b":[[{"c":{"__proto__":null}}]]}]}}""", ProtoMetadata), ProtoMetadata },
        { "escaped \\u005f", Item("""{"type":"track","event":"x","userId":"u2","properties":{"\u005f_proto__":1}}""", ProtoMetadata), ProtoMetadata },
        { "escaped \\u006f", Item("""{"type":"track","event":"x","userId":"u2","properties":{"__pr\u006fto__":"x"}}""", ProtoMetadata), ProtoMetadata },
        { "fully escaped", Item("""{"type":"track","event":"x","userId":"u2","context":{"\u005f\u005f\u0070\u0072\u006f\u0074\u006f\u005f\u005f":[]}}""", ProtoMetadata), ProtoMetadata },
        { "elsewhere in the item", $$$"""{"message":{"type":"track","event":"x","userId":"u2"},"metadata":{{{ProtoMetadata}}},"destination":{{{Destination}}},"libraries":[{"__proto__":1}]}""", ProtoMetadata },
        { "item top level", $$$"""{"message":{"type":"track","event":"x","userId":"u2"},"metadata":{{{ProtoMetadata}}},"destination":{{{Destination}}},"__proto__":{}}""", ProtoMetadata },
        { "in an otherwise broken message", Item("""{"type":5,"__proto__":1}""", ProtoMetadata), ProtoMetadata },
        { "last of two duplicates", Item("""{"type":"track","event":"x","userId":"u2","properties":{"__proto__":{"a":1},"__proto__":5}}""", ProtoMetadata), ProtoMetadata },
    };

    [Theory]
    [MemberData(nameof(ProtoItems))]
    public void D6_a_proto_key_fails_only_its_processor_item(string name, string item, string metadata)
    {
        _ = name;
        var entry = ProcessorWithNeighbours(item);
        AssertProcessorError(entry, metadata, "instrumentation", [], exactError: ProtoError);
    }

    [Fact]
    public void D6_an_item_without_metadata_gets_the_d6_entry_without_ids()
    {
        var (status, body) = Processor($$$$"""[{"message":{"type":"track","event":"x","userId":"u2","properties":{"__proto__":1}}},{{{{GoodA}}}}]""");
        Assert.Equal(200, status);
        var entries = Parse(body).EnumerateArray().ToList();
        Assert.Equal(ProtoError, entries[0].GetProperty("error").GetString());
        Assert.False(entries[0].TryGetProperty("metadata", out _));
        AssertStatTags(entries[0].GetProperty("statTags"), "instrumentation", "processor", default);
        Assert.Equal(200, entries[1].GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public void D6_several_refused_items_each_fail_alone()
    {
        string p1 = Item("""{"type":"track","event":"x","userId":"u2","properties":{"__proto__":1}}""", """{"jobId":10,"destinationId":"dA","workspaceId":"wA"}""");
        string p2 = Item("""{"type":"identify","userId":"u2","traits":{"__proto__":1}}""", """{"jobId":11,"destinationId":"dB","workspaceId":"wB"}""");
        var (status, body) = Processor($"[{p1},{GoodA},{p2},{GoodB}]");
        Assert.Equal(200, status);
        var entries = Parse(body).EnumerateArray().ToList();
        Assert.Equal(4, entries.Count);
        AssertProcessorError(entries[0], """{"jobId":10,"destinationId":"dA","workspaceId":"wA"}""", "instrumentation", [], ProtoError);
        AssertSameJson(Alone(GoodA).Single(), entries[1].GetRawText(), "good item");
        AssertProcessorError(entries[2], """{"jobId":11,"destinationId":"dB","workspaceId":"wB"}""", "instrumentation", [], ProtoError);
        AssertSameJson(Alone(GoodB).Single(), entries[3].GetRawText(), "good item");
    }

    [Theory]
    [MemberData(nameof(ProtoItems))]
    public void D6_a_proto_key_fails_only_its_router_input_which_joins_no_batch(string name, string item, string metadata)
    {
        _ = name;
        var entry = RouterWithNeighbours(item);
        string destination = Parse(item).TryGetProperty("destination", out var d) ? d.GetRawText() : "null";
        AssertRouterError(entry, metadata, destination, "instrumentation", [], idsFrom: Parse(metadata), exactError: ProtoError);
    }

    [Fact]
    public void D6_a_refused_router_input_carries_its_own_destination_even_when_it_differs_from_its_group()
    {
        // Same destination ID and Config as the good inputs' group, but a different Name: the entry shows its own.
        string own = """{"ID":"d1","Name":"other name","Config":{"accountId":"acc","passcode":"pc","trackAnonymous":true}}""";
        string bad = Item("""{"type":"track","event":"x","userId":"u2","properties":{"__proto__":1}}""", ProtoMetadata, own);
        var entry = RouterWithNeighbours(bad);
        AssertRouterError(entry, ProtoMetadata, own, "instrumentation", [], idsFrom: Parse(ProtoMetadata), exactError: ProtoError);
    }

    [Theory]
    [InlineData("""{"input":[@A],"destType":"CLEVERTAP","__proto__":{"x":1}}""")]
    [InlineData("""{"__proto__":null,"input":[@A],"destType":"CLEVERTAP"}""")]
    [InlineData("""{"input":[@A],"destType":"CLEVERTAP","\u005f_proto__":1}""")]
    [InlineData("""{"input":[@A],"destType":"CLEVERTAP","request":{"query":{"__proto__":"x"}}}""")]
    public void D6_a_proto_key_at_the_top_level_of_a_router_body_refuses_the_whole_request(string body)
    {
        var (status, answer) = Router(body.Replace("@A", GoodA));
        Assert.Equal(400, status);
        AssertSameJson($$$"""{"error":"{{{ProtoError}}}"}""", answer, "whole request refused");
    }

    [Theory]
    [InlineData("""{"input":[@A],"destinations":{"d1":@D},"connections":{},"__proto__":{}}""")]
    [InlineData("""{"input":[@A],"destinations":{"d1":@D},"connections":{},"\u005f_proto__":1}""")]
    [InlineData("""{"input":[@A],"destinations":{"d1":@D},"connections":{},"extra":{"deep":[{"__proto__":null}]}}""")]
    public void D6_a_proto_key_at_the_top_level_of_a_compacted_processor_body_refuses_the_whole_request(string body)
    {
        string a = $$$"""{"message":{"type":"track","event":"a","userId":"u1"},"metadata":{{{GoodAMetadata}}}}""";
        var (status, answer) = Processor(body.Replace("@A", a).Replace("@D", Destination), compacted: true);
        Assert.Equal(400, status);
        AssertSameJson($$$"""{"error":"{{{ProtoError}}}"}""", answer, "whole request refused");
    }

    [Fact]
    public void D6_a_proto_key_in_one_compacted_item_or_in_the_destination_it_is_completed_with_fails_only_those()
    {
        string refusedDestination = """{"ID":"d2","Config":{"accountId":"a","passcode":"p","__proto__":{}}}""";
        string body = $$$$"""
            {"input":[
              {"message":{"type":"track","event":"a","userId":"u1"},"metadata":{{{{GoodAMetadata}}}}},
              {"message":{"type":"track","event":"b","userId":"u2","properties":{"__proto__":{}}},"metadata":{"jobId":2,"destinationId":"d1","workspaceId":"w1"}},
              {"message":{"type":"track","event":"c","userId":"u3"},"metadata":{"jobId":4,"destinationId":"d2","workspaceId":"w2"}},
              {"message":{"type":"track","event":"d","userId":"u4"},"metadata":{{{{GoodBMetadata}}}}}],
             "destinations":{"d1":{{{{Destination}}}},"d2":{{{{refusedDestination}}}}},"connections":{}}
            """;
        var (status, answer) = Processor(body, compacted: true);
        Assert.Equal(200, status);
        var entries = Parse(answer).EnumerateArray().ToList();
        Assert.Equal([200, 400, 400, 200], entries.Select(e => e.GetProperty("statusCode").GetInt32()).ToArray());
        AssertProcessorError(entries[1], """{"jobId":2,"destinationId":"d1","workspaceId":"w1"}""", "instrumentation", [], ProtoError);
        AssertProcessorError(entries[2], """{"jobId":4,"destinationId":"d2","workspaceId":"w2"}""", "instrumentation", [], ProtoError);
    }

    [Theory]
    [InlineData("""{"x":{"__proto__":{"a":1}},"x":5}""", """{"x":5}""")]
    [InlineData("""{"x":[{"y":{"__proto__":1}}],"x":"kept"}""", """{"x":"kept"}""")]
    [InlineData("""{"x":{"__pr\u006fto__":1},"x":{"ok":true}}""", """{"x":"{\"ok\":true}"}""")]
    public void D6_a_proto_key_only_inside_a_value_replaced_by_a_repeated_key_is_not_refused(string properties, string evtData)
    {
        string item = Item($$$"""{"type":"track","event":"x","userId":"u2","properties":{{{properties}}}}""", ProtoMetadata);
        var (status, body) = Processor($"[{item}]");
        Assert.Equal(200, status);
        var entry = Parse(body)[0];
        Assert.Equal(200, entry.GetProperty("statusCode").GetInt32());
        AssertSameJson(evtData, entry.GetProperty("output").GetProperty("body").GetProperty("JSON").GetProperty("d")[0].GetProperty("evtData").GetRawText(), "evtData");

        var (routed, routerBody) = Router(RouterBody(item));
        Assert.Equal(200, routed);
        Assert.Equal(200, Parse(routerBody).GetProperty("output")[0].GetProperty("statusCode").GetInt32());
    }

    [Theory]
    [InlineData("""{"k":"__proto__"}""")]
    [InlineData("""{"__proto":1,"_proto__":2,"__PROTO__":3,"proto":4}""")]
    [InlineData("""{"constructor":{"prototype":{"x":1}},"prototype":1}""")]
    public void Keys_that_are_not_exactly_proto_are_ordinary_input(string properties)
    {
        var (status, body) = Processor($"[{Item($$$"""{"type":"track","event":"x","userId":"u2","properties":{{{properties}}}}""", ProtoMetadata)}]");
        Assert.Equal(200, status);
        Assert.Equal(200, Parse(body)[0].GetProperty("statusCode").GetInt32());
    }

    // ------------------------------------------------------------------ D2

    /// <summary>Date strings without offset and V8 legacy forms, read as UTC (spec §6.4, dates.md, dates.jsonl).</summary>
    public static TheoryData<string, long> UtcDates() => new()
    {
        { "2021-03-10T11:59:22", 1615377562 },            // ISO without offset: UTC, not server local time
        { "2019-10-14T09:03:17", 1571043797 },
        { "2019-10-14T09:03:17.123", 1571043797 },
        { "2019-10-14T09:03", 1571043780 },
        { "2019-10-14 09:03:17", 1571043797 },            // legacy: space instead of T
        { "10/14/2019", 1571011200 },
        { "Oct 14 2019", 1571011200 },
        { "March 10, 2021", 1615334400 },
        { "2021/03/10", 1615334400 },
        { "14 Oct 2019 10:00 GMT+0530", 1571027400 },
        { "Wed, 10 Mar 2021 11:59:22 GMT", 1615377562 },
        { "0", 946684800 },                              // legacy lone number: year 2000, UTC
        { "-0", 946684800 },
        { "2021-03-10T11:59:22.080+05:30", 1615357762 },
        { "1969-12-31T23:59:59.500Z", -1 },               // floor, not truncation
    };

    [Theory]
    [MemberData(nameof(UtcDates))]
    public void D2_date_strings_are_read_in_utc_for_identify_alias_and_track(string date, long unix)
    {
        string ts = JsonSerializer.Serialize(date);
        string[] messages =
        [
            $$$"""{"type":"identify","userId":"u2","traits":{"ts":{{{ts}}}}}""",
            $$$$"""{"type":"alias","userId":"u2","previousId":"p","context":{"traits":{"ts":{{{{ts}}}}}}}""",
            $$$"""{"type":"track","event":"x","userId":"u2","properties":{"ts":{{{ts}}}}}""",
            $$$"""{"type":"track","event":"Order Completed","userId":"u2","properties":{"ts":{{{ts}}},"products":[{"a":1}]}}""",
        ];
        foreach (string message in messages)
        {
            var entry = Parse(Assert.Single(Alone(Item(message, ProtoMetadata))));
            Assert.True(entry.GetProperty("statusCode").GetInt32() == 200, entry.GetRawText());
            var record = entry.GetProperty("output").GetProperty("body").GetProperty("JSON").GetProperty("d")[0];
            Assert.True(record.GetProperty("ts").GetInt64() == unix, $"{message}: expected ts {unix}, got {record.GetProperty("ts").GetRawText()}");
        }
    }

    [Theory]
    [InlineData("""["2021-03-10"]""", "1615334400")]
    [InlineData("""["10/14/2019"]""", "1571011200")]
    [InlineData("\"garbage\"", "null")]
    [InlineData("\"0.0\"", "null")]
    [InlineData("{}", "null")]
    public void D2_other_ts_values_follow_string_conversion_then_utc_parsing(string ts, string expected)
    {
        var entry = Parse(Assert.Single(Alone(Item($$$"""{"type":"track","event":"x","userId":"u2","properties":{"ts":{{{ts}}}}}""", ProtoMetadata))));
        var record = entry.GetProperty("output").GetProperty("body").GetProperty("JSON").GetProperty("d")[0];
        Assert.Equal(expected, record.GetProperty("ts").GetRawText());
    }

    [Fact]
    public void D2_the_expected_dates_agree_with_dates_jsonl()
    {
        // Only the rows of these dates are parsed (the file also holds lone surrogates on purpose).
        string[] rows = File.ReadAllLines(SharedFiles.Path("spec/dates.jsonl"));
        int found = 0;
        foreach (var row in UtcDates())
        {
            string date = (string)row[0];
            string key = "{\"input\":\"" + date + "\",";
            string? line = rows.FirstOrDefault(r => r.StartsWith(key, StringComparison.Ordinal));
            if (line is null) continue;
            Assert.Equal((long)row[1], Parse(line).GetProperty("unix").GetInt64());
            found++;
        }
        Assert.True(found >= 14, $"only {found} of the dates are in dates.jsonl"); // all but the spec's own §6.4 example
    }
}
