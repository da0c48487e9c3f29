using System.Text.Json.Nodes;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary><c>/health</c>, <c>/features</c> (spec §10.1, §14.8) and <c>/batch</c> (spec §10.7).</summary>
[Collection(ServiceCollection.Name)]
public sealed class InfoAndBatchTests(ServiceFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Health_is_up() => await Http.AssertHealthyAsync(Client);

    [Fact]
    public async Task Features_is_a_json_object_as_text_naming_clevertap()
    {
        var answer = await Http.GetAsync(Client, "/features");
        Assert.Equal(200, answer.Status);
        Assert.StartsWith("text/plain", answer.Header("Content-Type"));
        var features = answer.Json.AsObject();
        Assert.True(features["routerTransform"]!["CLEVERTAP"]!.GetValue<bool>());
        Assert.Contains(features["regulations"]!.AsArray(), r => r!.GetValue<string>() == "CLEVERTAP");
        foreach (string flag in new[] { "supportSourceTransformV1", "supportTransformerProxyV1", "upgradedToSourceTransformV2", "supportDestTransformCompactedPayloadV1" })
        {
            Assert.True(features[flag]!.GetValue<bool>(), flag);
        }
    }

    [Fact]
    public async Task Batch_answers_that_clevertap_does_not_implement_batch()
    {
        string body = """{"input":[{"message":{},"metadata":{"jobId":1}},{"message":{},"metadata":{"jobId":2}},{"message":{}}],"destType":"clevertap"}""";
        var answer = await Http.PostAsync(Client, "/batch", body);
        Assert.Equal(200, answer.Status);
        Assert.Equal("2", answer.Header("apiVersion"));
        Assert.Null(new JsonComparer().CompareValues(
            """[{"metadata":[{"jobId":1},{"jobId":2},null],"batched":false,"statusCode":500,"error":"clevertap does not implement batch","statTags":{"errorCategory":"transformation"}}]"""u8,
            answer.Body));
    }

    [Fact]
    public async Task Batch_input_with_a_proto_key_fails_alone()
    {
        string body = """{"input":[{"message":{"__proto__":{}},"metadata":{"jobId":1,"destinationId":"d","workspaceId":"w"}},{"message":{},"metadata":{"jobId":2}}],"destType":"CLEVERTAP"}""";
        var answer = await Http.PostAsync(Client, "/batch", body);
        Assert.Equal(200, answer.Status);
        var entries = answer.Json.AsArray();
        Assert.Equal(2, entries.Count);
        Assert.Equal(2, entries[0]!["metadata"]![0]!["jobId"]!.GetValue<int>());
        Assert.Equal(400, entries[1]!["statusCode"]!.GetValue<int>());
        Assert.Equal("Object contains forbidden prototype property", entries[1]!["error"]!.GetValue<string>());
        Assert.Equal("dataValidation", entries[1]!["statTags"]!["errorCategory"]!.GetValue<string>());
        Assert.Equal("d", entries[1]!["statTags"]!["destinationId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("[]", 400)]
    [InlineData("not json", 400)]
    [InlineData("""{"input":{},"destType":"CLEVERTAP"}""", 400)]
    [InlineData("""{"input":[],"destType":"AM"}""", 404)]
    [InlineData("""{"input":[],"destType":"CLEVERTAP","__proto__":{}}""", 400)]
    public async Task Batch_bodies_of_the_wrong_shape(string body, int status)
    {
        var answer = await Http.PostAsync(Client, "/batch", body);
        Assert.Equal(status, answer.Status);
        Assert.False(string.IsNullOrEmpty(answer.Json["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Unknown_paths_are_404_without_an_upstream()
    {
        var answer = await Http.PostAsync(Client, "/customTransform", "[]");
        Assert.Equal(404, answer.Status);
    }
}
