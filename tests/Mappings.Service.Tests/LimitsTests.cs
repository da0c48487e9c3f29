using System.Net;
using System.Text;
using Mappings.CleverTap.Delivery;
using Mappings.Runtime.Http;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>Request-size limit (413), delivery timeouts and the D3 wait counting toward them, with small settings.</summary>
public sealed class LimitsTests : IAsyncLifetime
{
    private FakeCleverTap _cleverTap = null!;
    private ServiceInstance _service = null!;

    public async Task InitializeAsync()
    {
        _cleverTap = await FakeCleverTap.StartAsync();
        _service = await ServiceInstance.StartAsync(new ServiceOptions
        {
            MaxRequestBodyBytes = 64 * 1024,
            Delivery = new DeliveryOptions
            {
                AllowedHosts = ["127.0.0.1"],
                DeletionBaseUrl = new Uri(_cleverTap.Origin),
                Timeout = TimeSpan.FromSeconds(1.5),
                MaxConcurrentPerAccount = 1,
            },
        });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _cleverTap.DisposeAsync();
    }

    [Theory]
    [InlineData("/v0/destinations/clevertap")]
    [InlineData("/routerTransform")]
    [InlineData("/deleteUsers")]
    [InlineData("/v1/destinations/clevertap/proxy")]
    [InlineData("/batch")]
    public async Task A_body_over_the_limit_is_413(string path)
    {
        byte[] big = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("\"0123456789abcdef\"", 8000)) + "]");
        var declared = await Http.PostAsync(_service.Client, path, big);
        Assert.Equal(413, declared.Status);
        Assert.Contains("larger than the limit", declared.Json["error"]!.GetValue<string>());

        // Without Content-Length (chunked) the limit holds while reading.
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new UnsizedContent(big) };
        var chunked = await Http.SendAsync(_service.Client, request);
        Assert.Equal(413, chunked.Status);

        await Http.AssertHealthyAsync(_service.Client);
        var small = await Http.PostAsync(_service.Client, "/v0/destinations/clevertap", ProcessorTests.ReferenceBody("00-test-0.json"));
        Assert.Equal(200, small.Status);
    }

    [Fact]
    public async Task A_client_still_sending_a_refused_body_reads_the_413()
    {
        // Ten times the limit: the service answers before the body has arrived, then reads and
        // drops the rest, so the client never sees a reset connection instead of the answer.
        byte[] big = new byte[10 * 64 * 1024];
        big.AsSpan().Fill((byte)' ');
        big[0] = (byte)'{';
        big[^1] = (byte)'}';
        for (int i = 0; i < 20; i++)
        {
            var declared = await Http.PostAsync(_service.Client, "/routerTransform", big);
            Assert.Equal(413, declared.Status);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v0/destinations/clevertap") { Content = new UnsizedContent(big) };
            var chunked = await Http.SendAsync(_service.Client, request);
            Assert.Equal(413, chunked.Status);
        }
        await Http.AssertHealthyAsync(_service.Client);
    }

    [Fact]
    public async Task A_timeout_maps_to_ECONNABORTED()
    {
        var answer = await Http.PostAsync(_service.Client, "/v0/destinations/clevertap/proxy", DeliveryTests.Request(_cleverTap.Origin + "/slow", "acct-timeout"));
        Assert.Equal(500, answer.Status);
        var output = answer.Json["output"]!;
        Assert.Equal("Request failed  with status: 500", output["message"]!.GetValue<string>());
        Assert.Equal("[ECONNABORTED] :: Connection aborted", output["destinationResponse"]!["response"]!.GetValue<string>());
        Assert.Equal("retryable", output["statTags"]!["errorType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Waiting_for_a_turn_counts_toward_the_timeout()
    {
        // The account's only turn is taken; the request waits for it until its timeout runs out,
        // and is then answered as a timeout without ever reaching CleverTap.
        using var client = new DeliveryClient(new DeliveryOptions { Timeout = TimeSpan.FromMilliseconds(300), MaxConcurrentPerAccount = 1 });
        var policy = new DeliveryHostPolicy(["127.0.0.1"]);
        var request = new OutgoingRequest { Method = "POST", Url = new Uri(_cleverTap.Origin + "/echo?turn=1"), Account = "acct-turn", Body = "{}"u8.ToArray() };
        using (await client.Gates.EnterAsync("acct-turn", CancellationToken.None))
        {
            var result = await client.SendAsync(request, policy, CancellationToken.None);
            Assert.Equal(TransportFailure.Aborted, result.Failure);
        }
        Assert.DoesNotContain(_cleverTap.Requests, r => r.Query.Contains("turn=1"));

        var free = await client.SendAsync(request, policy, CancellationToken.None);
        Assert.True(free.Answered);
        Assert.Equal(200, free.Status);
    }

    [Fact]
    public async Task A_second_request_of_an_account_waits_while_the_first_holds_the_only_turn()
    {
        string group = "turn-" + Guid.NewGuid().ToString("N");
        var hold = _cleverTap.Hold(group);
        string endpoint = $"{_cleverTap.Origin}/hold?group={group}";
        var first = Http.PostAsync(_service.Client, "/v0/destinations/clevertap/proxy", DeliveryTests.Request(endpoint, "acct-one"));
        await DeliveryTests.WaitUntil(() => hold.Arrived == 1);
        var second = Http.PostAsync(_service.Client, "/v0/destinations/clevertap/proxy", DeliveryTests.Request(endpoint, "acct-one"));
        await Task.Delay(300);
        Assert.Equal(1, hold.InFlight);
        hold.Release();
        await Task.WhenAll(first, second);
        Assert.Equal(1, hold.MaxInFlight);
        await Http.AssertHealthyAsync(_service.Client);
    }

    [Fact]
    public async Task Deletion_requests_time_out_as_failures()
    {
        // The deletion base URL is the fake; a closed port on the same host gives a connection failure instead.
        int closedPort = DeliveryTests.ClosedPort();
        await using var service = await ServiceInstance.StartAsync(new ServiceOptions
        {
            Delivery = new DeliveryOptions { DeletionBaseUrl = new Uri($"http://127.0.0.1:{closedPort}"), Timeout = TimeSpan.FromSeconds(2) },
        });
        string body = """[{"destType":"CLEVERTAP","userAttributes":[{"userId":"u"}],"config":{"accountId":"a","passcode":"p"}}]""";
        var answer = await Http.PostAsync(service.Client, "/deleteUsers", body);
        Assert.Equal(500, answer.Status);
        Assert.Equal("""[{"statusCode":500,"error":"User deletion request failed"}]""", answer.Text);
    }

    /// <summary>Content without a known length, so the client sends it chunked.</summary>
    private sealed class UnsizedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
