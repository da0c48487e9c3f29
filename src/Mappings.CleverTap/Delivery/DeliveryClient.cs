using System.Net.Http.Headers;
using System.Net;
using System.Text;
using Mappings.Runtime.Http;

namespace Mappings.CleverTap.Delivery;

/// <summary>
/// Sends requests to CleverTap over one pooled connection handler: waits for the account's turn
/// (D3), refuses URLs the host policy does not allow (D5, on every redirect too), follows up to
/// five redirects, reads the answer, and turns client failures into Node's codes (spec §14.10).
/// The timeout covers the wait for a turn, every hop and reading the answer; a request whose turn
/// comes with too little of it left is answered as a timeout without being sent (see
/// <see cref="MinimumTimeToSend"/>). Thread-safe.
/// </summary>
public sealed class DeliveryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    // Never disposed: it has no timer, and requests may still look at its token while the service stops.
    private readonly CancellationTokenSource _cutOff = new();

    /// <param name="time">The clock of the timeouts (tests use a manual one).</param>
    public DeliveryClient(DeliveryOptions options, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        Gates = new AccountGates(options.MaxConcurrentPerAccount);
        _http = new HttpClient(handler ?? CreateHandler(options), disposeHandler: true)
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>
    /// The least time a request must have left of its timeout when its turn comes (D3: the wait
    /// counts toward the timeout) for it to be sent: a tenth of the timeout, at most one second.
    /// With less, CleverTap's answer would most likely come too late to be used: the request is
    /// answered as a timeout (<c>[ECONNABORTED]</c>, 500, retried by rudder-server) and CleverTap
    /// never sees it, so a hung account gets no more requests than it has turns.
    /// </summary>
    public TimeSpan MinimumTimeToSend => TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, _options.Timeout.Ticks / 10));

    /// <summary>
    /// Answers every request still waiting (for its turn or for CleverTap) as a timeout now, and
    /// every later one at once without sending it: the service calls this when its shutdown timeout
    /// nears, so that each caller still gets a complete (retryable) answer.
    /// </summary>
    public void CutOff() => _cutOff.Cancel();

    public DeliveryOptions Options => _options;

    /// <summary>The per-account turns (D3).</summary>
    public AccountGates Gates { get; }

    /// <summary>
    /// Called with the URL and the result of every request that got no answer or was refused, for
    /// logs (the result names a Node error code or the refused host, never a credential).
    /// </summary>
    public Action<Uri, DeliveryResult>? Trouble { get; set; }

    /// <summary>Told about every request that ended (metrics); null: nobody is.</summary>
    public IDeliveryObserver? Observer { get; set; }

    /// <summary>
    /// The handler every request goes through: pooled connections recycled every two minutes
    /// (DNS changes are seen), no automatic redirects (each hop is checked), decompression on,
    /// header values sent as Latin-1 as Node does.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(DeliveryOptions options) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.All,
        UseCookies = false,
        ConnectTimeout = options.Timeout,
        RequestHeaderEncodingSelector = static (_, _) => Encoding.Latin1,
        ResponseHeaderEncodingSelector = static (_, _) => Encoding.Latin1,
    };

    /// <summary>
    /// Sends the request. Throws <see cref="OperationCanceledException"/> only when
    /// <paramref name="aborted"/> fires (the caller went away); every other outcome is a result.
    /// </summary>
    public async Task<DeliveryResult> SendAsync(OutgoingRequest request, DeliveryHostPolicy policy, CancellationToken aborted)
    {
        var result = await SendOnceAsync(request, policy, aborted).ConfigureAwait(false);
        if (!result.Answered) Trouble?.Invoke(request.Url, result);
        Observer?.Completed(request, result);
        return result;
    }

    private async Task<DeliveryResult> SendOnceAsync(OutgoingRequest request, DeliveryHostPolicy policy, CancellationToken aborted)
    {
        string? refusal = policy.Refusal(request.Url);
        if (refusal is not null) return DeliveryResult.Refused(refusal);
        if (!IsToken(request.Method)) return DeliveryResult.Failed(TransportFailure.InvalidMethod);
        foreach (var header in request.Headers)
        {
            if (!IsToken(header.Key) || !IsHeaderValue(header.Value)) return DeliveryResult.Failed(TransportFailure.InvalidHeader);
        }

        long start = _time.GetTimestamp();
        long sent = 0; // when the request was sent (after its turn), 0 before
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, aborted, _cutOff.Token);
        try
        {
            using var turn = await Gates.EnterAsync(request.Account, linked.Token).ConfigureAwait(false);
            // The wait for the turn counted toward the timeout (D3); too little left: not sent.
            if (_options.Timeout - _time.GetElapsedTime(start) < MinimumTimeToSend)
            {
                aborted.ThrowIfCancellationRequested();
                return DeliveryResult.Failed(TransportFailure.Aborted);
            }
            sent = _time.GetTimestamp();
            return Timed(await SendFollowingRedirectsAsync(request, policy, linked.Token).ConfigureAwait(false), sent);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return Timed(DeliveryResult.Failed(TransportFailure.Aborted), sent);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or TimeoutException)
        {
            if (aborted.IsCancellationRequested) throw new OperationCanceledException(aborted);
            return Timed(DeliveryResult.Failed(TransportFailure.Classify(e)), sent);
        }
    }

    private DeliveryResult Timed(DeliveryResult result, long sent)
    {
        if (sent != 0) result.SendTime = _time.GetElapsedTime(sent);
        return result;
    }

    private async Task<DeliveryResult> SendFollowingRedirectsAsync(OutgoingRequest request, DeliveryHostPolicy policy, CancellationToken token)
    {
        var current = request;
        for (int hop = 0; ; hop++)
        {
            using var message = Build(current);
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (IsRedirect(status) && response.Headers.Location is { } location)
            {
                if (hop >= _options.MaxRedirects) return DeliveryResult.Failed(TransportFailure.TooManyRedirects);
                var next = location.IsAbsoluteUri ? location : new Uri(current.Url, location);
                string? refusal = policy.Refusal(next);
                if (refusal is not null) return DeliveryResult.Refused(refusal);
                // As follow-redirects does: 303, and 301/302 after a POST, continue as a GET without body.
                bool toGet = status == 303 && current.Method != "HEAD" || (status is 301 or 302 && current.Method == "POST");
                current = toGet
                    ? current with { Url = next, Method = "GET", Body = null, Headers = WithoutContentHeaders(current.Headers) }
                    : current with { Url = next };
                continue;
            }
            byte[] body = await ReadBodyAsync(response.Content, token).ConfigureAwait(false);
            return DeliveryResult.Answer(status, body, Headers(response));
        }
    }

    private HttpRequestMessage Build(OutgoingRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        HttpContent? content = null;
        if (request.Body is { } body)
        {
            content = new ReadOnlyMemoryContent(body);
            message.Content = content;
        }
        bool hasAccept = false;
        foreach (var (name, value) in request.Headers)
        {
            if (IsSkippedHeader(name)) continue;
            if (IsContentHeader(name))
            {
                content?.Headers.TryAddWithoutValidation(name, value);
                continue;
            }
            if (name.Equals("Accept", StringComparison.OrdinalIgnoreCase)) hasAccept = true;
            message.Headers.TryAddWithoutValidation(name, value);
        }
        // axios' default Accept header.
        if (!hasAccept) message.Headers.TryAddWithoutValidation("Accept", "application/json, text/plain, */*");
        return message;
    }

    private async Task<byte[]> ReadBodyAsync(HttpContent content, CancellationToken token)
    {
        long? length = content.Headers.ContentLength;
        if (length > _options.MaxResponseBytes) throw new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded);
        await using var stream = await content.ReadAsStreamAsync(token).ConfigureAwait(false);
        using var buffer = new MemoryStream(length is > 0 and < 1 << 20 ? (int)length : 4096);
        byte[] chunk = new byte[16 * 1024];
        while (true)
        {
            int n = await stream.ReadAsync(chunk, token).ConfigureAwait(false);
            if (n == 0) break;
            if (buffer.Length + n > _options.MaxResponseBytes) throw new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded);
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static List<KeyValuePair<string, IReadOnlyList<string>>> Headers(HttpResponseMessage response)
    {
        var headers = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        Add(response.Headers.NonValidated);
        Add(response.Content.Headers.NonValidated);
        return headers;

        void Add(HttpHeadersNonValidated source)
        {
            foreach (var (name, values) in source)
            {
                var list = new List<string>(values.Count);
                foreach (string v in values) list.Add(v);
                headers.Add(new(name.ToLowerInvariant(), list));
            }
        }
    }

    private static IReadOnlyList<KeyValuePair<string, string>> WithoutContentHeaders(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var kept = new List<KeyValuePair<string, string>>(headers.Count);
        foreach (var h in headers)
        {
            if (!IsContentHeader(h.Key)) kept.Add(h);
        }
        return kept;
    }

    private static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>Headers the client sets itself (or that would let a request pick another virtual host).</summary>
    private static bool IsSkippedHeader(string name) =>
        name.Equals("Host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Connection", StringComparison.OrdinalIgnoreCase);

    private static bool IsContentHeader(string name) => name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || name.Equals("Expires", StringComparison.OrdinalIgnoreCase) || name.Equals("Last-Modified", StringComparison.OrdinalIgnoreCase) || name.Equals("Allow", StringComparison.OrdinalIgnoreCase);

    /// <summary>An HTTP token (RFC 9110 tchar), as Node checks header names and methods.</summary>
    private static bool IsToken(string s)
    {
        if (s.Length == 0) return false;
        foreach (char c in s)
        {
            bool ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
                or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>Node's rule for header values: tab, visible ASCII, space and Latin-1 only.</summary>
    private static bool IsHeaderValue(string s)
    {
        foreach (char c in s)
        {
            if (!(c == '\t' || c is >= ' ' and <= '~' || c is >= '\u0080' and <= '\u00FF')) return false;
        }
        return true;
    }

    public void Dispose() => _http.Dispose();
}
