using System.Text;
using System.Text.Json;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Router;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// The bounds of the deliberate differences D7 (nesting, per item), D8 (one event's output) and
/// D11 (a whole answer): the item that passes a bound fails alone, every other item of the
/// request, body or file is answered as it is alone, and every job is answered exactly once.
/// </summary>
public sealed class BoundedInputOutputTests
{
    private const string Destination = """{"ID":"d1","Config":{"accountId":"acc","passcode":"pc","trackAnonymous":true,"enableObjectIdMapping":true}}""";

    private static string Item(int job, string message, string destination = Destination) =>
        $$$"""{"message":{{{message}}},"metadata":{"jobId":{{{job}}},"destinationId":"d1"},"destination":{{{destination}}}}""";

    private static string Good(int job) => Item(job, $$$"""{"type":"track","event":"Signed Up","userId":"u{{{job}}}","anonymousId":"a"}""");

    /// <summary>A value nested <paramref name="levels"/> deep: arrays inside arrays around a 1.</summary>
    private static string Nested(int levels) => new string('[', levels) + "1" + new string(']', levels);

    /// <summary>An item whose properties hold a value that makes the item nested exactly <paramref name="itemLevels"/> levels deep (item = level 1).</summary>
    private static string DeepItem(int job, int itemLevels) =>
        Item(job, $$$"""{"type":"track","event":"e","userId":"u","properties":{"x":{{{Nested(itemLevels - 3)}}}}}""");

    private static List<JsonElement> Processor(string body, out int status, long? maxEventOutput = null, long? maxResponse = null)
    {
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        if (maxEventOutput is { } e) transformer.MaxEventOutputBytes = e;
        if (maxResponse is { } r) transformer.MaxResponseBytes = r;
        var output = new ByteBuffer();
        status = transformer.TransformRequest(Encoding.UTF8.GetBytes(body), output);
        using var doc = JsonDocument.Parse(output.WrittenMemory, new JsonDocumentOptions { MaxDepth = 4000 });
        return doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().Select(x => x.Clone()).ToList() : [doc.RootElement.Clone()];
    }

    private static JsonElement Router(string body, out int status, long? maxEventOutput = null, long? maxResponse = null)
    {
        var transformer = new RouterTransformer(CleverTapMapper.Instance);
        if (maxEventOutput is { } e) transformer.MaxEventOutputBytes = e;
        if (maxResponse is { } r) transformer.MaxResponseBytes = r;
        var output = new ByteBuffer();
        status = transformer.Transform(Encoding.UTF8.GetBytes(body), output);
        using var doc = JsonDocument.Parse(output.WrittenMemory, new JsonDocumentOptions { MaxDepth = 4000 });
        return doc.RootElement.Clone();
    }

    private static string Alone(string item)
    {
        var entries = Processor("[" + item + "]", out int status);
        Assert.Equal(200, status);
        return string.Join(",", entries.Select(e => e.GetRawText()));
    }

    /// <summary>Sends good, bad, good; the good items come out as alone, the bad one's entry is returned.</summary>
    private static JsonElement BetweenGoodItems(string bad, long? maxEventOutput = null)
    {
        var entries = Processor($"[{Good(1)},{bad},{Good(3)}]", out int status, maxEventOutput);
        Assert.Equal(200, status);
        Assert.Equal(3, entries.Count);
        Assert.Equal(Alone(Good(1)), entries[0].GetRawText());
        Assert.Equal(Alone(Good(3)), entries[2].GetRawText());
        return entries[1];
    }

    private static void AssertFailedAlone(JsonElement entry, int job, string contains)
    {
        Assert.Equal(400, entry.GetProperty("statusCode").GetInt32());
        Assert.Contains(contains, entry.GetProperty("error").GetString());
        Assert.Equal(job, entry.GetProperty("metadata").GetProperty("jobId").GetInt32());
        Assert.Equal("dataValidation", entry.GetProperty("statTags").GetProperty("errorCategory").GetString());
    }

    // ------------------------------------------------------------------ D7

    [Fact]
    public void An_item_nested_1000_levels_deep_is_read()
    {
        var entry = BetweenGoodItems(DeepItem(2, 1000));
        Assert.Equal(200, entry.GetProperty("statusCode").GetInt32());
    }

    [Theory]
    [InlineData(1001)]
    [InlineData(5000)]
    public void An_item_nested_deeper_fails_alone(int levels) =>
        AssertFailedAlone(BetweenGoodItems(DeepItem(2, levels)), 2, "nested more than 1000 levels deep");

