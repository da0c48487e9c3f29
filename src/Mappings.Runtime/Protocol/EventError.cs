using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>The kind of error an event failed with; decides its statTags (spec §0).</summary>
public enum ErrorKind : byte
{
    /// <summary><c>{errorCategory: "dataValidation", errorType: "instrumentation"}</c>.</summary>
    Instrumentation,
    /// <summary><c>{errorCategory: "dataValidation", errorType: "configuration"}</c>.</summary>
    Configuration,
}

/// <summary>
/// Why an event produced no request: status, message and kind. Messages known when the program
/// is compiled travel pre-encoded (<see cref="Name"/>), others as text.
/// </summary>
public readonly struct EventError
{
    private readonly object? _message;

    private EventError(int statusCode, object message, ErrorKind kind)
    {
        StatusCode = statusCode;
        _message = message;
        Kind = kind;
    }

    public int StatusCode { get; }

    public ErrorKind Kind { get; }

    /// <summary>The message text.</summary>
    public string Message => _message is JsName n ? n.Value : (string?)_message ?? string.Empty;

    /// <summary>The pre-encoded message, when it is known at compile time.</summary>
    public JsName? Name => _message as JsName;

    public static EventError Instrumentation(JsName message) => new(400, message, ErrorKind.Instrumentation);

    public static EventError Instrumentation(string message) => new(400, message, ErrorKind.Instrumentation);

    public static EventError Configuration(string message) => new(400, message, ErrorKind.Configuration);

    public static EventError Configuration(JsName message) => new(400, message, ErrorKind.Configuration);

    public override string ToString() => $"{StatusCode} {Kind}: {Message}";
}
