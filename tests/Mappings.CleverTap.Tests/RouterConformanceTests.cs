using Mappings.Generated;
using Mappings.Runtime.Json;
using Mappings.Runtime.Routing;

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
}
