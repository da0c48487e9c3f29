using System.Globalization;
using System.Net;
using Mappings.CleverTap.Delivery;

namespace Mappings.Service;

/// <summary>
/// The service's settings, read from environment variables (docs/operations.md: "Configuration").
/// Tests build them directly.
/// </summary>
public sealed record ServiceOptions
{
    public const int DefaultPort = 9090;
    public const long DefaultMaxRequestBodyBytes = 200L * 1024 * 1024;

    /// <summary>Where Kestrel listens: all interfaces by default.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Any;

    /// <summary><c>PORT</c>: 9090 by default, as the reference; 0 picks a free port (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary><c>MAX_REQUEST_BODY_MB</c>: larger request bodies are answered 413. 200 MB by default, as the reference.</summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>
    /// Requests for CleverTap: <c>REQUEST_TIMEOUT_IN_MS</c>, <c>CLEVERTAP_MAX_CONCURRENCY_PER_ACCOUNT</c>,
    /// <c>PROXY_ALLOWED_HOSTS</c>, <c>CLEVERTAP_BASE_URL</c>.
    /// </summary>
    public DeliveryOptions Delivery { get; init; } = new();

    /// <summary><c>UPSTREAM_TRANSFORMER_URL</c>: where requests for other destinations go; null: they get 404.</summary>
    public Uri? UpstreamTransformerUrl { get; init; }

    /// <summary><c>UPSTREAM_TIMEOUT_MS</c>: how long a forwarded request may take (10 minutes by default).</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public const double DefaultMinResponseBytesPerSecond = 256 * 1024;

    /// <summary>
    /// <c>MIN_RESPONSE_BYTES_PER_SECOND</c> (Kestrel's minimum response data rate): a client must
    /// take the answer at this rate on average, counted from the start of the answer, once
    /// <see cref="MinResponseGrace"/> has passed; a slower one (one that stopped reading) is
    /// disconnected and the memory of its answer is released. 256 KiB/s (about 2 Mbit/s) by default.
    /// </summary>
    public double MinResponseBytesPerSecond { get; init; } = DefaultMinResponseBytesPerSecond;

    /// <summary><c>MIN_RESPONSE_GRACE_MS</c>: how long a write may take at first, whatever its size (5 s by default).</summary>
    public TimeSpan MinResponseGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Kestrel's minimum request body data rate: a body that arrives slower, after the grace period,
    /// is answered 408. Kestrel's defaults (240 bytes/s after 5 s); no environment variable (tests lower them).
    /// </summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 240;

