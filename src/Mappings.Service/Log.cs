namespace Mappings.Service;

/// <summary>
/// The service's log messages (source-generated). None of them carries a request body, a header
/// or an exception message: those can hold the CleverTap passcode.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Mappings listening on {Address}, port {Port}; max request body {MaxRequestBodyBytes} bytes; CleverTap timeout {TimeoutMs} ms, {PerAccount} requests in flight per account; extra proxy hosts: {AllowedHosts}; upstream transformer: {Upstream}")]
    public static partial void Started(ILogger logger, string address, int port, long maxRequestBodyBytes, long timeoutMs, int perAccount, string allowedHosts, string upstream);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Unexpected {ExceptionType} while handling {Method} {Path}; answered 500. {StackTrace}")]
    public static partial void UnexpectedFailure(ILogger logger, string exceptionType, string method, string path, string? stackTrace);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Request body on {Path} is larger than {LimitBytes} bytes: answered 413")]
    public static partial void BodyTooLarge(ILogger logger, string path, long limitBytes);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Malformed HTTP request on {Path}: answered {Status}")]
    public static partial void BadRequest(ILogger logger, string path, int status);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "CleverTap request to {Host} got no answer: {Code} (status {Status})")]
    public static partial void DeliveryFailed(ILogger logger, string host, string code, int status);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "CleverTap request not sent: {Reason}")]
    public static partial void DeliveryRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Upstream transformer request {Method} {Path} failed: {Code}; answered {Status}")]
    public static partial void UpstreamFailed(ILogger logger, string method, string path, string code, int status);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Unknown destination \"{Destination}\" on {Path}: answered 404")]
    public static partial void UnknownDestination(ILogger logger, string destination, string path);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "Forwarded {Method} {Path} to the upstream transformer: {Status}")]
    public static partial void Forwarded(ILogger logger, string method, string path, int status);
}
