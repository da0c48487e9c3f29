using System.Net;
using Mappings.Service;
using Mappings.Service.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mappings.Service.Tests.Infrastructure;

/// <summary>The real service (Kestrel) running in this process on a free loopback port.</summary>
public sealed class ServiceInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServiceInstance(WebApplication app, Uri address, CapturedLogs logs)
    {
        _app = app;
        Address = address;
        Logs = logs;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        if (app.Services.GetService<MetricsListener>() is { } metrics)
        {
            MetricsAddress = new Uri($"http://127.0.0.1:{metrics.Port}");
        }
    }

    /// <summary>Where <c>GET /metrics</c> is answered (its own port, picked free); null when metrics are off.</summary>
    public Uri? MetricsAddress { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; }

    public static async Task<ServiceInstance> StartAsync(ServiceOptions options)
    {
        var logs = new CapturedLogs();
        var app = MappingsService.Build(options with { ListenAddress = IPAddress.Loopback, Port = 0, MetricsPort = 0 }, logging: logging =>
        {
            logging.AddProvider(logs);
            logging.AddFilter<CapturedLogs>(null, LogLevel.Trace);
        });
        await app.StartAsync();
        return new ServiceInstance(app, new Uri(app.Urls.First()), logs);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
