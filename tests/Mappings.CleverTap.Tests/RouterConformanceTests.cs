using Mappings.Generated;
using Mappings.Runtime.Json;
using Mappings.Runtime.Router;

namespace Mappings.CleverTap.Tests;

/// <summary>The router batches of the corpus and the reference's router vector, through the library API.</summary>
public sealed class RouterConformanceTests
{
    public static TheoryData<int> Batches()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < ConformanceCases.Load("conformance/corpus/router.jsonl").Count; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void Corpus_batch_matches_the_reference(int index)
    {
        var c = ConformanceCases.Load("conformance/corpus/router.jsonl")[index];
        // The request body is {"input": <input>, "destType": "CLEVERTAP"}.
        var body = new ByteBuffer();
        body.Append("{\"input\":"u8);
        body.Append(c.Input.Span);
        body.Append(",\"destType\":\"CLEVERTAP\"}"u8);
        var output = new ByteBuffer();
        int status = new RouterTransformer(CleverTapMapper.Instance).Transform(body.WrittenSpan, output);
        Assert.Equal(200, status);
        string? diff = RouterComparer.Compare(c.Expected, output.WrittenMemory.ToArray());
        Assert.True(diff is null, $"{c}: {diff}");
    }

    [Fact]
    public void Reference_router_vector_matches()
    {
        ReadOnlyMemory<byte> json = File.ReadAllBytes(SharedFiles.Path("conformance/reference/router/00-simple-router-tests.json"));
        var body = JsonSlices.At(json, "input", "request", "body")!.Value;
        var expected = JsonSlices.At(json, "output", "response", "body")!.Value;
        var output = new ByteBuffer();
        int status = new RouterTransformer(CleverTapMapper.Instance).Transform(body.Span, output);
        Assert.Equal(200, status);
        string? diff = RouterComparer.Compare(expected, output.WrittenMemory.ToArray());
        Assert.True(diff is null, diff);
    }
    /// <summary>
    /// Grouping (spec §10.4) by destination ID, the input's job (its top-level
    /// <c>context.sources.job_id</c>) and config: configs with the same text, and
    /// configs whose text differs but whose value is the same (key order, spacing), share a batch;
    /// another job or another config value does not.
    /// </summary>
    [Fact]
    public void Inputs_are_grouped_by_destination_job_and_config_value()
    {
        string Input(int jobId, string job, string config) =>
            "{\"message\":{\"type\":\"alias\",\"userId\":\"u" + jobId + "\",\"previousId\":\"p\"},\"context\":{\"sources\":{\"job_id\":\"" + job
            + "\"}},\"metadata\":{\"jobId\":" + jobId + "},\"destination\":{\"ID\":\"d1\",\"Config\":" + config + "}}";
        const string config = """{"accountId":"acc","passcode":"pc","region":"in1"}""";
        const string reordered = """{ "region":"in1", "passcode":"pc","accountId":"acc" }""";
        const string other = """{"accountId":"acc","passcode":"pc","region":"sg1"}""";
        string body = "{\"input\":[" + string.Join(",",
            Input(1, "j1", config), Input(2, "j2", config), Input(3, "j1", reordered), Input(4, "j1", config),
            Input(5, "j1", other), Input(6, "j2", reordered)) + "],\"destType\":\"CLEVERTAP\"}";

        var output = new ByteBuffer();
        Assert.Equal(200, new RouterTransformer(CleverTapMapper.Instance).Transform(System.Text.Encoding.UTF8.GetBytes(body), output));
        using var doc = System.Text.Json.JsonDocument.Parse(output.WrittenMemory);
        var batches = new List<string>();
        foreach (var entry in doc.RootElement.GetProperty("output").EnumerateArray())
        {
            Assert.Equal(200, entry.GetProperty("statusCode").GetInt32());
            batches.Add(string.Join(",", entry.GetProperty("metadata").EnumerateArray().Select(m => m.GetProperty("jobId").GetInt32())));
        }
        Assert.Equal(["1,3,4", "2,6", "5"], batches);
    }
    /// <summary>The parts of a group key cannot run into each other: ID "a\0b" with job "c" is not ID "a" with job "b\0c".</summary>
    [Fact]
    public void Group_key_parts_are_kept_apart()
    {
        string Input(int jobId, string id, string job) =>
            "{\"message\":{\"type\":\"alias\",\"userId\":\"u\",\"previousId\":\"p\"},\"context\":{\"sources\":{\"job_id\":\"" + job
            + "\"}},\"metadata\":{\"jobId\":" + jobId + "},\"destination\":{\"ID\":\"" + id + "\",\"Config\":{\"accountId\":\"acc\",\"passcode\":\"pc\"}}}";
        string body = "{\"input\":[" + Input(1, "a\\u0000b", "c") + "," + Input(2, "a", "b\\u0000c") + "," + Input(3, "a\\u0000b", "c") + "],\"destType\":\"CLEVERTAP\"}";
        var output = new ByteBuffer();
        Assert.Equal(200, new RouterTransformer(CleverTapMapper.Instance).Transform(System.Text.Encoding.UTF8.GetBytes(body), output));
        using var doc = System.Text.Json.JsonDocument.Parse(output.WrittenMemory);
        var batches = doc.RootElement.GetProperty("output").EnumerateArray()
            .Select(e => string.Join(",", e.GetProperty("metadata").EnumerateArray().Select(m => m.GetProperty("jobId").GetInt32())))
            .ToList();
        Assert.Equal(["1,3", "2"], batches);
    }
}
