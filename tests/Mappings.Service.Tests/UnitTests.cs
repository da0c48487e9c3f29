using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using Mappings.CleverTap.Delivery;
using Mappings.Service.Routing;

namespace Mappings.Service.Tests;

/// <summary>The pieces with rules of their own: the D5 host policy, transport failure names, the destType scan, configuration.</summary>
public sealed class UnitTests
{
    [Theory]
    [InlineData("https://api.clevertap.com/1/upload", true)]
    [InlineData("https://in1.api.clevertap.com/1/upload", true)]
    [InlineData("https://sk1-staging.api.clevertap.com/1/upload", true)]
    [InlineData("https://API.CleverTap.com:443/1/upload", true)]
    [InlineData("http://api.clevertap.com/1/upload", false)]
    [InlineData("https://api.clevertap.com:8443/1/upload", false)]
    [InlineData("https://a.b.api.clevertap.com/1/upload", false)]
    [InlineData("https://in_1.api.clevertap.com/1/upload", false)]
    [InlineData("https://.api.clevertap.com/1/upload", false)]
    [InlineData("https://clevertap.com/1/upload", false)]
    [InlineData("https://api.clevertap.com.evil.com/1/upload", false)]
    [InlineData("https://user:pw@api.clevertap.com/1/upload", false)]
    [InlineData("ftp://api.clevertap.com/1/upload", false)]
    [InlineData("http://gateway.internal:8080/x", true)]
    [InlineData("https://GATEWAY.internal/x", true)]
    [InlineData("http://[::1]:9000/x", true)]
    [InlineData("http://127.0.0.1/x", false)]
    [InlineData("/relative", false)]
    [InlineData("", false)]
    public void Host_policy(string url, bool allowed)
    {
        var policy = new DeliveryHostPolicy(["gateway.internal", " ::1 "]);
        Assert.Equal(allowed, policy.Refusal(url) is null);
    }

