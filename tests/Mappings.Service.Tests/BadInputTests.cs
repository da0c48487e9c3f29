using System.Text;
using System.Text.Json.Nodes;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>Malformed bodies (D1), <c>__proto__</c> keys (D6) and invalid UTF-8 (spec §14.7): answered, never fatal.</summary>
[Collection(ServiceCollection.Name)]
public sealed class BadInputTests(ServiceFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private const string Destination = """{"ID":"d1","Config":{"accountId":"acc","passcode":"pc","trackAnonymous":true}}""";

    [Theory]
    [InlineData("/v0/destinations/clevertap", "")]
    [InlineData("/v0/destinations/clevertap", "not json")]
    [InlineData("/v0/destinations/clevertap", "[{\"message\":")]
    [InlineData("/v0/destinations/clevertap", "{}")]
    [InlineData("/v0/destinations/clevertap", "42")]
    [InlineData("/v0/destinations/clevertap", "null")]
    [InlineData("/routerTransform", "")]
    [InlineData("/routerTransform", "[]")]
    [InlineData("/routerTransform", "\"CLEVERTAP\"")]
    [InlineData("/routerTransform", "{\"input\":[{}],\"destType\":\"CLEVERTAP\"")]
    [InlineData("/deleteUsers", "{\"destType\":\"CLEVERTAP\"}")]
    [InlineData("/batch", "true")]
    public async Task Bodies_that_are_not_json_or_of_the_wrong_type_are_400(string path, string body)
    {
        var answer = await Http.PostAsync(Client, path, body);
        Assert.Equal(400, answer.Status);
        Assert.False(string.IsNullOrEmpty(answer.Json["error"]!.GetValue<string>()));
        await Http.AssertHealthyAsync(Client);
    }

    [Fact]
    public async Task Deeply_nested_json_is_refused_not_fatal()
    {
        string deep = "[" + new string('[', 5000) + new string(']', 5000) + "]";
        foreach (string path in new[] { "/v0/destinations/clevertap", "/routerTransform", "/deleteUsers", "/batch", "/v0/destinations/clevertap/proxy" })
        {
            var answer = await Http.PostAsync(Client, path, deep);
            Assert.True(answer.Status is 400 or 200, $"{path}: {answer}");
        }
        string deepItem = "[{\"message\":" + new string('[', 5000) + new string(']', 5000) + "}]";
        var item = await Http.PostAsync(Client, "/v0/destinations/clevertap", deepItem);
        Assert.True(item.Status is 400 or 200);
        await Http.AssertHealthyAsync(Client);
    }

    [Fact]
    public async Task A_proto_key_inside_one_item_fails_only_that_item()
    {
        string body = """
            [{"message":{"type":"track","event":"A","userId":"u1"},"metadata":{"jobId":1,"destinationId":"d1","workspaceId":"w1"},"destination":@@Destination@@},
             {"message":{"type":"track","event":"B","userId":"u2","properties":{"\u005f_proto__":{"polluted":true}}},"metadata":{"jobId":2,"destinationId":"d1","workspaceId":"w1"},"destination":@@Destination@@},
             {"message":{"type":"track","event":"C","userId":"u3"},"metadata":{"jobId":3},"destination":@@Destination@@}]
            """.Replace("@@Destination@@", Destination);
        var answer = await Http.PostAsync(Client, "/v0/destinations/clevertap", body);
        Assert.Equal(200, answer.Status);
        var entries = answer.Json.AsArray();
        Assert.Equal(3, entries.Count);
        Assert.Equal(200, entries[0]!["statusCode"]!.GetValue<int>());
        Assert.Equal(400, entries[1]!["statusCode"]!.GetValue<int>());
        Assert.Equal("Object contains forbidden prototype property", entries[1]!["error"]!.GetValue<string>());
        Assert.Equal("instrumentation", entries[1]!["statTags"]!["errorType"]!.GetValue<string>());
        Assert.Equal(2, entries[1]!["metadata"]!["jobId"]!.GetValue<int>());
        Assert.Equal(200, entries[2]!["statusCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_proto_key_in_one_router_input_fails_only_that_input()
    {
        string body = $$$"""
            {"input":[
              {"message":{"type":"track","event":"A","userId":"u1"},"metadata":{"jobId":1},"destination":{{{Destination}}}},
              {"message":{"type":"track","event":"B","userId":"u2"},"metadata":{"jobId":2,"__proto__":{}},"destination":{{{Destination}}}},
              {"message":{"type":"track","event":"C","userId":"u3"},"metadata":{"jobId":3},"destination":{{{Destination}}}}],
             "destType":"CLEVERTAP"}
            """;
        var answer = await Http.PostAsync(Client, "/routerTransform", body);
        Assert.Equal(200, answer.Status);
        var output = answer.Json["output"]!.AsArray();
        var batch = output.Single(e => e!["batchedRequest"] is not null)!;
        Assert.Equal(new[] { 1, 3 }, batch["metadata"]!.AsArray().Select(m => m!["jobId"]!.GetValue<int>()));
        var refused = output.Single(e => e!["statusCode"]!.GetValue<int>() == 400)!;
        Assert.Equal("Object contains forbidden prototype property", refused["error"]!.GetValue<string>());
        Assert.Equal(2, refused["metadata"]![0]!["jobId"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_proto_key_outside_the_inputs_refuses_the_request()
    {
        string body = $$$"""{"input":[{"message":{"type":"track","event":"A","userId":"u1"},"metadata":{"jobId":1},"destination":{{{Destination}}}}],"destType":"CLEVERTAP","__proto__":{"x":1}}""";
        var answer = await Http.PostAsync(Client, "/routerTransform", body);
        Assert.Equal(400, answer.Status);
        Assert.Equal("Object contains forbidden prototype property", answer.Json["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"input":[],"destinations":{},"connections":{},"__proto__":{"x":1}}""")]
    [InlineData("""{"input":[],"destinations":{},"connections":{},"\u005f_proto__":1}""")]
    [InlineData("""{"input":[],"destinations":{},"connections":{},"extra":{"deep":[{"__proto__":null}]}}""")]
    public async Task A_proto_key_outside_the_items_of_a_compacted_processor_request_refuses_it(string outside)
    {
        string body = outside.Replace("\"input\":[]", "\"input\":[{\"message\":{\"type\":\"track\",\"event\":\"A\",\"userId\":\"u1\"},\"metadata\":{\"jobId\":1,\"destinationId\":\"d1\"}}]")
            .Replace("\"destinations\":{}", "\"destinations\":{\"d1\":" + Destination + "}");
        var answer = await Http.PostAsync(Client, "/v0/destinations/clevertap", body, ("x-content-format", "json+compactedv1"));
        Assert.Equal(400, answer.Status);
        Assert.Equal("Object contains forbidden prototype property", answer.Json["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_proto_key_in_one_compacted_item_or_its_destination_fails_only_that_item()
    {
        string body = """
            {"input":[
              {"message":{"type":"track","event":"A","userId":"u1"},"metadata":{"jobId":1,"destinationId":"d1"}},
              {"message":{"type":"track","event":"B","userId":"u2","properties":{"__proto__":{}}},"metadata":{"jobId":2,"destinationId":"d1"}},
              {"message":{"type":"track","event":"C","userId":"u3"},"metadata":{"jobId":3,"destinationId":"d2"}}],
             "destinations":{"d1":@D,"d2":{"ID":"d2","Config":{"accountId":"a","passcode":"p","__proto__":{}}}},"connections":{}}
            """.Replace("@D", Destination);
        var answer = await Http.PostAsync(Client, "/v0/destinations/clevertap", body, ("x-content-format", "json+compactedv1"));
        Assert.Equal(200, answer.Status);
        var statuses = answer.Json.AsArray().Select(e => e!["statusCode"]!.GetValue<int>()).ToArray();
        Assert.Equal(new[] { 200, 400, 400 }, statuses);
    }

    [Fact]
    public async Task Invalid_utf8_is_read_with_replacement_characters()
    {
        string template = $$$"""[{"message":{"type":"track","event":"Bytes","userId":"u1","properties":{"name":"aXXb"}},"metadata":{"jobId":1},"destination":{{{Destination}}}}]""";
        byte[] broken = Encoding.UTF8.GetBytes(template);
        int at = Array.IndexOf(broken, (byte)'X');
        broken[at] = 0xFF;       // not UTF-8 at all
        broken[at + 1] = 0xC3;   // a lead byte without its continuation
        byte[] repaired = Encoding.UTF8.GetBytes(template.Replace("XX", "\uFFFD\uFFFD"));

        var answer = await Http.PostAsync(Client, "/v0/destinations/clevertap", broken);
        var expected = await Http.PostAsync(Client, "/v0/destinations/clevertap", repaired);
        Assert.Equal(200, answer.Status);
        Assert.Equal(expected.Text, answer.Text);
        Assert.Contains("a\uFFFD\uFFFDb", answer.Text);

        var routed = await Http.PostAsync(Client, "/routerTransform", Concat("{\"input\":"u8.ToArray(), broken, ",\"destType\":\"CLEVERTAP\"}"u8.ToArray()));
        Assert.Equal(200, routed.Status);
        Assert.Contains("a\uFFFD\uFFFDb", routed.Text);
    }

    [Fact]
    public async Task Events_that_break_javascript_fail_alone_with_400()
    {
        string body = $$$"""
            [{"message":{"type":5,"userId":"u1"},"metadata":{"jobId":1},"destination":{{{Destination}}}},
             {"message":{"type":"track","event":"ok","userId":"u1"},"metadata":{"jobId":2},"destination":{"ID":"x"}},
             {"message":{"type":"track","event":"ok","userId":"u1"},"metadata":{"jobId":3},"destination":{{{Destination}}}}]
            """;
        var answer = await Http.PostAsync(Client, "/v0/destinations/clevertap", body);
        Assert.Equal(200, answer.Status);
        var entries = answer.Json.AsArray();
        Assert.Equal(400, entries[0]!["statusCode"]!.GetValue<int>());
        Assert.Equal("dataValidation", entries[0]!["statTags"]!["errorCategory"]!.GetValue<string>());
        Assert.Equal(400, entries[1]!["statusCode"]!.GetValue<int>());
        Assert.Equal(200, entries[2]!["statusCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Random_bytes_never_take_the_service_down()
    {
        var random = new Random(7);
        string[] paths = ["/v0/destinations/clevertap", "/v1/destinations/clevertap", "/routerTransform", "/batch", "/deleteUsers", "/v0/destinations/clevertap/proxy", "/v1/destinations/clevertap/proxy"];
        byte[] sample = ProcessorTests.ReferenceBody("00-test-0.json");
        for (int i = 0; i < 60; i++)
        {
            byte[] body = (byte[])sample.Clone();
            for (int flips = random.Next(1, 8); flips > 0; flips--) body[random.Next(body.Length)] = (byte)random.Next(256);
            if (i % 3 == 0) body = body[..random.Next(body.Length)];
            var answer = await Http.PostAsync(Client, paths[i % paths.Length], body);
            Assert.True(answer.Status is 200 or 400 or 404, $"{paths[i % paths.Length]}: {answer}");
        }
        await Http.AssertHealthyAsync(Client);
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
