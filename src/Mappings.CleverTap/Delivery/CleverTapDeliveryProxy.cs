using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Mappings.Runtime;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;

namespace Mappings.CleverTap.Delivery;

/// <summary>Which proxy endpoint a request came to (spec §8.4, §8.5).</summary>
public enum ProxyVersion
{
    /// <summary><c>/v0/destinations/clevertap/proxy</c>: one job, <c>metadata</c> an object.</summary>
    V0,
    /// <summary><c>/v1/destinations/clevertap/proxy</c>: <c>metadata</c> an array, one per job.</summary>
    V1,
}

/// <summary>
/// The delivery proxy (spec §8): sends a proxy request to CleverTap, reads the answer as the
/// reference does (JSON when it parses, text otherwise), classifies it (§8.3) and writes the v0
/// or v1 response body. Thread-safe; each call uses its own pooled heap.
/// </summary>
public sealed class CleverTapDeliveryProxy
{
    private static readonly JsName Status = JsName.Of("status");
    private static readonly JsName Message = JsName.Of("message");
    private static readonly JsName DestinationResponse = JsName.Of("destinationResponse");
    private static readonly JsName Response = JsName.Of("response");
    private static readonly JsName HeadersName = JsName.Of("headers");
    private static readonly JsName Success = JsName.Of("success");
    private static readonly JsName Network = JsName.Of("network");
    private static readonly JsName Retryable = JsName.Of("retryable");
    private static readonly JsName Throttled = JsName.Of("throttled");
    private static readonly JsName AbortedType = JsName.Of("aborted");
    private static readonly JsName DataDelivery = JsName.Of("dataDelivery");
    private static readonly JsName NonDeterminable = JsName.Of("Non-determininable");
    private static readonly JsName Processed = JsName.Of("Request Processed Successfully");
    private const string FailedWithStatus = "Request failed  with status: "; // two spaces, as the reference writes it

    private readonly DestinationMapper _destination;
    private readonly DeliveryClient _client;
    private readonly DeliveryHostPolicy _policy;
    // Heaps kept between requests; one that held a large body or answer (over 4 MiB) is let go.
    private const long KeptHeapBytes = 4 * 1024 * 1024;
    private readonly InstancePool<JsHeap> _heaps = new(() => new JsHeap(), maxKept: 64);

    public CleverTapDeliveryProxy(DestinationMapper destination, DeliveryClient client, DeliveryHostPolicy policy)
    {
        _destination = destination;
        _client = client;
        _policy = policy;
    }

    /// <summary>
    /// Delivers one proxy request body and writes the response body; returns the HTTP status
    /// (v0: the outcome's status, 404 as 400; v1: 200). A body that is not a JSON object (or a v1
    /// body without a metadata array) is answered 400 <c>{"error": …}</c> without sending (D1).
    /// </summary>
    public async Task<int> DeliverAsync(ReadOnlyMemory<byte> body, ProxyVersion version, IBufferWriter<byte> output, CancellationToken aborted)
    {
        var heap = _heaps.Rent();
        heap.Reset();
        long held = body.Length;
        try
        {
            int root;
            try
            {
                root = Parse(heap, body.Span);
            }
            catch (JsonException e)
            {
                return WriteRequestError(output, JsonErrorText.NotJson("The request body", e));
            }
            if (heap.TypeOf(root) != JsType.Object) return WriteRequestError(output, "The delivery request body must be a JSON object");
            if (heap.HasProtoKey) return WriteRequestError(output, ProtocolNames.ProtoError.Value);
            int metadata = heap.GetOwn(root, ProtocolNames.Metadata.Utf8);
            if (version == ProxyVersion.V1 && heap.TypeOf(metadata) != JsType.Array)
            {
                return WriteRequestError(output, "A v1 delivery request needs \"metadata\": an array with one entry per job");
            }

            var request = ProxyRequestReader.Read(heap, root, _policy, out var early);
            if (request is not null && _client.Observer is not null) request = request with { Purpose = DeliveryPurpose.Proxy, Ids = JobIds.Of(heap, metadata) };
            var result = early ?? await _client.SendAsync(request!, _policy, aborted).ConfigureAwait(false);
            held += result.Body.Length; // the heap grows with CleverTap's answer too
            var outcome = Classify(heap, result);
            return version == ProxyVersion.V0 ? WriteV0(output, heap, in outcome, metadata) : WriteV1(output, heap, in outcome, metadata);
        }
        finally
        {
            _heaps.Return(heap, keep: held <= KeptHeapBytes);
        }
    }

    /// <summary>Lets the heaps kept for the next requests go (the service calls this when it gives memory back).</summary>
    public void ReleaseKeptHeaps() => _heaps.Clear();

