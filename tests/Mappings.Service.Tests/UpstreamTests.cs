using System.Text.Json.Nodes;
using Mappings.CleverTap.Delivery;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>UPSTREAM_TRANSFORMER_URL: other destinations go to the operator's transformer, unchanged both ways.</summary>
public sealed class UpstreamTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private FakeCleverTap _cleverTap = null!;
    private ServiceInstance _service = null!;

    private HttpClient Client => _service.Client;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _cleverTap = await FakeCleverTap.StartAsync();
        _service = await ServiceInstance.StartAsync(new ServiceOptions
        {
            UpstreamTransformerUrl = _upstream.Address,
            Delivery = new DeliveryOptions { AllowedHosts = ["127.0.0.1"], DeletionBaseUrl = new Uri(_cleverTap.Origin) },
        });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _upstream.DisposeAsync();
        await _cleverTap.DisposeAsync();
    }

    [Theory]
    [InlineData("/v0/destinations/am?x=1")]
    [InlineData("/v1/destinations/am")]
    [InlineData("/v0/destinations/am/proxy")]
    [InlineData("/v1/destinations/am/proxy")]
    [InlineData("/customTransform")]
    [InlineData("/v2/sources/webhook")]
    public async Task Requests_for_other_destinations_are_forwarded_unchanged(string path)
    {
        string body = """[{"message":{"type":"track"},"metadata":{"jobId":1},"destination":{"Config":{}}}]""";
        var answer = await Http.PostAsync(Client, path, body, ("X-Custom", "kept"));
        Assert.Equal(203, answer.Status);
        Assert.Equal("yes", answer.Header("X-Upstream"));
        Assert.Equal(body.Length, answer.Json["length"]!.GetValue<int>());
        var received = _upstream.Requests.Last(r => path.StartsWith(r.Path, StringComparison.Ordinal));
        Assert.Equal(body, received.Body);
        Assert.Equal("kept", received.Header("X-Custom"));
        Assert.Equal(new Uri(new Uri("http://x"), path).Query, received.Query);
    }

    [Fact]
    public async Task Router_and_batch_requests_go_by_their_destType()
    {
        string other = """{"input":[{"message":{},"metadata":{"jobId":1}}],"destType":"AM"}""";
        var routed = await Http.PostAsync(Client, "/routerTransform", other);
        Assert.Equal(203, routed.Status);
        Assert.Equal(other, _upstream.Requests.Last().Body);

        var batched = await Http.PostAsync(Client, "/batch", other);
        Assert.Equal(203, batched.Status);

        string ours = """{"input":[{"message":{"type":"track","event":"e","userId":"u"},"metadata":{"jobId":1},"destination":{"Config":{"accountId":"a","passcode":"p"}}}],"destType":"CLEVERTAP"}""";
        int before = _upstream.Requests.Count;
        var local = await Http.PostAsync(Client, "/routerTransform", ours);
        Assert.Equal(200, local.Status);
        Assert.Equal(200, local.Json["output"]![0]!["statusCode"]!.GetValue<int>());
        Assert.Equal(before, _upstream.Requests.Count);
    }

    [Fact]
    public async Task Deletion_entries_for_other_destinations_are_answered_by_the_upstream_in_place()
    {
        string body = """
            [{"destType":"AM","userAttributes":[{"userId":"x"}],"config":{"k":1}},
             {"destType":"CLEVERTAP","userAttributes":[{"userId":"y"}],"config":{"accountId":"mixed","passcode":"p"}},
             {"destType":"BRAZE","userAttributes":[],"config":{}}]
            """;
        var answer = await Http.PostAsync(Client, "/deleteUsers", body);
        Assert.Equal(207, answer.Status); // the first entry's status, here the upstream's
        Assert.Equal("""[{"statusCode":207,"status":"upstream AM"},{"statusCode":200,"status":"successful"},{"statusCode":207,"status":"upstream BRAZE"}]""", answer.Text);
        var forwarded = JsonNode.Parse(_upstream.Requests.Last(r => r.Path == "/deleteUsers").Body)!.AsArray();
        Assert.Equal(new[] { "AM", "BRAZE" }, forwarded.Select(e => e!["destType"]!.GetValue<string>()));
        Assert.Single(_cleverTap.DeletionRequests("mixed"));
    }

    [Fact]
    public async Task Features_are_the_upstreams_plus_clevertap()
    {
        var answer = await Http.GetAsync(Client, "/features");
        Assert.Equal(200, answer.Status);
        var features = answer.Json;
        Assert.True(features["routerTransform"]!["AM"]!.GetValue<bool>());
        Assert.True(features["routerTransform"]!["CLEVERTAP"]!.GetValue<bool>());
        Assert.Equal(new[] { "AM", "CLEVERTAP" }, features["regulations"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.False(features["supportTransformerProxyV1"]!.GetValue<bool>()); // the upstream's flags stand
    }

    [Fact]
    public async Task An_unreachable_upstream_is_a_502()
    {
        await using var service = await ServiceInstance.StartAsync(new ServiceOptions { UpstreamTransformerUrl = new Uri($"http://127.0.0.1:{DeliveryTests.ClosedPort()}") });
        var answer = await Http.PostAsync(service.Client, "/v0/destinations/am", "[]");
        Assert.Equal(502, answer.Status);
        Assert.Contains("ECONNREFUSED", answer.Json["error"]!.GetValue<string>());
        var features = await Http.GetAsync(service.Client, "/features");
        Assert.Equal(502, features.Status);
        await Http.AssertHealthyAsync(service.Client);
        var ours = await Http.PostAsync(service.Client, "/v0/destinations/clevertap", ProcessorTests.ReferenceBody("00-test-0.json"));
        Assert.Equal(200, ours.Status);
    }
    [Fact]
    public async Task A_forwarded_body_over_the_limit_is_413_and_the_upstream_never_gets_it_whole()
    {
        await using var service = await ServiceInstance.StartAsync(new ServiceOptions
        {
            UpstreamTransformerUrl = _upstream.Address,
            MaxRequestBodyBytes = 64 * 1024,
        });
        byte[] big = new byte[4 * 64 * 1024];
        big.AsSpan().Fill((byte)' ');
        big[0] = (byte)'[';
        big[^1] = (byte)']';
        var declared = await Http.PostAsync(service.Client, "/v0/destinations/am", big);
        Assert.Equal(413, declared.Status);
        Assert.Contains("larger than the limit", declared.Json["error"]!.GetValue<string>());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/destinations/am") { Content = new StreamingContent(big) };
        var chunked = await Http.SendAsync(service.Client, request);
        Assert.Equal(413, chunked.Status);
        Assert.DoesNotContain(_upstream.Requests, r => r.Body.Length >= big.Length);

        var small = await Http.PostAsync(service.Client, "/v0/destinations/am", "[]");
        Assert.Equal(203, small.Status);
    }

    /// <summary>Content without a known length, so the client sends it chunked.</summary>
    private sealed class StreamingContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