    [Fact]
    public void An_item_with_deep_metadata_is_still_answered_with_its_job()
    {
        string item = $$$"""{"message":{"type":"track","event":"e","userId":"u"},"metadata":{"jobId":2,"x":{{{Nested(1200)}}}},"destination":{{{Destination}}}}""";
        AssertFailedAlone(BetweenGoodItems(item), 2, "nested more than 1000 levels deep");
    }

    [Fact]
    public void One_item_alone_counts_its_levels_from_itself()
    {
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        foreach (var (levels, status) in new[] { (1000, 200), (1001, 400) })
        {
            var output = new ByteBuffer();
            transformer.TransformItem(Encoding.UTF8.GetBytes(DeepItem(2, levels)), output);
            using var doc = JsonDocument.Parse(output.WrittenMemory, new JsonDocumentOptions { MaxDepth = 4000 });
            Assert.Equal(status, doc.RootElement[0].GetProperty("statusCode").GetInt32());
        }
    }

    [Fact]
    public void A_deep_router_input_fails_alone_and_every_job_is_answered_once()
    {
        string body = $$$"""{"input":[{{{Good(1)}}},{{{DeepItem(2, 1500)}}},{{{Good(3)}}}],"destType":"CLEVERTAP"}""";
        var answer = Router(body, out int status);
        Assert.Equal(200, status);
        var jobs = answer.GetProperty("output").EnumerateArray()
            .SelectMany(e => e.GetProperty("metadata").EnumerateArray().Select(m => (m.GetProperty("jobId").GetInt32(), e.GetProperty("statusCode").GetInt32())))
            .OrderBy(j => j.Item1).ToList();
        Assert.Equal([(1, 200), (2, 400), (3, 200)], jobs);
    }

