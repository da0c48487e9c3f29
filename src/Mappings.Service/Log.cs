using Mappings.Runtime;

namespace Mappings.Service;

/// <summary>
/// The service's log messages (source-generated). None of them carries a request body, a header
/// or an exception message: those can hold the CleverTap passcode. Whatever else came with a
/// request (a path, a method, a destination name, a host) goes through <see cref="RequestText.ForLog"/>
/// here, in the public methods: cut to 256 characters and control characters escaped (D10), so
/// that no request can flood the log or start a line of its own.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Mappings listening on {Address}, port {Port}; max request body {MaxRequestBodyBytes} bytes; CleverTap timeout {TimeoutMs} ms, {PerAccount} requests in flight per account; extra proxy hosts: {AllowedHosts}; upstream transformer: {Upstream}; answers read at {MinResponseBytesPerSecond} bytes/s at least (after {MinResponseGraceMs} ms); shutdown timeout {ShutdownTimeoutMs} ms")]
    public static partial void Started(ILogger logger, string address, int port, long maxRequestBodyBytes, long timeoutMs, int perAccount, string allowedHosts, string upstream,
        double minResponseBytesPerSecond, long minResponseGraceMs, long shutdownTimeoutMs);

    public static void UnexpectedFailure(ILogger logger, string exceptionType, string method, string path, string? stackTrace)
    {
        if (logger.IsEnabled(LogLevel.Error)) UnexpectedFailureLine(logger, exceptionType, RequestText.ForLog(method), RequestText.ForLog(path), stackTrace);
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Unexpected {ExceptionType} while handling {Method} {Path}; answered 500. {StackTrace}")]
    private static partial void UnexpectedFailureLine(ILogger logger, string exceptionType, string method, string path, string? stackTrace);

    public static void BodyTooLarge(ILogger logger, string path, long limitBytes)
    {
        if (logger.IsEnabled(LogLevel.Warning)) BodyTooLargeLine(logger, RequestText.ForLog(path), limitBytes);
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Request body on {Path} is larger than {LimitBytes} bytes: answered 413")]
    private static partial void BodyTooLargeLine(ILogger logger, string path, long limitBytes);

    public static void BadRequest(ILogger logger, string path, int status)
    {
        if (logger.IsEnabled(LogLevel.Warning)) BadRequestLine(logger, RequestText.ForLog(path), status);
    }

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Malformed HTTP request on {Path}: answered {Status}")]
    private static partial void BadRequestLine(ILogger logger, string path, int status);

    public static void DeliveryFailed(ILogger logger, string host, string code, int status)
    {
        if (logger.IsEnabled(LogLevel.Warning)) DeliveryFailedLine(logger, RequestText.ForLog(host), code, status);
    }

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "CleverTap request to {Host} got no answer: {Code} (status {Status})")]
    private static partial void DeliveryFailedLine(ILogger logger, string host, string code, int status);

    public static void DeliveryRefused(ILogger logger, string reason)
    {
        if (logger.IsEnabled(LogLevel.Warning)) DeliveryRefusedLine(logger, RequestText.ForLog(reason));
    }

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "CleverTap request not sent: {Reason}")]
    private static partial void DeliveryRefusedLine(ILogger logger, string reason);

    public static void UpstreamFailed(ILogger logger, string method, string path, string code, int status)
    {
        if (logger.IsEnabled(LogLevel.Warning)) UpstreamFailedLine(logger, RequestText.ForLog(method), RequestText.ForLog(path), code, status);
    }

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Upstream transformer request {Method} {Path} failed: {Code}; answered {Status}")]
    private static partial void UpstreamFailedLine(ILogger logger, string method, string path, string code, int status);

    public static void UnknownDestination(ILogger logger, string destination, string path)
    {
        if (logger.IsEnabled(LogLevel.Information)) UnknownDestinationLine(logger, RequestText.ForLog(destination), RequestText.ForLog(path));
    }

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Unknown destination \"{Destination}\" on {Path}: answered 404")]
    private static partial void UnknownDestinationLine(ILogger logger, string destination, string path);

    public static void Forwarded(ILogger logger, string method, string path, int status)
    {
        if (logger.IsEnabled(LogLevel.Debug)) ForwardedLine(logger, RequestText.ForLog(method), RequestText.ForLog(path), status);
    }

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "Forwarded {Method} {Path} to the upstream transformer: {Status}")]
    private static partial void ForwardedLine(ILogger logger, string method, string path, int status);

    public static void BodyTimedOut(ILogger logger, string path)
    {
        if (logger.IsEnabled(LogLevel.Warning)) BodyTimedOutLine(logger, RequestText.ForLog(path));
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Request body on {Path} arrived too slowly: answered 408")]
    private static partial void BodyTimedOutLine(ILogger logger, string path);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Stopping: no new connections; requests in flight have {ShutdownTimeoutMs} ms to finish (requests to CleverTap and the upstream transformer still waiting after {CutOffMs} ms are answered as timeouts)")]
    public static partial void Stopping(ILogger logger, long shutdownTimeoutMs, long cutOffMs);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Shutdown timeout nears: requests still waiting on CleverTap or the upstream transformer are answered as timeouts")]
    public static partial void ShutdownCutOff(ILogger logger);

    public static void ResponseTooLarge(ILogger logger, string path)
    {
        if (logger.IsEnabled(LogLevel.Warning)) ResponseTooLargeLine(logger, RequestText.ForLog(path));
    }

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "The answer on {Path} would pass MAX_RESPONSE_MB: answered 413")]
    private static partial void ResponseTooLargeLine(ILogger logger, string path);
}
