using System.Net;
using Mappings.CleverTap.Delivery;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime;
using Mappings.Service.Endpoints;
using Mappings.Service.Hosting;
using Mappings.Service.Metrics;
using Mappings.Service.Upstream;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration.Memory;

namespace Mappings.Service;

/// <summary>
/// The HTTP service rudder-server calls (spec §10): builds the Kestrel application with its
/// endpoints. Stateless: every request is answered from its own body and the configuration, so
/// any number of replicas can stand behind a load balancer.
/// </summary>
public static class MappingsService
{
    /// <summary>Builds the application (not started). <paramref name="logging"/> adds log providers (tests).</summary>
    public static WebApplication Build(ServiceOptions options, string[]? args = null, Action<ILoggingBuilder>? logging = null)
    {
        // Transformations are synchronous CPU work holding a thread each, one per core (TurnGate).
        // With the thread pool's default minimum of one thread per core they can hold every thread,
        // and everything else (/health, reading bodies, answers, deliveries) waits until the pool
        // adds threads, about two a second: /health took over a second while ten 50 MB answers
        // were made. A few threads per core more keep the service responsive (CPU stays shared
        // by the scheduler; the turns still bound the CPU work).
        ThreadPool.GetMinThreads(out int minWorkers, out int minIo);
        int workers = Environment.ProcessorCount * 4;
        if (minWorkers < workers) ThreadPool.SetMinThreads(workers, minIo);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args ?? [] });
        // Defaults below every other configuration source: Logging__LogLevel__Default=Debug etc. override them.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            },
        });
        logging?.Invoke(builder.Logging);
        // After SIGTERM, requests in flight get this long to finish (docs/operations.md: "Limits").
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A client that takes its answer slower than this (one that stopped reading) is
            // disconnected; answers are handed to Kestrel a piece at a time (Responses.WriteAsync),
            // so the rate counts what the client took, not the whole answer at once.
            kestrel.Limits.MinResponseDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(options.MinResponseBytesPerSecond, options.MinResponseGrace);
            kestrel.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(options.MinRequestBodyBytesPerSecond, options.MinRequestBodyGrace);
            // The service refuses bodies over the limit itself (RequestBodyReader); Kestrel's own
            // limit leaves room to read and drop the rest of a refused body (Responses.WriteTooLargeAsync).
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes + Responses.TooLargeDrainBytes;
            // All interfaces (IPv6 and IPv4 where the host has both), or the one address asked for.
            if (options.ListenAddress.Equals(IPAddress.Any)) kestrel.ListenAnyIP(options.Port);
            else kestrel.Listen(options.ListenAddress, options.Port);
        });

        DestinationMapper destination = CleverTapMapper.Instance;
        // Prometheus metrics on their own port (Metrics/MetricsListener), unless ENABLE_STATS=false.
        var metrics = options.EnableStats ? new ServiceMetrics(destination.DestType, options.MetricsMaxDestinations) : null;
        if (metrics is not null)
        {
            builder.Services.AddSingleton(services => new MetricsListener(metrics, options.ListenAddress, options.MetricsPort,
                services.GetRequiredService<ILoggerFactory>().CreateLogger("Mappings.Service")));
            builder.Services.AddHostedService(services => services.GetRequiredService<MetricsListener>());
        }

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Mappings.Service");

        var deliveryClient = new DeliveryClient(options.Delivery);
        deliveryClient.Trouble = (url, result) =>
        {
            if (result.Refusal is { } refusal) Log.DeliveryRefused(logger, refusal);
            else if (result.Failure is { } failure) Log.DeliveryFailed(logger, url.Host, failure.Code, failure.Status);
        };
        deliveryClient.Observer = metrics;
        var proxy = new CleverTapDeliveryProxy(destination, deliveryClient, new DeliveryHostPolicy(options.Delivery.AllowedHosts));
        var deletion = destination.UserDeletion is { } settings ? new CleverTapUserDeletion(settings, deliveryClient) : null;
        var upstream = options.UpstreamTransformerUrl is { } upstreamUrl ? new UpstreamTransformer(upstreamUrl, options.UpstreamTimeout, logger, bodyLimit: options.MaxRequestBodyBytes)
        {
            MinRequestBodyRate = (options.MinRequestBodyBytesPerSecond, options.MinRequestBodyGrace),
        } : null;
        var bodies = new RequestBodyReader(options.MaxRequestBodyBytes);

        var info = new InfoEndpoints(destination, deletion is not null, upstream);
        var transforms = new TransformEndpoints(destination, bodies, upstream, logger, options.MaxEventOutputBytes, options.MaxResponseBytes) { Metrics = metrics };
        var delivery = new DeliveryEndpoints(destination, proxy, deletion, bodies, upstream, logger) { Metrics = metrics };
        metrics?.AddScrapeGauges(transforms.TurnCounts, deliveryClient.Gates);
        if (metrics is not null && options.StatsClient is { } statsClient && !statsClient.Equals("prometheus", StringComparison.OrdinalIgnoreCase))
        {
            MetricsLog.NotPrometheus(logger, RequestText.ForLog(statsClient));
        }

        app.Lifetime.ApplicationStopping.Register(() =>
        {
            // Kestrel stops accepting and lets requests in flight finish for the shutdown timeout,
            // then closes their connections. Transformations take milliseconds; requests waiting on
            // CleverTap or the upstream could wait longer, so a few seconds before that they are
            // answered as timeouts (retryable 5xx) and every caller gets a complete answer.
            Log.Stopping(logger, (long)options.ShutdownTimeout.TotalMilliseconds, (long)options.ShutdownCutOff.TotalMilliseconds);
            _ = Task.Delay(options.ShutdownCutOff).ContinueWith(_ =>
            {
                Log.ShutdownCutOff(logger);
                deliveryClient.CutOff();
                upstream?.CutOff();
            }, TaskScheduler.Default);
        });
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            deliveryClient.Dispose();
            upstream?.Dispose();
        });
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            int port = addresses?.Select(a => new Uri(a).Port).FirstOrDefault() ?? options.Port;
            Log.Started(logger, options.ListenAddress.Equals(IPAddress.Any) ? "all interfaces" : options.ListenAddress.ToString(), port, options.MaxRequestBodyBytes, (long)options.Delivery.Timeout.TotalMilliseconds,
                options.Delivery.MaxConcurrentPerAccount, options.Delivery.AllowedHosts.Count == 0 ? "none" : string.Join(",", options.Delivery.AllowedHosts),
                options.UpstreamTransformerUrl?.GetLeftPart(UriPartial.Authority) ?? "none",
                options.MinResponseBytesPerSecond, (long)options.MinResponseGrace.TotalMilliseconds, (long)options.ShutdownTimeout.TotalMilliseconds);
        });

        if (metrics is not null) app.Use((context, next) => RequestMetrics.ObserveAsync(context, next, metrics, destination.DestType));
        app.Use((context, next) => Barrier(context, next, logger, options));

        app.MapGet("/health", (RequestDelegate)info.HealthAsync);
        app.MapGet("/features", (RequestDelegate)info.FeaturesAsync);
        app.MapPost("/v0/destinations/{dest}", (RequestDelegate)transforms.ProcessorAsync);
        app.MapPost("/v1/destinations/{dest}", (RequestDelegate)transforms.ProcessorAsync);
        app.MapPost("/routerTransform", (RequestDelegate)transforms.RouterAsync);
        app.MapPost("/batch", (RequestDelegate)transforms.BatchAsync);
        app.MapPost("/v0/destinations/{dest}/proxy", context => delivery.ProxyAsync(context, ProxyVersion.V0));
        app.MapPost("/v1/destinations/{dest}/proxy", context => delivery.ProxyAsync(context, ProxyVersion.V1));
        app.MapPost("/deleteUsers", (RequestDelegate)delivery.DeleteUsersAsync);
        if (upstream is not null)
        {
            // Everything else rudder-server asks the transformer (sources, user transformations, …) goes upstream.
            app.MapFallback(context => upstream.ForwardAsync(context, body: null));
        }
        else
        {
            app.MapFallback(context => Responses.WriteErrorAsync(context, 404, $"Not found: {RequestText.Quote(context.Request.Method)} {RequestText.Quote(context.Request.Path.Value)}"));
        }
        return app;
    }

    /// <summary>
    /// No request can take the service down: a malformed HTTP request gets its 4xx, an unexpected
    /// failure a 500 JSON answer (logged without any request content); a client that went away is
    /// let go quietly.
    /// </summary>
    private static async Task Barrier(HttpContext context, RequestDelegate next, ILogger logger, ServiceOptions options)
    {
        long limit = options.MaxRequestBodyBytes;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException or ConnectionResetException)
        {
            // The client closed the connection: there is nobody to answer.
        }
        catch (BadHttpRequestException e)
        {
            string path = context.Request.Path.Value ?? "";
            if (e.StatusCode == StatusCodes.Status413PayloadTooLarge) Log.BodyTooLarge(logger, path, limit);
            else if (e.StatusCode == StatusCodes.Status408RequestTimeout) Log.BodyTimedOut(logger, path);
            else Log.BadRequest(logger, path, e.StatusCode);
            if (context.Response.HasStarted) return;
            context.Response.Clear();
            if (e.StatusCode == StatusCodes.Status413PayloadTooLarge) await Responses.WriteTooLargeAsync(context, limit).ConfigureAwait(false);
            else if (e.StatusCode == StatusCodes.Status408RequestTimeout) await Responses.WriteBodyTimeoutAsync(context, options.MinRequestBodyBytesPerSecond, options.MinRequestBodyGrace).ConfigureAwait(false);
            else await Responses.WriteErrorAsync(context, e.StatusCode, "Malformed HTTP request").ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.UnexpectedFailure(logger, e.GetType().FullName ?? e.GetType().Name, context.Request.Method, context.Request.Path.Value ?? "", e.StackTrace);
            if (context.Response.HasStarted) return;
            context.Response.Clear();
            await Responses.WriteErrorAsync(context, 500, "Internal error: the request could not be handled").ConfigureAwait(false);
        }
    }
}