    /// <summary>The grace period of <see cref="MinRequestBodyBytesPerSecond"/>.</summary>
    public TimeSpan MinRequestBodyGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>SHUTDOWN_TIMEOUT_MS</c>: after SIGTERM, how long requests in flight have to finish before
    /// the process exits (25 s by default, inside Kubernetes' default grace period of 30 s).
    /// Requests still waiting on CleverTap or the upstream transformer when <see cref="ShutdownCutOff"/>
    /// of it has passed are answered as timeouts.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// When requests still waiting on CleverTap or the upstream are answered as timeouts during a
    /// shutdown: <see cref="ShutdownTimeout"/> less a fifth of it, at most 5 s less (20 s by default),
    /// so that their answers are written before the connections are closed.
    /// </summary>
    public TimeSpan ShutdownCutOff => ShutdownTimeout - TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond * 5, ShutdownTimeout.Ticks / 5));

    /// <summary>
    /// <c>MAX_EVENT_OUTPUT_MB</c> (D8): an event whose entries would take more fails alone with a
    /// 400, before they are written in full. 64 MiB by default.
    /// </summary>
    public long MaxEventOutputBytes { get; init; } = Runtime.Protocol.Limits.DefaultMaxEventOutputBytes;

    /// <summary>
    /// <c>MAX_RESPONSE_MB</c> (D11): a processor or router answer that would take more is answered
    /// 413 <c>{"error": …}</c>, found out while it is built. 512 MiB by default.
    /// </summary>
    public long MaxResponseBytes { get; init; } = Runtime.Protocol.Limits.DefaultMaxResponseBytes;

    public const int DefaultMetricsPort = 9091;

    /// <summary>
    /// <c>ENABLE_STATS</c>: Prometheus metrics on <see cref="MetricsPort"/> (true by default, as the
    /// reference; <c>false</c> turns them off: no listener, nothing counted).
    /// </summary>
    public bool EnableStats { get; init; } = true;

    /// <summary><c>METRICS_PORT</c>: where <c>GET /metrics</c> is answered (9091 by default, as the reference; 0 picks a free port).</summary>
    public int MetricsPort { get; init; } = DefaultMetricsPort;

    /// <summary><c>STATS_CLIENT</c> as given: only <c>prometheus</c> is served (anything else is logged at start).</summary>
    public string? StatsClient { get; init; }

    /// <summary>
    /// <c>METRICS_MAX_DESTINATIONS</c>: most distinct (destinationId, workspaceId) label pairs with
    /// series of their own; later ones are counted under <c>other</c> (1,000 by default).
    /// </summary>
    public int MetricsMaxDestinations { get; init; } = 1000;

    /// <summary>Reads the settings from environment variables; throws <see cref="FormatException"/> naming a bad one.</summary>
    public static ServiceOptions FromEnvironment(Func<string, string?> variable)
    {
        var options = new ServiceOptions();
        var delivery = new DeliveryOptions();

        if (Get(variable, "PORT") is { } port) options = options with { Port = ParseInt("PORT", port, 0, 65535) };
        if (Get(variable, "MAX_REQUEST_BODY_MB") is { } mb)
        {
            double megabytes = ParseDouble("MAX_REQUEST_BODY_MB", mb, 0.001, 2047);
            options = options with { MaxRequestBodyBytes = (long)(megabytes * 1024 * 1024) };
        }
        if (Get(variable, "MAX_EVENT_OUTPUT_MB") is { } eventMb)
        {
            options = options with { MaxEventOutputBytes = (long)(ParseDouble("MAX_EVENT_OUTPUT_MB", eventMb, 0.001, Runtime.Protocol.Limits.MaxEventOutputMegabytes) * 1024 * 1024) };
        }
        if (Get(variable, "MAX_RESPONSE_MB") is { } responseMb)
        {
            options = options with { MaxResponseBytes = (long)(ParseDouble("MAX_RESPONSE_MB", responseMb, 0.001, Runtime.Protocol.Limits.MaxResponseMegabytes) * 1024 * 1024) };
        }
        if (Get(variable, "REQUEST_TIMEOUT_IN_MS") is { } timeout)
        {
            delivery = delivery with { Timeout = TimeSpan.FromMilliseconds(ParseInt("REQUEST_TIMEOUT_IN_MS", timeout, 1, int.MaxValue)) };
        }
        if (Get(variable, "CLEVERTAP_MAX_CONCURRENCY_PER_ACCOUNT") is { } perAccount)
        {
            delivery = delivery with { MaxConcurrentPerAccount = ParseInt("CLEVERTAP_MAX_CONCURRENCY_PER_ACCOUNT", perAccount, 1, 100_000) };
        }
        if (Get(variable, "PROXY_ALLOWED_HOSTS") is { } hosts)
        {
            delivery = delivery with { AllowedHosts = hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
        }
        if (Get(variable, "CLEVERTAP_BASE_URL") is { } baseUrl)
        {
            delivery = delivery with { DeletionBaseUrl = ParseUrl("CLEVERTAP_BASE_URL", baseUrl) };
        }
        if (Get(variable, "UPSTREAM_TRANSFORMER_URL") is { } upstream)
        {
            options = options with { UpstreamTransformerUrl = ParseUrl("UPSTREAM_TRANSFORMER_URL", upstream) };
        }
        if (Get(variable, "UPSTREAM_TIMEOUT_MS") is { } upstreamTimeout)
        {
            options = options with { UpstreamTimeout = TimeSpan.FromMilliseconds(ParseInt("UPSTREAM_TIMEOUT_MS", upstreamTimeout, 1, int.MaxValue)) };
        }
        if (Get(variable, "MIN_RESPONSE_BYTES_PER_SECOND") is { } minRate)
        {
            options = options with { MinResponseBytesPerSecond = ParseDouble("MIN_RESPONSE_BYTES_PER_SECOND", minRate, 1, 1024.0 * 1024 * 1024) };
        }
        if (Get(variable, "MIN_RESPONSE_GRACE_MS") is { } grace)
        {
            options = options with { MinResponseGrace = TimeSpan.FromMilliseconds(ParseInt("MIN_RESPONSE_GRACE_MS", grace, 1001, 3_600_000)) };
        }
        if (Get(variable, "SHUTDOWN_TIMEOUT_MS") is { } shutdown)
        {
            options = options with { ShutdownTimeout = TimeSpan.FromMilliseconds(ParseInt("SHUTDOWN_TIMEOUT_MS", shutdown, 0, 3_600_000)) };
        }
        if (Get(variable, "ENABLE_STATS") is { } enableStats)
        {
            options = options with { EnableStats = !enableStats.Equals("false", StringComparison.OrdinalIgnoreCase) };
        }
        if (Get(variable, "METRICS_PORT") is { } metricsPort) options = options with { MetricsPort = ParseInt("METRICS_PORT", metricsPort, 0, 65535) };
        if (Get(variable, "STATS_CLIENT") is { } statsClient) options = options with { StatsClient = statsClient };
        if (Get(variable, "METRICS_MAX_DESTINATIONS") is { } maxDestinations)
        {
            options = options with { MetricsMaxDestinations = ParseInt("METRICS_MAX_DESTINATIONS", maxDestinations, 1, 1_000_000) };
        }
        if (options.EnableStats && options.MetricsPort != 0 && options.MetricsPort == options.Port)
        {
            throw new FormatException($"METRICS_PORT must differ from PORT; both are {options.Port}.");
        }
        return options with { Delivery = delivery };
    }

    private static string? Get(Func<string, string?> variable, string name)
    {
        string? value = variable(name)?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static int ParseInt(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{name} must be a whole number from {min} to {max}; got \"{value}\".");

    private static double ParseDouble(string name, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d >= min && d <= max
            ? d
            : throw new FormatException($"{name} must be a number from {min} to {max}; got \"{value}\".");

    private static Uri ParseUrl(string name, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.UserInfo.Length == 0
            ? uri
            : throw new FormatException($"{name} must be an absolute http(s) URL without user info; got \"{value}\".");
}