    // ------------------------------------------------------------------ classification (spec §8.2–8.3)

    private readonly struct Outcome
    {
        public bool Succeeded { get; init; }
        public int Status { get; init; }
        public string Message { get; init; }
        public JsName ErrorType { get; init; }
        /// <summary>destinationResponse.response (heap value); Undefined when nothing was sent (D5).</summary>
        public int Response { get; init; }
        public int ResponseStatus { get; init; }
        public IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Headers { get; init; }
    }

    private static Outcome Classify(JsHeap heap, DeliveryResult result)
    {
        if (result.Refusal is { } refusal)
        {
            return new Outcome { Succeeded = false, Status = 400, Message = refusal, ErrorType = AbortedType, Response = JsHeap.Undefined, Headers = [] };
        }
        int response;
        int status;
        if (result.Failure is { } failure)
        {
            response = HeapText.NewString(heap, failure.Message);
            status = failure.Status;
        }
        else
        {
            response = ParseAnswer(heap, result.Body);
            status = result.Status == 0 ? 500 : result.Status;
        }
        var headers = result.Headers;
        if (status is < 200 or > 299)
        {
            return new Outcome
            {
                Succeeded = false, Status = status, Message = FailedWithStatus + status.ToString(CultureInfo.InvariantCulture),
                ErrorType = ErrorTypeOf(status), Response = response, ResponseStatus = status, Headers = headers,
            };
        }
        if (heap.IsTruthy(response) && !heap.StringEquals(Lookup.Property(heap, response, Status.Utf8), Success.Utf8))
        {
            return new Outcome
            {
                Succeeded = false, Status = 400, Message = FailedWithStatus + status.ToString(CultureInfo.InvariantCulture),
                ErrorType = AbortedType, Response = response, ResponseStatus = status, Headers = headers,
            };
        }
        return new Outcome { Succeeded = true, Status = status, Message = Processed.Value, Response = response, ResponseStatus = status, Headers = headers };
    }

    /// <summary>NetworkError's type: retryable for 5xx, throttled for 429, aborted otherwise.</summary>
    private static JsName ErrorTypeOf(int status) => status switch
    {
        >= 500 and <= 599 => Retryable,
        429 => Throttled,
        _ => AbortedType,
    };

    /// <summary>
    /// The answer's body as axios reads it: one leading byte order mark dropped
    /// (<see cref="JsHeap.ParseRepairedOrText"/>), then JSON when it parses, else the text; falsy → <c>""</c>.
    /// </summary>
    private static int ParseAnswer(JsHeap heap, byte[] body)
    {
        if (body.Length == 0) return JsHeap.EmptyString;
        int value = heap.ParseRepairedOrText(body);
        return heap.IsTruthy(value) ? value : JsHeap.EmptyString;
    }

    // ------------------------------------------------------------------ responses (spec §8.4–8.5)

    private int WriteV0(IBufferWriter<byte> output, JsHeap heap, in Outcome outcome, int metadata)
    {
        using var writer = new Utf8JsonWriter(output, JsonWriterExtensions.Options);
        writer.WriteStartObject();
        writer.WritePropertyName(ProtocolNames.Output.Encoded);
        writer.WriteStartObject();
        writer.WriteNumber(Status.Encoded, outcome.Status);
        writer.WriteJsString(Message, outcome.Message);
        WriteDestinationResponse(writer, heap, in outcome);
        if (!outcome.Succeeded) WriteStatTags(writer, heap, outcome.ErrorType, metadata);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        if (outcome.Succeeded) return 200;
        int status = outcome.Status == 404 ? 400 : outcome.Status;
        // Statuses that cannot carry a body are answered 400: rudder-server must be able to read it.
        return status is < 200 or 204 or 205 or 304 or > 999 ? 400 : status;
    }

