
namespace Mappings.Service.Tests;

/// <summary>The settings come from environment variables, with defaults; a bad value names the variable.</summary>
public sealed class ServiceOptionsTests
{
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
        // An event limit above what the JSON writer can write in one name or string (D8), an
        // answer limit at 2 GiB (one buffer) or more.
        var eventTooHigh = Assert.Throws<FormatException>(() => ServiceOptions.FromEnvironment(name => name == "MAX_EVENT_OUTPUT_MB" ? "151" : null));
        Assert.Contains("MAX_EVENT_OUTPUT_MB", eventTooHigh.Message);
        Assert.Throws<FormatException>(() => ServiceOptions.FromEnvironment(name => name == "MAX_RESPONSE_MB" ? "2048" : null));
        Assert.Equal(150L * 1024 * 1024, ServiceOptions.FromEnvironment(name => name == "MAX_EVENT_OUTPUT_MB" ? "150" : null).MaxEventOutputBytes);
    }
}
