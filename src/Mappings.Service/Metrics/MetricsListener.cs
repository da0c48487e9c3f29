using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Prometheus;

namespace Mappings.Service.Metrics;

/// <summary>
/// <c>GET /metrics</c> on its own listener (<c>METRICS_PORT</c>, 9091 by default), as the
/// reference serves it: a separate Kestrel server, so a scrape never waits behind transformations
/// and the transformation port answers no <c>/metrics</c>. Always the Prometheus text format 0.0.4
/// (no OpenMetrics negotiation: counters keep their names without <c>_total</c>, as prom-client
/// writes them). Started after the service, stopped after it has drained (metrics stay readable
/// during a shutdown).
/// </summary>
internal sealed class MetricsListener(ServiceMetrics metrics, IPAddress address, int port, ILogger logger) : IHostedLifecycleService, IAsyncDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private WebApplication? _app;

    /// <summary>The port it listens on (the one picked when <c>METRICS_PORT</c> is 0), once started.</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (address.Equals(IPAddress.Any)) kestrel.ListenAnyIP(port);
            else kestrel.Listen(address, port);
        });
        var app = builder.Build();
        app.MapGet("/metrics", ScrapeAsync);
        app.MapFallback(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        Port = addresses?.Select(a => new Uri(a).Port).FirstOrDefault() ?? port;
        MetricsLog.Listening(logger, Port);
    }

    private async Task ScrapeAsync(HttpContext context)
    {
        context.Response.ContentType = ContentType;
        await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, ExpositionFormat.PrometheusText, context.RequestAborted).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After every other service stopped (the transformation port drained): the listener goes too.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app) await app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app) await app.DisposeAsync().ConfigureAwait(false);
        metrics.Dispose();
    }
}

internal static partial class MetricsLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Metrics (Prometheus) on port {Port}, GET /metrics")]
    public static partial void Listening(ILogger logger, int port);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "STATS_CLIENT={StatsClient}: Mappings serves Prometheus metrics only (GET /metrics on METRICS_PORT); no statsd metrics are sent")]
    public static partial void NotPrometheus(ILogger logger, string statsClient);
}
