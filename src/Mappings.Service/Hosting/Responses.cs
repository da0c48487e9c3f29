using System.Text.Json;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Mappings.Service.Hosting;

/// <summary>Writing response bodies: JSON from a buffer, and the service's own <c>{"error": …}</c> answers.</summary>
internal static class Responses
{
    public const string Json = "application/json";
    private static readonly StringValues ApiVersion2 = "2";
    private static readonly JsName Error = ProtocolNames.Error;

    /// <summary>
    /// Most bytes handed to Kestrel in one write. Kestrel copies a write into its output pipe and
    /// allows it <c>bytes / MinResponseDataRate</c> to drain: one write of a whole 50 MB answer
    /// would copy it (50 MB more) and give a client that stopped reading days (at 240 bytes/s)
    /// before it is cut off. A piece at a time, only what the client (and the socket buffers) took
    /// counts, and a stalled client is cut off within seconds (docs/operations.md: "Limits"). 256 KiB: a
    /// processor answer (about 100 KB for 100 events) still goes in one write, as before; a piece
    /// adds at most 1 s at the default rate.
    /// </summary>
    public const int WriteChunkBytes = 256 * 1024;

    /// <summary>Writes the body with its status; <c>apiVersion: 2</c> where spec §10 asks for it.</summary>
    public static async Task WriteAsync(HttpContext context, int status, ReadOnlyMemory<byte> body, bool apiVersion, string contentType = Json)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        if (apiVersion) response.Headers["apiVersion"] = ApiVersion2;
        response.ContentLength = body.Length;
        var stream = response.Body;
        var aborted = context.RequestAborted;
        for (int at = 0; at < body.Length && !aborted.IsCancellationRequested; at += WriteChunkBytes)
        {
            await stream.WriteAsync(body.Slice(at, Math.Min(WriteChunkBytes, body.Length - at)), aborted).ConfigureAwait(false);
        }
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

    /// <summary>
    /// Most bytes of a refused body read (and dropped) after the 413 is sent, so that a client still
    /// sending it sees the answer rather than a reset connection. Larger bodies are cut off.
    /// </summary>
    public const int TooLargeDrainBytes = 8 * 1024 * 1024;

    private static readonly TimeSpan TooLargeDrainTime = TimeSpan.FromSeconds(5);

    /// <summary>
    /// 413 for a body over the limit, then the connection is closed. After the answer, the rest of
    /// the body (up to <see cref="TooLargeDrainBytes"/>, for at most 5 s) is read and dropped:
    /// closing a connection with unread bytes resets it, and a client still sending would lose the
    /// answer. A longer body is cut off (its client may see a reset).
    /// </summary>
    public static async Task WriteTooLargeAsync(HttpContext context, long limit)
    {
        Metrics.RequestMetrics.Refused(context, Metrics.RefusalLimit.RequestBodySize);
        context.Response.Headers.Connection = "close";
        await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the limit of {limit} bytes (MAX_REQUEST_BODY_MB)").ConfigureAwait(false);
        try
        {
            await context.Response.CompleteAsync().ConfigureAwait(false);
            // A body refused for its declared length has not been read: Kestrel's own limit would
            // refuse the first read. The drain below stops by itself.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(TooLargeDrainTime);
            var reader = context.Request.BodyReader;
            long drained = 0;
            while (drained <= TooLargeDrainBytes)
            {
                var result = await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                drained += result.Buffer.Length;
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException or InvalidOperationException)
        {
            // Past the drain allowance, too slow, or the client went away: the connection closes.
        }
    }

    /// <summary>404 <c>{"error": "Unknown destination: name"}</c> (spec §10; a long name cut as D10 says).</summary>
    public static Task WriteUnknownDestinationAsync(HttpContext context, string name, bool apiVersion)
    {
        Metrics.RequestMetrics.OtherDestination(context);
        return WriteErrorAsync(context, StatusCodes.Status404NotFound, "Unknown destination: " + RequestText.Quote(name), apiVersion);
    }

    /// <summary>408 for a request body that arrived slower than Kestrel's minimum request body data rate.</summary>
    public static Task WriteBodyTimeoutAsync(HttpContext context, double bytesPerSecond, TimeSpan grace)
    {
        Metrics.RequestMetrics.Refused(context, Metrics.RefusalLimit.RequestBodyRate);
        context.Response.Headers.Connection = "close";
        return WriteErrorAsync(context, StatusCodes.Status408RequestTimeout,
            $"Timed out reading the request body: it arrived slower than {bytesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes/s (after the first {grace.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s)");
    }
}