    [Fact]
    public void Transport_failures_get_nodes_names()
    {
        Assert.Equal(TransportFailure.ConnectionRefused, TransportFailure.Classify(new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal(TransportFailure.ConnectionReset, TransportFailure.Classify(new IOException("x", new SocketException((int)SocketError.ConnectionReset))));
        Assert.Equal(TransportFailure.NotFound, TransportFailure.Classify(new HttpRequestException("x", new SocketException((int)SocketError.HostNotFound))));
        Assert.Equal(TransportFailure.TryAgain, TransportFailure.Classify(new HttpRequestException("x", new SocketException((int)SocketError.TryAgain))));
        Assert.Equal(TransportFailure.TimedOut, TransportFailure.Classify(new SocketException((int)SocketError.TimedOut)));
        Assert.Equal(TransportFailure.NotFound, TransportFailure.Classify(new HttpRequestException(HttpRequestError.NameResolutionError)));
        Assert.Equal(TransportFailure.ConnectionReset, TransportFailure.Classify(new HttpRequestException(HttpRequestError.ResponseEnded)));
        Assert.Equal(500, TransportFailure.Aborted.Status);
        Assert.Equal("[ENOTFOUND] :: DNS lookup failed", TransportFailure.NotFound.Message);
        Assert.Equal(400, TransportFailure.NotFound.Status);
        Assert.Equal("[ERR_X]", TransportFailure.Unknown("ERR_X").Message);
    }

    [Theory]
    [InlineData("""{"input":[],"destType":"CLEVERTAP"}""", "CLEVERTAP", true)]
    [InlineData("""{"input":[] , "destType" : "clevertap" }  """, "clevertap", true)]
    [InlineData("""{"destType":"CLEVERTAP","input":[]}""", "CLEVERTAP", true)]
    [InlineData("""{"input":[{"destType":"X"}],"destType":"A\u004d"}""", "AM", true)]
    [InlineData("""{"input":[],"x":"\",\"destType\":\"AM"}""", "undefined", false)]
    [InlineData("""{"input":[],"x":{"destType":"AM"}}""", "undefined", false)]
    [InlineData("""{"input":[],"destType":"AM","destType":"CLEVERTAP"}""", "CLEVERTAP", true)]
    [InlineData("""{"input":[],"destType":5}""", "5", false)]
    public void DestType_scan(string body, string destType, bool isString)
    {
        var scan = DestTypeScan.Find(Encoding.UTF8.GetBytes(body));
        Assert.True(scan.IsObject);
        Assert.Equal(destType, scan.DestType);
        Assert.Equal(isString, scan.IsString);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("not json")]
    [InlineData("")]
    public void DestType_scan_of_other_bodies(string body) => Assert.False(DestTypeScan.Find(Encoding.UTF8.GetBytes(body)).IsObject);

    [Fact]
    public void Configuration_comes_from_environment_variables()
    {
        var env = new Dictionary<string, string>
        {
            ["PORT"] = "8081",
            ["MAX_REQUEST_BODY_MB"] = "10",
            ["REQUEST_TIMEOUT_IN_MS"] = "2500",
            ["CLEVERTAP_MAX_CONCURRENCY_PER_ACCOUNT"] = "7",
            ["PROXY_ALLOWED_HOSTS"] = "127.0.0.1, gateway.internal",
            ["CLEVERTAP_BASE_URL"] = "http://127.0.0.1:9999",
            ["UPSTREAM_TRANSFORMER_URL"] = "http://transformer:9090",
            ["UPSTREAM_TIMEOUT_MS"] = "30000",
            ["MIN_RESPONSE_BYTES_PER_SECOND"] = "1048576",
            ["MIN_RESPONSE_GRACE_MS"] = "2500",
            ["SHUTDOWN_TIMEOUT_MS"] = "4000",
            ["MAX_EVENT_OUTPUT_MB"] = "8",
            ["MAX_RESPONSE_MB"] = "0.5",
        };
        var options = ServiceOptions.FromEnvironment(name => env.GetValueOrDefault(name));
        Assert.Equal(8081, options.Port);
        Assert.Equal(10L * 1024 * 1024, options.MaxRequestBodyBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), options.Delivery.Timeout);
        Assert.Equal(7, options.Delivery.MaxConcurrentPerAccount);
        Assert.Equal(new[] { "127.0.0.1", "gateway.internal" }, options.Delivery.AllowedHosts);
        Assert.Equal(new Uri("http://127.0.0.1:9999"), options.Delivery.DeletionBaseUrl);
        Assert.Equal(new Uri("http://transformer:9090"), options.UpstreamTransformerUrl);
        Assert.Equal(TimeSpan.FromSeconds(30), options.UpstreamTimeout);
        Assert.Equal(1048576, options.MinResponseBytesPerSecond);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), options.MinResponseGrace);
        Assert.Equal(TimeSpan.FromSeconds(4), options.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3.2), options.ShutdownCutOff);
        Assert.Equal(8L * 1024 * 1024, options.MaxEventOutputBytes);
        Assert.Equal(512L * 1024, options.MaxResponseBytes);

        var defaults = ServiceOptions.FromEnvironment(_ => null);
        Assert.Equal(9090, defaults.Port);
        Assert.Equal(200L * 1024 * 1024, defaults.MaxRequestBodyBytes);
        Assert.Equal(TimeSpan.FromSeconds(60), defaults.Delivery.Timeout);
        Assert.Equal(15, defaults.Delivery.MaxConcurrentPerAccount);
        Assert.Null(defaults.UpstreamTransformerUrl);
        Assert.Equal(256 * 1024, defaults.MinResponseBytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(5), defaults.MinResponseGrace);
        Assert.Equal(TimeSpan.FromSeconds(25), defaults.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), defaults.ShutdownCutOff);
        Assert.Equal(64L * 1024 * 1024, defaults.MaxEventOutputBytes);
        Assert.Equal(512L * 1024 * 1024, defaults.MaxResponseBytes);

        Assert.Throws<FormatException>(() => ServiceOptions.FromEnvironment(name => name == "PORT" ? "ninety" : null));
        Assert.Throws<FormatException>(() => ServiceOptions.FromEnvironment(name => name == "UPSTREAM_TRANSFORMER_URL" ? "ftp://x" : null));
        // Kestrel needs a grace period of more than its one-second heartbeat.
        Assert.Throws<FormatException>(() => ServiceOptions.FromEnvironment(name => name == "MIN_RESPONSE_GRACE_MS" ? "1000" : null));
        Assert.Throws<FormatException>(() => ServiceOptions.FromEnvironment(name => name == "MIN_RESPONSE_BYTES_PER_SECOND" ? "0" : null));
    }

    [Fact]
    public async Task Memory_relief_follows_a_quiet_period_once()
    {
        var time = new Infrastructure.ManualTimeProvider();
        var relief = new Hosting.MemoryRelief(TimeSpan.FromSeconds(2), time);
        int trims = 0;
        relief.OnRelief(() => Interlocked.Increment(ref trims));

        relief.LargeBufferReleased();
        time.Advance(TimeSpan.FromSeconds(1.5));
        relief.LargeBufferReleased(); // a burst goes on: the relief waits for it to end
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(50);
        Assert.Equal(0, relief.Collections);

        time.Advance(TimeSpan.FromSeconds(1));
        await DeliveryTests.WaitUntil(() => relief.Collections == 1 && Volatile.Read(ref trims) == 1);

        relief.LargeBufferReleased();
        time.Advance(TimeSpan.FromSeconds(2));
        await DeliveryTests.WaitUntil(() => relief.Collections == 2 && Volatile.Read(ref trims) == 2);
    }

    [Fact]
    public async Task Account_gates_let_n_in_and_queue_the_rest()
    {
        var gates = new AccountGates(2);
        var a = await gates.EnterAsync("acct", CancellationToken.None);
        var b = await gates.EnterAsync("acct", CancellationToken.None);
        var third = gates.EnterAsync("acct", CancellationToken.None).AsTask();
        var other = await gates.EnterAsync("other", CancellationToken.None);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, gates.InFlight("acct"));
        a.Dispose();
        var c = await third;
        b.Dispose();
        c.Dispose();
        other.Dispose();
        Assert.Equal(0, gates.InFlight("acct"));

        using var cancel = new CancellationTokenSource(50);
        var d = await gates.EnterAsync("x", CancellationToken.None);
        var e = await gates.EnterAsync("x", CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await gates.EnterAsync("x", cancel.Token));
        d.Dispose();
        e.Dispose();
        Assert.Equal(0, gates.InFlight("x"));
    }
}
