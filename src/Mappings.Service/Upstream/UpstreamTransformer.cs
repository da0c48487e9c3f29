using System.Net;
using Mappings.Runtime.Http;
using Mappings.Service.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;

namespace Mappings.Service.Upstream;

/// <summary>
/// The operator's existing transformer (<c>UPSTREAM_TRANSFORMER_URL</c>): requests for other
/// destinations go there unchanged — method, path, query, headers and body — and its answers come
/// back unchanged (status, headers, body streamed through). rudder-server sends every destination
/// to one <c>DEST_TRANSFORM_URL</c>, so this lets Mappings stand in front of it.
/// </summary>
internal sealed class UpstreamTransformer : IDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Content-Length", "Expect",
    };

    private readonly HttpClient _http;
    private readonly string _base;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly long? _bodyLimit;
    // Cancelled when the shutdown timeout nears (CutOff); never disposed, it has no timer.
    private readonly CancellationTokenSource _cutOff = new();

    /// <param name="bodyLimit">Largest request body streamed through (a larger one is answered 413 and not forwarded further).</param>
    public UpstreamTransformer(Uri baseUrl, TimeSpan timeout, ILogger logger, HttpMessageHandler? handler = null, long? bodyLimit = null)
    {
        BaseUrl = baseUrl;
        _bodyLimit = bodyLimit;
        _base = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _timeout = timeout;
        _logger = logger;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri BaseUrl { get; }

    /// <summary>
    /// Answers every forwarded request still waiting for the upstream's answer as a timeout (504)
    /// now, and later ones at once: the service calls this when its shutdown timeout nears.
    /// </summary>
    public void CutOff() => _cutOff.Cancel();

    /// <summary>Kestrel's minimum request body data rate, for the 408 answer of a body that arrives too slowly while it is streamed on.</summary>
    public (double BytesPerSecond, TimeSpan Grace) MinRequestBodyRate { get; init; } = (240, TimeSpan.FromSeconds(5));

    /// <summary>
    /// Sends the request on to the upstream and writes its answer. <paramref name="body"/>: the
    /// body when it was already read (it is sent as read); null streams the request body through.
    /// </summary>
    public async Task ForwardAsync(HttpContext context, ReadOnlyMemory<byte>? body)
    {
        Metrics.RequestMetrics.OtherDestination(context);
        var request = context.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), _base + request.Path.Value + request.QueryString.Value);
        if (body is { } bytes) message.Content = new ReadOnlyMemoryContent(bytes);
        else if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            // Kestrel's own limit leaves room to drain refused bodies; a streamed body gets the service's limit.
            if (_bodyLimit is { } limit && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
            message.Content = new StreamContent(request.Body);
        }
        CopyRequestHeaders(request, message);

        using var timeout = new CancellationTokenSource(_timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.RequestAborted, _cutOff.Token);
        HttpResponseMessage answer;
        try
        {
            answer = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (TooLarge(e) && _bodyLimit is { } limit && !context.Response.HasStarted)
        {
            // The streamed body passed the limit while it was being sent on.
            Log.BodyTooLarge(_logger, request.Path.Value ?? "", limit);
            await Responses.WriteTooLargeAsync(context, limit).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (BodyError(e) == StatusCodes.Status408RequestTimeout && !context.Response.HasStarted)
        {
            // The streamed body arrived too slowly (Kestrel's minimum request body data rate).
            Log.BodyTimedOut(_logger, request.Path.Value ?? "");
            await Responses.WriteBodyTimeoutAsync(context, MinRequestBodyRate.BytesPerSecond, MinRequestBodyRate.Grace).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or IOException)
        {
            await FailAsync(context, e).ConfigureAwait(false);
            return;
        }
        using (answer)
        {
            var response = context.Response;
            response.StatusCode = (int)answer.StatusCode;
            foreach (var (name, values) in answer.Headers.NonValidated)
            {
                if (!HopByHop.Contains(name)) response.Headers.Append(name, values.ToArray());
            }
            foreach (var (name, values) in answer.Content.Headers.NonValidated)
            {
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) response.ContentLength = answer.Content.Headers.ContentLength;
                else response.Headers.Append(name, values.ToArray());
            }
            await using var stream = await answer.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await stream.CopyToAsync(response.Body, linked.Token).ConfigureAwait(false);
            Log.Forwarded(_logger, request.Method, request.Path.Value ?? "", response.StatusCode);
        }
    }

    /// <summary>Sends a body of our own making to an upstream path (with the request's headers) and reads the answer whole.</summary>
    public async Task<UpstreamAnswer> SendAsync(HttpContext context, string method, string path, ReadOnlyMemory<byte>? body)
    {
        using var message = new HttpRequestMessage(new HttpMethod(method), _base + path);
        if (body is { } bytes) message.Content = new ReadOnlyMemoryContent(bytes);
        CopyRequestHeaders(context.Request, message);
        using var timeout = new CancellationTokenSource(_timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.RequestAborted, _cutOff.Token);
        try
        {
            using var answer = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            byte[] content = await answer.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            return new UpstreamAnswer((int)answer.StatusCode, content, answer.Content.Headers.ContentType?.ToString(), null);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or IOException)
        {
            var (status, code) = Failure(e);
            Log.UpstreamFailed(_logger, method, path, code, status);
            return new UpstreamAnswer(status, [], null, code);
        }
    }

    /// <summary>True when reading the request body failed because it passed the size limit (Kestrel's 413).</summary>
    private static bool TooLarge(Exception e) => BodyError(e) == StatusCodes.Status413PayloadTooLarge;

    /// <summary>The status of the Kestrel error that reading the request body failed with (413, 408 …), or 0.</summary>
    private static int BodyError(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is BadHttpRequestException bad) return bad.StatusCode;
        }
        return 0;
    }

    private static void CopyRequestHeaders(HttpRequest request, HttpRequestMessage message)
    {
        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name)) continue;
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                continue;
            }
            message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
    }

    private async Task FailAsync(HttpContext context, Exception e)
    {
        var (status, code) = Failure(e);
        Log.UpstreamFailed(_logger, context.Request.Method, context.Request.Path.Value ?? "", code, status);
        if (!context.Response.HasStarted)
        {
            await Responses.WriteErrorAsync(context, status, $"The upstream transformer did not answer ({code})").ConfigureAwait(false);
        }
    }

    /// <summary>504 when the upstream took too long, 502 when it could not be reached.</summary>
    private static (int Status, string Code) Failure(Exception e) =>
        e is OperationCanceledException ? (StatusCodes.Status504GatewayTimeout, "ETIMEDOUT") : (StatusCodes.Status502BadGateway, TransportFailure.Classify(e).Code);

    public void Dispose() => _http.Dispose();
}

/// <summary>An upstream answer read whole; <see cref="FailureCode"/> set when there was none (status 502/504).</summary>
internal sealed record UpstreamAnswer(int Status, byte[] Body, string? ContentType, string? FailureCode)
{
    public bool Answered => FailureCode is null;
}
