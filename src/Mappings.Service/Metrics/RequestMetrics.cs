using System.Diagnostics;
using Mappings.Service.DestinationSelection;
using Microsoft.AspNetCore.Routing;

namespace Mappings.Service.Metrics;

/// <summary>
/// What the endpoints tell the HTTP metrics about a request while they answer it (a request
/// feature): that it was for another destination, how many body bytes were read, which limit
/// refused it. Set by the hooks below, which do nothing when metrics are off.
/// </summary>
internal sealed class RequestObservation
{
    public bool OtherDestination;
    public long BodyBytes = -1;
    public RefusalLimit Refusal;
}

/// <summary>The hooks the endpoints call, and the middleware that records every request on <c>PORT</c>.</summary>
internal static class RequestMetrics
{
    /// <summary>The request was for another destination (forwarded upstream, or answered "Unknown destination").</summary>
    public static void OtherDestination(HttpContext context)
    {
        if (context.Features.Get<RequestObservation>() is { } observation) observation.OtherDestination = true;
    }

    /// <summary>The request's body was read whole: this many bytes.</summary>
    public static void BodyRead(HttpContext context, long bytes)
    {
        if (context.Features.Get<RequestObservation>() is { } observation) observation.BodyBytes = bytes;
    }

    /// <summary>A limit refused the whole request.</summary>
    public static void Refused(HttpContext context, RefusalLimit limit)
    {
        if (context.Features.Get<RequestObservation>() is { } observation) observation.Refusal = limit;
    }

    /// <summary>
    /// The middleware (outermost, so it sees the final status): http_request_duration,
    /// http_request_size and http_response_size of every request, and the requests refused by a limit.
    /// </summary>
    public static async Task ObserveAsync(HttpContext context, RequestDelegate next, ServiceMetrics metrics, string destType)
    {
        var observation = new RequestObservation();
        context.Features.Set(observation);
        long start = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var route = RouteOf(context, destType);
            var dest = observation.OtherDestination ? HttpDestType.Other : HttpRoutes.HasDestination(route) ? HttpDestType.Ours : HttpDestType.None;
            long requestBytes = context.Request.ContentLength ?? Math.Max(0, observation.BodyBytes);
            long responseBytes = context.Response.ContentLength ?? 0;
            metrics.ObserveHttp(route, context.Request.Method, context.Response.StatusCode, dest, requestBytes, responseBytes, seconds);
            if (observation.Refusal != RefusalLimit.None) metrics.Refused(observation.Refusal);
        }
    }

    /// <summary>The route of the request, from the endpoint that answered it (with the destination of its path).</summary>
    private static HttpRoute RouteOf(HttpContext context, string destType)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint) return HttpRoute.Other;
        string? pattern = endpoint.RoutePattern.RawText;
        bool ours = context.Request.RouteValues.TryGetValue("dest", out var dest) && DestinationName.Matches(dest as string, destType);
        return pattern switch
        {
            "/health" => HttpRoute.Health,
            "/features" => HttpRoute.Features,
            "/v0/destinations/{dest}" => ours ? HttpRoute.ProcessorV0 : HttpRoute.OtherProcessorV0,
            "/v1/destinations/{dest}" => ours ? HttpRoute.ProcessorV1 : HttpRoute.OtherProcessorV1,
            "/routerTransform" => HttpRoute.Router,
            "/batch" => HttpRoute.Batch,
            "/v0/destinations/{dest}/proxy" => ours ? HttpRoute.ProxyV0 : HttpRoute.OtherProxyV0,
            "/v1/destinations/{dest}/proxy" => ours ? HttpRoute.ProxyV1 : HttpRoute.OtherProxyV1,
            "/deleteUsers" => HttpRoute.DeleteUsers,
            _ => HttpRoute.Other,
        };
    }
}