    private int WriteV1(IBufferWriter<byte> output, JsHeap heap, in Outcome outcome, int metadata)
    {
        using var writer = new Utf8JsonWriter(output, JsonWriterExtensions.Options);
        writer.WriteStartObject();
        writer.WritePropertyName(ProtocolNames.Output.Encoded);
        writer.WriteStartObject();
        writer.WritePropertyName(Response.Encoded);
        writer.WriteStartArray();
        // error: JSON.stringify(destinationResponse.response), or the message when nothing was sent;
        // cut to 16,384 characters (D9), as every job repeats it.
        int error = JobError(heap, outcome.Response == JsHeap.Undefined ? HeapText.NewString(heap, outcome.Message) : heap.NewStringified(outcome.Response));
        int jobs = heap.ArrayLength(metadata);
        for (int i = 0; i < jobs; i++)
        {
            writer.WriteStartObject();
            writer.WritePropertyName(ProtocolNames.Error.Encoded);
            heap.WriteValue(writer, error);
            writer.WriteNumber(ProtocolNames.StatusCode.Encoded, outcome.Status);
            writer.WritePropertyName(ProtocolNames.Metadata.Encoded);
            heap.WriteValue(writer, heap.ArrayElement(metadata, i));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (outcome.Succeeded)
        {
            writer.WriteNumber(Status.Encoded, outcome.Status);
            writer.WriteJsString(Message, outcome.Message);
        }
        else
        {
            WriteStatTags(writer, heap, outcome.ErrorType, metadata);
            writer.WriteJsString(Message, outcome.Message);
            writer.WriteNumber(Status.Encoded, outcome.Status);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        return 200;
    }

    /// <summary>
    /// D9: the error every job of a v1 answer carries, as it is while it has at most 16,384
    /// characters; a longer one is cut and ends with <c>…(truncated)</c>, 16,384 characters in all.
    /// </summary>
    private static int JobError(JsHeap heap, int error)
    {
        var text = heap.StringBytes(error);
        var cut = heap.RentBuffer();
        try
        {
            return RequestText.TryTruncateJobError(text, cut) ? heap.NewString(cut.WrittenSpan) : error;
        }
        finally
        {
            heap.ReturnBuffer();
        }
    }

    private static void WriteDestinationResponse(Utf8JsonWriter writer, JsHeap heap, in Outcome outcome)
    {
        if (outcome.Response == JsHeap.Undefined) return; // nothing was sent (D5)
        writer.WritePropertyName(DestinationResponse.Encoded);
        writer.WriteStartObject();
        writer.WritePropertyName(Response.Encoded);
        heap.WriteValue(writer, outcome.Response);
        writer.WriteNumber(Status.Encoded, outcome.ResponseStatus);
        if (outcome.Headers.Count > 0)
        {
            writer.WritePropertyName(HeadersName.Encoded);
            writer.WriteStartObject();
            foreach (var (name, values) in outcome.Headers)
            {
                writer.WritePropertyName(JsonEncodedTextOf(name));
                if (name == "set-cookie")
                {
                    writer.WriteStartArray();
                    foreach (string v in values) writer.WriteJsStringValue(v);
                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteJsStringValue(string.Join(", ", values));
                }
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static JsonEncodedText JsonEncodedTextOf(string name) => JsonEncodedText.Encode(name, PreEscapedEncoder.Instance);

    /// <summary>
    /// <c>{errorCategory: "network", errorType, destType, module, implementation, feature: "dataDelivery",
    /// destinationId, workspaceId}</c>; the ids from the (first) job's metadata, or "Non-determininable".
    /// </summary>
    private void WriteStatTags(Utf8JsonWriter writer, JsHeap heap, JsName errorType, int metadata)
    {
        int ids = heap.TypeOf(metadata) == JsType.Array ? heap.ArrayElement(metadata, 0) : metadata;
        writer.WritePropertyName(ProtocolNames.StatTags.Encoded);
        writer.WriteStartObject();
        writer.WriteString(ProtocolNames.ErrorCategory.Encoded, Network.Encoded);
        writer.WriteString(ProtocolNames.ErrorType.Encoded, errorType.Encoded);
        writer.WriteString(ProtocolNames.DestType.Encoded, _destination.DestTypeName.Encoded);
        writer.WriteString(ProtocolNames.Module.Encoded, ProtocolNames.DestinationModule.Encoded);
        writer.WriteString(ProtocolNames.Implementation.Encoded, ProtocolNames.Native.Encoded);
        writer.WriteString(ProtocolNames.Feature.Encoded, DataDelivery.Encoded);
        WriteId(writer, heap, ProtocolNames.DestinationId, ids);
        WriteId(writer, heap, ProtocolNames.WorkspaceId, ids);
        writer.WriteEndObject();
    }

    /// <summary><c>metadata?.id || "Non-determininable"</c>.</summary>
    private static void WriteId(Utf8JsonWriter writer, JsHeap heap, JsName name, int ids)
    {
        int value = Lookup.Property(heap, ids, name.Utf8);
        if (heap.IsTruthy(value) && !heap.IsFunction(value)) heap.WriteMember(writer, name, value);
        else writer.WriteString(name.Encoded, NonDeterminable.Encoded);
    }

    // ------------------------------------------------------------------ helpers

    internal static int Parse(JsHeap heap, ReadOnlySpan<byte> body) => heap.ParseRepaired(body);

    internal static int WriteRequestError(IBufferWriter<byte> output, string message)
    {
        using var writer = new Utf8JsonWriter(output, JsonWriterExtensions.Options);
        writer.WriteStartObject();
        writer.WriteJsString(ProtocolNames.Error, message);
        writer.WriteEndObject();
        writer.Flush();
        return 400;
    }
}
