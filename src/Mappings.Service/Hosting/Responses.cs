using System.Text.Json;
using Mappings.Runtime.Dispatch;
using Mappings.Runtime.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Mappings.Service.Hosting;

/// <summary>Writing response bodies: JSON from a buffer, and the service's own <c>{"error": …}</c> answers.</summary>
internal static class Responses
{
    public const string Json = "application/json";
    private static readonly StringValues ApiVersion2 = "2";
    private static readonly JsName Error = ProtocolNames.Error;

    /// <summary>Writes the body with its status; <c>apiVersion: 2</c> where spec §10 asks for it.</summary>
    public static async Task WriteAsync(HttpContext context, int status, ReadOnlyMemory<byte> body, bool apiVersion, string contentType = Json)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        if (apiVersion) response.Headers["apiVersion"] = ApiVersion2;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>{"error": message}</c> with the status (JavaScript escaping of the message).</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message, bool apiVersion = false)
    {
        var buffer = new ByteBuffer(message.Length + 32);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterExtensions.Options))
        {
            writer.WriteStartObject();
            writer.WriteJsString(Error, message);
            writer.WriteEndObject();
        }
        return WriteAsync(context, status, buffer.WrittenMemory, apiVersion);
    }

    /// <summary>413 for a body over the limit.</summary>
    public static Task WriteTooLargeAsync(HttpContext context, long limit) =>
        WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the limit of {limit} bytes (MAX_REQUEST_BODY_MB)");

    /// <summary>404 <c>{"error": "Unknown destination: name"}</c> (spec §10).</summary>
    public static Task WriteUnknownDestinationAsync(HttpContext context, string name, bool apiVersion) =>
        WriteErrorAsync(context, StatusCodes.Status404NotFound, "Unknown destination: " + name, apiVersion);
}