    /// <summary>Only the request's own structure, outside its items, fails a whole request.</summary>
    [Fact]
    public void Deep_structure_outside_the_items_fails_the_request()
    {
        Router($$$"""{"input":[{{{Good(1)}}}],"destType":"CLEVERTAP","x":{{{Nested(1100)}}}}""", out int router);
        Assert.Equal(400, router);
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        string compacted = """{"input":[{"message":{"type":"track","event":"e","userId":"u"},"metadata":{"jobId":1,"destinationId":"d1"}}],"destinations":{"d1":{"Config":{"x":""" + Nested(1100) + """}}},"connections":{}}""";
        var output = new ByteBuffer();
        Assert.Equal(400, transformer.TransformRequest(Encoding.UTF8.GetBytes(compacted), output, compacted: true));
        Assert.Contains("nested more than 1000 levels deep", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(1001, 0)]
    [InlineData(600, 450)]
    [InlineData(20, 990)]
    public void A_key_that_would_nest_the_output_too_deep_fails_the_item(int segments, int valueDepth)
    {
        string value = valueDepth == 0 ? "1" : Nested(valueDepth);
        string key = string.Join(".", Enumerable.Range(0, segments).Select(i => "k" + i));
        var entry = BetweenGoodItems(Item(2, $$$"""{"type":"identify","userId":"u","traits":{"{{{key}}}":{{{value}}}}}"""));
        AssertFailedAlone(entry, 2, "levels deep");
    }

    [Fact]
    public void A_key_with_many_parts_and_a_flat_value_is_written()
    {
        string key = string.Join(".", Enumerable.Range(0, 900).Select(i => "k" + i));
        var entry = BetweenGoodItems(Item(2, $$$"""{"type":"identify","userId":"u","traits":{"{{{key}}}":1}}"""));
        Assert.Equal(200, entry.GetProperty("statusCode").GetInt32());
    }

    // ------------------------------------------------------------------ D8

    [Fact]
    public void A_tiny_key_asking_for_a_huge_array_fails_alone()
    {
        var entry = BetweenGoodItems(Item(2, """{"type":"identify","userId":"u","traits":{"x.80000000":1}}"""));
        AssertFailedAlone(entry, 2, "larger than 64 MiB");
    }

    [Theory]
    [InlineData("""{"type":"identify","userId":"u","traits":{"x.4294967294":1}}""")]
    [InlineData("""{"type":"identify","userId":"u","traits":{"x.0":1,"x.length":4000000000}}""")]
    [InlineData("""{"type":"track","event":"Order Completed","userId":"u","properties":{"products":[{}],"p.90000000":1}}""")]
    public void Other_huge_outputs_fail_alone(string message) =>
        AssertFailedAlone(BetweenGoodItems(Item(2, message)), 2, "larger than 64 MiB");

    [Fact]
    public void The_limit_is_a_setting_and_covers_both_entries_of_an_identify_with_a_device_token()
    {
        string token = new('t', 3000);
        string identify = Item(2, $$$"""{"type":"identify","userId":"u","anonymousId":"a","context":{"os":{"name":"android"},"device":{"token":"{{{token}}}"}},"traits":{"email":"e@x"}}""");
        var alone = Processor("[" + identify + "]", out _);
        Assert.Equal(2, alone.Count);
        long both = Encoding.UTF8.GetByteCount(alone[0].GetRawText()) + Encoding.UTF8.GetByteCount(alone[1].GetRawText());
        // Room for either entry alone, not for both: the event fails, with one entry.
        var entry = BetweenGoodItems(identify, maxEventOutput: both - 100);
        AssertFailedAlone(entry, 2, "larger than");
        var fits = Processor($"[{Good(1)},{identify},{Good(3)}]", out _, maxEventOutput: both + 100);
        Assert.Equal([200, 200, 200, 200], fits.Select(f => f.GetProperty("statusCode").GetInt32()));
    }

    [Fact]
    public void A_huge_router_input_fails_alone()
    {
        string huge = Item(2, """{"type":"identify","userId":"u","traits":{"x.80000000":1}}""");
        var answer = Router($$$"""{"input":[{{{Good(1)}}},{{{huge}}},{{{Good(3)}}}],"destType":"CLEVERTAP"}""", out int status);
        Assert.Equal(200, status);
        var entries = answer.GetProperty("output").EnumerateArray().ToList();
        var failed = Assert.Single(entries, e => e.GetProperty("statusCode").GetInt32() == 400);
        Assert.Contains("larger than 64 MiB", failed.GetProperty("error").GetString());
        Assert.Equal(2, failed.GetProperty("metadata")[0].GetProperty("jobId").GetInt32());
        Assert.Equal([1, 2, 3], entries.SelectMany(e => e.GetProperty("metadata").EnumerateArray().Select(m => m.GetProperty("jobId").GetInt32())).Order());
    }

    // ------------------------------------------------------------------ D11

    [Fact]
    public void A_processor_request_whose_answer_cannot_fit_is_refused_before_mapping()
    {
        string body = "[" + string.Join(",", Enumerable.Repeat("{}", 1000)) + "]";
        var answer = Processor(body, out int status, maxResponse: 100_000);
        Assert.Equal(413, status);
        Assert.Contains("MAX_RESPONSE_MB", Assert.Single(answer).GetProperty("error").GetString());
        Assert.Equal(1000, Processor(body, out int fits, maxResponse: 1_000_000).Count);
        Assert.Equal(200, fits);
    }

    [Fact]
    public void A_router_body_whose_answer_cannot_fit_is_refused()
    {
        string body = """{"input":[""" + string.Join(",", Enumerable.Repeat("{}", 1000)) + """],"destType":"CLEVERTAP"}""";
        var answer = Router(body, out int status, maxResponse: 50_000);
        Assert.Equal(413, status);
        Assert.Contains("MAX_RESPONSE_MB", answer.GetProperty("error").GetString());
        Router(body, out int fits, maxResponse: 10_000_000);
        Assert.Equal(200, fits);
    }

    /// <summary>The caller bounds the answer's buffer: passing it while writing stops the transform (the service answers 413).</summary>
    [Fact]
    public void A_bounded_answer_buffer_stops_the_transform()
    {
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        var output = new ByteBuffer();
        output.SetLimit(20_000, OutputLimitKind.Response);
        string body = "[" + string.Join(",", Enumerable.Range(1, 200).Select(Good)) + "]";
        var e = Assert.Throws<OutputLimitException>(() => transformer.TransformRequest(Encoding.UTF8.GetBytes(body), output));
        Assert.Equal(OutputLimitKind.Response, e.Kind);
        Assert.True(output.Capacity <= 20_000 + 4096);
    }

    // ------------------------------------------------------------------ D6 in the compacted format

    [Fact]
    public void A_proto_key_of_the_compacted_maps_fails_the_request()
    {
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        foreach (string maps in new[]
        {
            """ "destinations":{"__proto__":{"Config":{}}},"connections":{} """,
            """ "destinations":{"d1":{"Config":{}}},"connections":{"__proto__":{}} """,
        })
        {
            string body = """{"input":[{"message":{"type":"track","event":"e","userId":"u"},"metadata":{"jobId":1,"destinationId":"d1"}}],""" + maps + "}";
            var output = new ByteBuffer();
            Assert.Equal(400, transformer.TransformRequest(Encoding.UTF8.GetBytes(body), output, compacted: true));
            Assert.Contains("forbidden prototype property", Encoding.UTF8.GetString(output.WrittenSpan));
        }
    }
}
