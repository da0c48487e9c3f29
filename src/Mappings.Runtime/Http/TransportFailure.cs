using System.Net.Http;
using System.Net.Sockets;

namespace Mappings.Runtime.Http;

/// <summary>
/// A request that got no HTTP answer, named as Node names it (spec §8.2, §14.10): the
/// <c>destinationResponse</c> is <c>{response: Message, status: Status}</c>. Messages never carry
/// the exception's own text (it could quote a header value, such as the passcode).
/// </summary>
public sealed record TransportFailure(string Code, string Message, int Status)
{
    public static readonly TransportFailure ConnectionRefused = new("ECONNREFUSED", "[ECONNREFUSED] :: Connection refused", 500);
    public static readonly TransportFailure ConnectionReset = new("ECONNRESET", "[ECONNRESET] :: Connection reset by peer", 500);
    public static readonly TransportFailure TimedOut = new("ETIMEDOUT", "[ETIMEDOUT] :: Operation timed out", 500);
    public static readonly TransportFailure Aborted = new("ECONNABORTED", "[ECONNABORTED] :: Connection aborted", 500);
    public static readonly TransportFailure NotFound = new("ENOTFOUND", "[ENOTFOUND] :: DNS lookup failed", 400);
    public static readonly TransportFailure TryAgain = new("EAI_AGAIN", "[EAI_AGAIN] :: Temporary failure in name resolution", 500);

    /// <summary>Node's answer for a code it has no message for: <c>[CODE]</c>, status 400.</summary>
    public static TransportFailure Unknown(string code) => new(code, $"[{code}]", 400);

    /// <summary>An invalid header name or value (Node: <c>ERR_INVALID_CHAR</c>).</summary>
    public static readonly TransportFailure InvalidHeader = Unknown("ERR_INVALID_CHAR");

    /// <summary>An invalid method (Node: <c>ERR_INVALID_HTTP_TOKEN</c>).</summary>
    public static readonly TransportFailure InvalidMethod = Unknown("ERR_INVALID_HTTP_TOKEN");

    /// <summary>An endpoint that is not a URL (Node: <c>ERR_INVALID_URL</c>).</summary>
    public static readonly TransportFailure InvalidUrl = Unknown("ERR_INVALID_URL");

    /// <summary>More redirects than allowed (follow-redirects: <c>ERR_FR_TOO_MANY_REDIRECTS</c>).</summary>
    public static readonly TransportFailure TooManyRedirects = Unknown("ERR_FR_TOO_MANY_REDIRECTS");

    /// <summary>
    /// The closest Node code for a .NET client failure (spec §14.10): refused, reset, timed out,
    /// host not found; anything else that broke the connection counts as a reset.
    /// </summary>
    public static TransportFailure Classify(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket) return FromSocketError(socket.SocketErrorCode);
        }
        if (exception is HttpRequestException http)
        {
            switch (http.HttpRequestError)
            {
                case HttpRequestError.NameResolutionError: return NotFound;
                case HttpRequestError.ConnectionError: return ConnectionRefused;
                case HttpRequestError.InvalidResponse:
                case HttpRequestError.ResponseEnded:
                case HttpRequestError.SecureConnectionError:
                case HttpRequestError.HttpProtocolError:
                    return ConnectionReset;
                case HttpRequestError.ConfigurationLimitExceeded:
                    return Unknown("ERR_FR_MAX_BODY_LENGTH_EXCEEDED");
            }
        }
        if (exception is TimeoutException) return Aborted;
        return ConnectionReset;
    }

    private static TransportFailure FromSocketError(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => ConnectionRefused,
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.NotConnected => ConnectionReset,
        SocketError.TimedOut => TimedOut,
        SocketError.HostNotFound or SocketError.NoData => NotFound,
        SocketError.TryAgain => TryAgain,
        // Unreachable networks and hosts: the closest of Node's codes that rudder-server retries.
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown or SocketError.HostDown => ConnectionRefused,
        _ => ConnectionReset,
    };
}
