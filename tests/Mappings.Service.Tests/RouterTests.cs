using System.Text;
using System.Text.Json.Nodes;
using Mappings.Runtime.Json;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>The router endpoint (spec §7, §10.3–10.4) over HTTP.</summary>
[Collection(ServiceCollection.Name)]
public sealed class RouterTests(ServiceFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Reference_router_vector_matches()
    {
        ReadOnlyMemory<byte> json = File.ReadAllBytes(SharedFiles.Path("conformance/reference/router/00-simple-router-tests.json"));
        var body = JsonSlices.At(json, "input", "request", "body")!.Value;
        var expected = JsonSlices.At(json, "output", "response", "body")!.Value;
        var answer = await Http.PostAsync(Client, "/routerTransform", body);
        Assert.Equal(200, answer.Status);
        Assert.Equal("2", answer.Header("apiVersion"));
        string? diff = RouterComparer.Compare(expected, answer.Body);
        Assert.True(diff is null, diff);
    }

    public static TheoryData<int> CorpusBatches()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < ConformanceCases.Load("conformance/corpus/router.jsonl").Count; i++) data.Add(i);
        return data;
    }

    [Fact]
    public void The_corpus_has_4_batches_one_at_the_record_limit()
    {
        var batches = ConformanceCases.Load("conformance/corpus/router.jsonl");
        Assert.Equal(4, batches.Count);
        // 998 tracks + an identify with its device token fill one batch to exactly 1,000 records.
        var records = batches.Select(b => JsonNode.Parse(b.Expected.Span)!["output"]!.AsArray()
            .Select(e => e!["batchedRequest"]?["body"]?["JSON"]?["d"]?.AsArray().Count ?? 0).DefaultIfEmpty(0).Max()).ToList();
        Assert.Contains(1000, records);
    }

    [Theory]
    [MemberData(nameof(CorpusBatches))]
    public async Task Corpus_batch_matches_over_http(int index)
    {
        var c = ConformanceCases.Load("conformance/corpus/router.jsonl")[index];
        var body = new ByteBuffer();
        body.Append("{\"input\":"u8);
        body.Append(c.Input.Span);
        body.Append(",\"destType\":\"CLEVERTAP\"}"u8);
        var answer = await Http.PostAsync(Client, "/routerTransform", body.WrittenMemory.ToArray());
        Assert.Equal(200, answer.Status);
        string? diff = RouterComparer.Compare(c.Expected, answer.Body);
        Assert.True(diff is null, $"{c}: {diff}");
    }

    [Fact]
    public async Task DestType_may_come_first_and_in_any_case()
    {
        var c = ConformanceCases.Load("conformance/corpus/router.jsonl")[1];
        var body = new ByteBuffer();
        body.Append("{\"destType\" : \"CleverTap\", \"input\":"u8);
        body.Append(c.Input.Span);
        body.Append("}"u8);
        var answer = await Http.PostAsync(Client, "/routerTransform", body.WrittenMemory.ToArray());
        Assert.Equal(200, answer.Status);
        Assert.Null(RouterComparer.Compare(c.Expected, answer.Body));
    }

    [Fact]
    public async Task Compacted_router_request_answers_as_the_plain_one()
    {
        // The 1,150-event batch (batch 2 holds JSON that JsonNode cannot write back, such as lone surrogates).
        var c = ConformanceCases.Load("conformance/corpus/router.jsonl")[3];
        var input = JsonNode.Parse(c.Input.Span)!.AsArray();
        var ids = new Dictionary<string, string>();
        var plain = new JsonArray();
        var compactInput = new JsonArray();
        var destinations = new JsonObject();
        int n = 0;
        foreach (var item in input)
        {
            var destination = item!["destination"]!.DeepClone();
            // One destination per id in the compacted map: equal destinations share an id.
            string key = destination.ToJsonString();
            if (!ids.TryGetValue(key, out string? id)) ids[key] = id = "dest-" + n++;
            destination["ID"] = id;
            var metadata = (item["metadata"] as JsonObject ?? new JsonObject()).DeepClone().AsObject();
            metadata["destinationId"] = id;
            metadata["sourceId"] = "src";
            var plainItem = item.DeepClone().AsObject();
            plainItem["destination"] = destination.DeepClone();
            plainItem["metadata"] = metadata.DeepClone();
            plain.Add(plainItem);
            compactInput.Add(new JsonObject { ["message"] = item["message"]?.DeepClone(), ["metadata"] = metadata.DeepClone() });
            destinations[id] = destination;
        }
        var plainBody = new JsonObject { ["input"] = plain, ["destType"] = "CLEVERTAP" };
        var compactBody = new JsonObject { ["input"] = compactInput, ["destinations"] = destinations, ["connections"] = new JsonObject(), ["destType"] = "CLEVERTAP" };

        var expected = await Http.PostAsync(Client, "/routerTransform", plainBody.ToJsonString());
        var answer = await Http.PostAsync(Client, "/routerTransform", compactBody.ToJsonString(), ("x-content-format", "json+compactedv1"));
        Assert.Equal(200, expected.Status);
        Assert.Equal(200, answer.Status);
        Assert.Null(RouterComparer.Compare(expected.Body, answer.Body));
        Assert.True(expected.Json["output"]!.AsArray().Count < input.Count, "inputs were batched");
    }

    [Theory]
    [InlineData("""{"destType":"CLEVERTAP"}""")]
    [InlineData("""{"input":[],"destType":"CLEVERTAP"}""")]
    [InlineData("""{"input":"nope","destType":"CLEVERTAP"}""")]
    [InlineData("""{"input":[],"destType":"amplitude"}""")]
    public async Task Missing_or_empty_input_is_the_invalid_event_array_answer(string body)
    {
        var answer = await Http.PostAsync(Client, "/routerTransform", body);
        Assert.Equal(200, answer.Status);
        var entry = answer.Json["output"]![0]!;
        Assert.Equal("Invalid event array", entry["error"]!.GetValue<string>());
        Assert.Equal(400, entry["statusCode"]!.GetValue<int>());
        Assert.Equal(JsonNode.Parse(body)!["destType"]!.GetValue<string>(), entry["metadata"]![0]!["destType"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"input":[{"message":{}}],"destType":"amplitude"}""", "amplitude")]
    [InlineData("""{"destType":"am","input":[{"message":{}}],"x":1}""", "am")]
    [InlineData("""{"input":[{"message":{}}]}""", "undefined")]
    [InlineData("""{"destType":[1,[2,null],"a"],"input":[{"message":{}}],"x":1}""", "1,2,,a")]
    [InlineData("""{"input":[{"message":{}}],"destType":1e2}""", "100")]
    public async Task Unknown_destType_is_404(string body, string name)
    {
        var answer = await Http.PostAsync(Client, "/routerTransform", body);
        Assert.Equal(404, answer.Status);
        Assert.Equal("Unknown destination: " + name, answer.Json["error"]!.GetValue<string>());

        // /batch names it the same way (JavaScript's String of the value).
        var batch = await Http.PostAsync(Client, "/batch", body);
        Assert.Equal(answer.Text, batch.Text);
    }

    [Fact]
    public async Task Passthrough_inputs_keep_their_metadata_under_dynamic_config()
    {
        string destination = """{"ID":"d3","Config":{"accountId":"{{ message.traits.account || \"acc3\" }}","passcode":"p3"}}""";
        string body = """
            {"input":[
              {"message":{"statusCode":200},"destination":@D,"metadata":{"jobId":1}},
              {"message":{"statusCode":200,"body":{"JSON":{}}},"destination":@D,"metadata":{"jobId":2}}],
             "destType":"CLEVERTAP"}
            """.Replace("@D", destination);
        var answer = await Http.PostAsync(Client, "/routerTransform", body);
        Assert.Equal(200, answer.Status);
        var output = answer.Json["output"]!.AsArray();
        Assert.Equal(1, output.Single(e => e!["batchedRequest"] is not null)!["metadata"]![0]!["jobId"]!.GetValue<int>());
        Assert.Equal(2, output.Single(e => e!["batchedRequest"] is null)!["metadata"]![0]!["jobId"]!.GetValue<int>());
    }

    // ------------------------------------------------------------------ property: every job answered once

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 1; seed <= 30; seed++) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Every_input_job_appears_in_exactly_one_output_entry(int seed)
    {
        var batch = RandomRouterBatch.Generate(seed);
        var answer = await Http.PostAsync(Client, "/routerTransform", batch.Body, batch.Compacted ? [("x-content-format", "json+compactedv1")] : []);
        Assert.Equal(200, answer.Status);

        var seen = new Dictionary<long, int>();
        int emptyMetadataEntries = 0;
        foreach (var entry in answer.Json["output"]!.AsArray())
        {
            var metadata = entry!["metadata"]!.AsArray();
            if (metadata.Count == 0) emptyMetadataEntries++;
            foreach (var m in metadata)
            {
                long jobId = m!["jobId"]!.GetValue<long>();
                seen[jobId] = seen.GetValueOrDefault(jobId) + 1;
            }
            var records = entry["batchedRequest"]?["body"]?["JSON"]?["d"]?.AsArray();
            if (records is not null) Assert.InRange(records.Count, 1, 1000);
            int status = entry["statusCode"]!.GetValue<int>();
            if (status != 200)
            {
                Assert.InRange(status, 400, 499); // D1: bad input never fails with 500 here
                Assert.False(string.IsNullOrEmpty(entry["error"]!.GetValue<string>()));
            }
        }
        foreach (long jobId in batch.JobIds)
        {
            Assert.True(seen.TryGetValue(jobId, out int count), $"seed {seed}: job {jobId} is missing from the output");
            Assert.True(count == 1, $"seed {seed}: job {jobId} appears {count} times");
        }
        Assert.Equal(batch.JobIds.Count, seen.Count);
        Assert.Equal(batch.InputsWithoutMetadata, emptyMetadataEntries);
    }
}

/// <summary>
/// Random router batches: several destinations (same id with other configs, dynamic config,
/// <c>hasDynamicConfig: false</c>, no Config), valid and invalid events, identify with device
/// token, already-transformed passthroughs (some malformed), <c>__proto__</c> items, inputs
/// without metadata, sometimes in the compacted format.
/// </summary>
internal static class RandomRouterBatch
{
    public sealed record Batch(byte[] Body, bool Compacted, IReadOnlyList<long> JobIds, int InputsWithoutMetadata);

    private static readonly string[] Destinations =
    [
        """{"ID":"d1","Config":{"accountId":"acc1","passcode":"p1","trackAnonymous":true,"enableObjectIdMapping":true}}""",
        """{"ID":"d1","Config":{"accountId":"acc1b","passcode":"p1","trackAnonymous":true}}""",
        """{"ID":"d2","Config":{"accountId":"acc2","passcode":"p2","region":"in1"},"hasDynamicConfig":false}""",
        """{"ID":"d2","Config":{"accountId":"acc2-other","passcode":"p2"},"hasDynamicConfig":false}""",
        """{"ID":"d3","Config":{"accountId":"{{ message.traits.account || \"acc3\" }}","passcode":"p3","trackAnonymous":true}}""",
        """{"ID":"d4"}""",
    ];

    private static readonly string[] Messages =
    [
        """{"type":"identify","userId":"u1","anonymousId":"a1","traits":{"email":"x@y.z","name":"N","account":"dyn"},"context":{"os":{"name":"Android"},"device":{"id":"dev1","token":"tok1"}}}""",
        """{"type":"identify","anonymousId":"a2","traits":{"phone":"123"}}""",
        """{"type":"track","event":"Clicked","userId":"u2","properties":{"a":1,"b":"two"}}""",
        """{"type":"track","event":"Order Completed","userId":"u3","properties":{"revenue":10,"products":[{"id":"p","price":1}]}}""",
        """{"type":"track","event":"Anon","anonymousId":"a3"}""",
        """{"type":"page","name":"Home","userId":"u4"}""",
        """{"type":"screen","name":"Main","anonymousId":"a5"}""",
        """{"type":"alias","userId":"u6","previousId":"u5"}""",
        """{"type":"group","userId":"u7"}""",
        """{"type":5,"userId":"u8"}""",
        """{"userId":"u9"}""",
        """{"type":"track","event":"Proto","userId":"u10","properties":{"__proto__":{"x":1}}}""",
        """{"type":"track","event":{"toString":"x"},"userId":"u11"}""",
        """{"statusCode":200,"body":{"JSON":{"d":[{"type":"event","evtName":"Pre","identity":"u12"}]}}}""",
        """{"statusCode":200,"body":{"JSON":{}}}""",
        """{"statusCode":200}""",
    ];

    public static Batch Generate(int seed)
    {
        var random = new Random(seed);
        int count = random.Next(1, 120);
        bool compacted = random.Next(4) == 0;
        var jobIds = new List<long>();
        int withoutMetadata = 0;
        var inputs = new JsonArray();
        var destinations = new JsonObject();
        for (int i = 0; i < count; i++)
        {
            long jobId = seed * 10_000L + i;
            int d = random.Next(Destinations.Length);
            var destination = JsonNode.Parse(Destinations[d])!;
            string destinationId = compacted ? $"dest-{d}" : destination["ID"]!.GetValue<string>();
            if (compacted)
            {
                destination["ID"] = destinationId;
                destinations[destinationId] = destination.DeepClone();
            }
            int m = random.Next(Messages.Length);
            var message = JsonNode.Parse(Messages[m])!;
            var item = new JsonObject { ["message"] = message };
            if (!compacted) item["destination"] = destination;
            bool hasMetadata = compacted || random.Next(25) != 0;
            if (hasMetadata)
            {
                item["metadata"] = new JsonObject { ["jobId"] = jobId, ["destinationId"] = destinationId, ["workspaceId"] = "w1", ["sourceId"] = "s1", ["userId"] = "u" };
                jobIds.Add(jobId);
            }
            else
            {
                withoutMetadata++;
            }
            if (!compacted && random.Next(10) == 0) item["context"] = new JsonObject { ["sources"] = new JsonObject { ["job_id"] = "job-" + random.Next(2) } };
            inputs.Add(item);
        }
        var body = new JsonObject { ["input"] = inputs, ["destType"] = random.Next(2) == 0 ? "CLEVERTAP" : "clevertap" };
        if (compacted)
        {
            body["destinations"] = destinations;
            body["connections"] = new JsonObject();
        }
        return new Batch(Encoding.UTF8.GetBytes(body.ToJsonString()), compacted, jobIds, withoutMetadata);
    }
}
