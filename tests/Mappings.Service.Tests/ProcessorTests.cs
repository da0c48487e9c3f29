using System.Text;
using System.Text.Json.Nodes;
using Mappings.Runtime.Json;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>The processor endpoint (spec §10.2) over HTTP: the reference's 29 vectors, the corpora, D4, compacted.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ProcessorTests(ServiceFixture fixture)
{
    private HttpClient Client => fixture.Client;

    public static TheoryData<string> ReferenceFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(SharedFiles.Path("conformance/reference/processor"), "*.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Fact]
    public void All_29_reference_vectors_are_present() =>
        Assert.Equal(29, Directory.GetFiles(SharedFiles.Path("conformance/reference/processor"), "*.json").Length);

    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public async Task Reference_vector_matches_over_http(string file)
    {
        ReadOnlyMemory<byte> json = File.ReadAllBytes(Path.Combine(SharedFiles.Path("conformance/reference/processor"), file));
        var body = JsonSlices.At(json, "input", "request", "body")!.Value;
        var expected = JsonSlices.At(json, "output", "response", "body")!.Value;
        int expectedStatus = int.Parse(Encoding.UTF8.GetString(JsonSlices.At(json, "output", "response", "status")!.Value.Span));

        var answer = await Http.PostAsync(Client, "/v0/destinations/clevertap", body);
        Assert.Equal(expectedStatus, answer.Status);
        Assert.Equal("2", answer.Header("apiVersion"));
        Assert.StartsWith("application/json", answer.Header("Content-Type"));
        string? diff = new JsonComparer().CompareProcessorEntries(expected.Span, answer.Body);
        Assert.True(diff is null, $"{file}\n{diff}\nactual: {answer.Text}");
    }

    [Theory]
    [InlineData("conformance/corpus/cases.jsonl")]
    [InlineData("conformance/foreign/cases.jsonl")]
    public async Task Corpus_in_one_request_matches(string corpus)
    {
        // All cases in one request: the inputs as raw bytes, the expected entries concatenated in order.
        var cases = ConformanceCases.Load(corpus);
        var body = new ByteBuffer();
        var expected = new ByteBuffer();
        body.Append((byte)'[');
        expected.Append((byte)'[');
        bool firstEntry = true;
        for (int i = 0; i < cases.Count; i++)
        {
            if (i > 0) body.Append((byte)',');
            body.Append(cases[i].Input.Span);
            var inner = cases[i].Expected.Span.Trim(" \n\r\t"u8);
            inner = inner[1..^1].Trim(" \n\r\t"u8);
            if (inner.Length == 0) continue;
            if (!firstEntry) expected.Append((byte)',');
            expected.Append(inner);
            firstEntry = false;
        }
        body.Append((byte)']');
        expected.Append((byte)']');

        var answer = await Http.PostAsync(Client, "/v0/destinations/clevertap", body.WrittenMemory.ToArray());
        Assert.Equal(200, answer.Status);
        string? diff = new JsonComparer().CompareProcessorEntries(expected.WrittenSpan, answer.Body);
        Assert.True(diff is null, $"{corpus}: {diff}");
    }

    [Fact]
    public async Task V1_answers_exactly_like_v0()
    {
        byte[] body = ReferenceBody("00-test-0.json");
        var v1First = await Http.PostAsync(Client, "/v1/destinations/clevertap", body);
        var v0 = await Http.PostAsync(Client, "/v0/destinations/clevertap", body);
        var v1 = await Http.PostAsync(Client, "/v1/destinations/clevertap", body);
        Assert.Equal(200, v0.Status);
        Assert.Equal(v0.Text, v1First.Text);
        Assert.Equal(v0.Text, v1.Text);
        Assert.Equal("2", v1.Header("apiVersion"));
    }

    [Theory]
    [InlineData("CLEVERTAP")]
    [InlineData("CleverTap")]
    [InlineData("%20clevertap%20")]
    public async Task Destination_name_is_matched_case_insensitively_after_trimming(string name)
    {
        byte[] body = ReferenceBody("00-test-0.json");
        var answer = await Http.PostAsync(Client, $"/v0/destinations/{name}", body);
        var expected = await Http.PostAsync(Client, "/v0/destinations/clevertap", body);
        Assert.Equal(200, answer.Status);
        Assert.Equal(expected.Text, answer.Text);
    }

    [Fact]
    public async Task Unknown_destination_is_404()
    {
        var answer = await Http.PostAsync(Client, "/v0/destinations/amplitude", "[]");
        Assert.Equal(404, answer.Status);
        Assert.Equal("""{"error":"Unknown destination: amplitude"}""", answer.Text);
        var proxy = await Http.PostAsync(Client, "/v1/destinations/amplitude/proxy", "{}");
        Assert.Equal(404, proxy.Status);
        Assert.Equal("""{"error":"Unknown destination: amplitude"}""", proxy.Text);
    }

    [Fact]
    public async Task Compacted_request_answers_as_the_plain_one()
    {
        // Every reference item, each with its own destination id, plain and compacted.
        var items = new JsonArray();
        var inputs = new JsonArray();
        var destinations = new JsonObject();
        int n = 0;
        foreach (string file in Directory.GetFiles(SharedFiles.Path("conformance/reference/processor"), "*.json").Select(f => Path.GetFileName(f)).OrderBy(f => f, StringComparer.Ordinal))
        {
            foreach (var item in JsonNode.Parse(ReferenceBody(file))!.AsArray())
            {
                string id = "dest-" + n++;
                var metadata = item!["metadata"] as JsonObject ?? new JsonObject();
                metadata["destinationId"] = id;
                metadata["sourceId"] = "src";
                item["metadata"] = metadata.DeepClone();
                items.Add(item.DeepClone());
                destinations[id] = item["destination"]?.DeepClone();
                inputs.Add(new JsonObject { ["message"] = item["message"]?.DeepClone(), ["metadata"] = metadata.DeepClone() });
            }
        }
        var compacted = new JsonObject { ["input"] = inputs, ["destinations"] = destinations, ["connections"] = new JsonObject() };

        var plain = await Http.PostAsync(Client, "/v0/destinations/clevertap", items.ToJsonString());
        var answer = await Http.PostAsync(Client, "/v0/destinations/clevertap", compacted.ToJsonString(), ("x-content-format", "json+compactedv1"));
        Assert.Equal(200, plain.Status);
        Assert.Equal(200, answer.Status);
        Assert.Equal(plain.Text, answer.Text);
    }

    [Fact]
    public async Task Compacted_item_without_its_destination_fails_alone()
    {
        string body = """
            {"input":[
              {"message":{"type":"track","event":"e","userId":"u"},"metadata":{"jobId":1,"destinationId":"d1","sourceId":"s"}},
              {"message":{"type":"track","event":"e","userId":"u"},"metadata":{"jobId":2,"destinationId":"missing","sourceId":"s"}}],
             "destinations":{"d1":{"ID":"d1","Config":{"accountId":"a","passcode":"p"}}},"connections":{}}
            """;
        var answer = await Http.PostAsync(Client, "/v0/destinations/clevertap", body, ("x-content-format", "json+compactedv1"));
        Assert.Equal(200, answer.Status);
        var entries = answer.Json.AsArray();
        Assert.Equal(2, entries.Count);
        Assert.Equal(200, entries[0]!["statusCode"]!.GetValue<int>());
        Assert.Equal(400, entries[1]!["statusCode"]!.GetValue<int>());
    }

    internal static byte[] ReferenceBody(string file)
    {
        ReadOnlyMemory<byte> json = File.ReadAllBytes(Path.Combine(SharedFiles.Path("conformance/reference/processor"), file));
        return JsonSlices.At(json, "input", "request", "body")!.Value.ToArray();
    }
}
