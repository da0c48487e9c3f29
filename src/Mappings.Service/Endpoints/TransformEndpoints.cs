using System.Text.Json;
using Mappings.Runtime;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Js;
using Mappings.Runtime.Json;
using Mappings.Runtime.Mapping;
using Mappings.Runtime.Router;
using Mappings.Service.Hosting;
using Mappings.Service.Metrics;
using Mappings.Service.DestinationSelection;
using Mappings.Service.Upstream;

namespace Mappings.Service.Endpoints;

/// <summary>
/// The transformation endpoints (spec §10.2–10.4, §10.7): processor (<c>/v0</c> and <c>/v1</c>,
/// D4), router and batch. Each request body is read once into a pooled buffer and handed to a
/// pooled transformer; the response body is written from a pooled buffer.
/// </summary>
internal sealed class TransformEndpoints
{
    private const string CompactedFormat = "json+compactedv1";
    private static readonly JsName Batched = ProtocolNames.Batched;
    private static readonly JsName BatchFeature = JsName.Of("batch");
    private static readonly JsName DoesNotImplementBatch = JsName.Of(" does not implement batch");
    private static ReadOnlySpan<byte> InputKey => "input"u8;
    private static ReadOnlySpan<byte> DestTypeKey => "destType"u8;

    private readonly DestinationMapper _destination;
    private readonly RequestBodyReader _bodies;
    private readonly UpstreamTransformer? _upstream;
    private readonly ILogger _logger;
    private readonly InstancePool<ProcessorTransformer> _processors;
    private readonly InstancePool<RouterTransformer> _routers;
    private readonly InstancePool<JsHeap> _heaps;

    /// <summary>
    /// Turns for the transformations themselves, one per core. A transformation is synchronous CPU
    /// work: more of them at once would only share the cores, each taking longer, and would need more
    /// transformers and buffers than the pools keep (garbage after each request). A request waits for
    /// its turn with its body read, so a slow client never holds one. Processor requests (short work)
    /// get their turn before router requests (long work) that wait, see <see cref="TurnGate"/>.
    /// </summary>
    private readonly TurnGate _turns = new(Environment.ProcessorCount);

    /// <summary>The limit of one answer (D11, <c>MAX_RESPONSE_MB</c>).</summary>
    private readonly long _maxResponseBytes;

    /// <summary>The service's metrics; null when they are off.</summary>
    public ServiceMetrics? Metrics { get; init; }

    /// <summary>Requests waiting for a turn (short, long) and transformations running (metrics).</summary>
    public (int ShortWaiting, int LongWaiting, int Running) TurnCounts() => _turns.Counts();

    public TransformEndpoints(DestinationMapper destination, RequestBodyReader bodies, UpstreamTransformer? upstream, ILogger logger,
        long maxEventOutputBytes = Limits.DefaultMaxEventOutputBytes, long maxResponseBytes = Limits.DefaultMaxResponseBytes)
    {
        _destination = destination;
        _bodies = bodies;
        _upstream = upstream;
        _logger = logger;
        _maxResponseBytes = maxResponseBytes;
        int kept = Environment.ProcessorCount * 2;
        _processors = new(() => new ProcessorTransformer(destination) { MaxEventOutputBytes = maxEventOutputBytes, MaxResponseBytes = maxResponseBytes, Tally = Metrics is null ? null : new() }, kept);
        _routers = new(() => new RouterTransformer(destination) { MaxEventOutputBytes = maxEventOutputBytes, MaxResponseBytes = maxResponseBytes, Tally = Metrics is null ? null : new() }, kept);
        _heaps = new(() => new JsHeap(), kept);
        bodies.Relief.OnRelief(() =>
        {
            _processors.Clear();
            _routers.Clear();
            _heaps.Clear();
        });
    }

    /// <summary><c>POST /v0/destinations/{dest}</c> and <c>/v1/…</c> (D4: the same answer).</summary>
    public async Task ProcessorAsync(HttpContext context)
    {
        string dest = context.Request.RouteValues["dest"] as string ?? "";
        if (!DestinationName.Matches(dest, _destination.DestType))
        {
            await OtherDestinationAsync(context, dest, body: null).ConfigureAwait(false);
            return;
        }
        var body = await _bodies.ReadAsync(context).ConfigureAwait(false);
        if (body.IsTooLarge)
        {
            await TooLargeAsync(context).ConfigureAwait(false);
            return;
        }
        bool compacted = IsCompacted(context.Request);
        // A processor request is short work unless its body is large (then it waits like a router body).
        await TransformInTurnAsync(context, isShort: !body.IsLarge, body, output =>
        {
            var transformer = _processors.Rent();
            int status = transformer.TransformRequest(body.Span, output, compacted);
            if (transformer.Tally is { } tally) MetricsHooks.Processor(Metrics!, context, tally, status);
            _processors.Return(transformer, keep: Keeps(body));
            return status;
        }).ConfigureAwait(false);
    }

    /// <summary><c>POST /routerTransform</c>: the body's <c>destType</c> picks the destination.</summary>
    public async Task RouterAsync(HttpContext context)
    {
        var body = await _bodies.ReadAsync(context).ConfigureAwait(false);
        bool answered;
        try
        {
            answered = await AnswerWithoutTransformAsync(context, body).ConfigureAwait(false);
        }
        catch
        {
            body.Dispose();
            throw;
        }
        if (answered)
        {
            body.Dispose();
            return;
        }
        bool compacted = IsCompacted(context.Request);
        await TransformInTurnAsync(context, isShort: false, body, output =>
        {
            var transformer = _routers.Rent();
            int status = transformer.Transform(body.Span, output, compacted);
            if (transformer.Tally is { } tally) MetricsHooks.Router(Metrics!, context, tally, status);
            _routers.Return(transformer, keep: Keeps(body));
            return status;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers a router request that is not transformed here (body too large, another destination);
    /// false when it is ours to transform.
    /// </summary>
    private async Task<bool> AnswerWithoutTransformAsync(HttpContext context, RequestBody body)
    {
        if (body.IsTooLarge)
        {
            await TooLargeAsync(context).ConfigureAwait(false);
            return true;
        }
        var scan = DestTypeScan.Find(body.Span);
        bool ours = scan.IsString && DestinationName.Matches(scan.DestType, _destination.DestType);
        if (!ours && scan.IsObject)
        {
            if (_upstream is not null)
            {
                await _upstream.ForwardAsync(context, body.Memory).ConfigureAwait(false);
                return true;
            }
            // The reference answers "Invalid event array" (HTTP 200) before it looks at the destination.
            var full = scan.InputKnown ? scan : DestTypeScan.Forward(body.Span);
            if (full.InputIsNonEmptyArray)
            {
                Log.UnknownDestination(_logger, full.DestType ?? "undefined", "/routerTransform");
                await Responses.WriteUnknownDestinationAsync(context, full.DestType ?? "undefined", apiVersion: true).ConfigureAwait(false);
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Whether the transformer that served this request is kept for the next one: not when its body
    /// was large. One that made a large answer (a 2 KB body can make a 50 MB one) is kept for the
    /// requests that follow, and let go when <see cref="MemoryRelief"/> empties the pools.
    /// </summary>
    private static bool Keeps(in RequestBody body) => !body.IsLarge;

    /// <summary>
    /// Runs <paramref name="transform"/> (output buffer in, HTTP status out) in its turn, then writes
    /// the output as the response body. Takes the body over: it (and a large body's turn) is let go
    /// as soon as the transformation is done, before the answer is written, so a client that reads
    /// its answer slowly holds nothing but that answer (and no turn at all).
    /// </summary>
    private async Task TransformInTurnAsync(HttpContext context, bool isShort, RequestBody body, Func<ByteBuffer, int> transform)
    {
        ByteBuffer? output = null;
        try
        {
            int status;
            string? tooLarge = null;
            try
            {
                await _turns.WaitAsync(isShort, context.RequestAborted).ConfigureAwait(false);
                try
                {
                    output = _bodies.RentBuffer();
                    // D11: the answer's buffer refuses to grow past the limit, before the memory is taken.
                    output.SetLimit(_maxResponseBytes, OutputLimitKind.Response);
                    status = transform(output);
                }
                catch (OutputLimitException e) when (e.Kind == OutputLimitKind.Response)
                {
                    output!.ClearLimit();
                    output.ClearAndTrim(64 * 1024);
                    status = Limits.ResponseTooLargeStatus;
                    tooLarge = Limits.ResponseTooLarge(e.Limit);
                }
                finally
                {
                    output?.ClearLimit();
                    _turns.Release();
                }
            }
            finally
            {
                body.Dispose();
            }
            if (status == Limits.ResponseTooLargeStatus) RequestMetrics.Refused(context, RefusalLimit.ResponseSize);
            if (status == Limits.ResponseTooLargeStatus && tooLarge is null) Log.ResponseTooLarge(_logger, context.Request.Path);
            if (tooLarge is not null)
            {
                Log.ResponseTooLarge(_logger, context.Request.Path);
                await Responses.WriteErrorAsync(context, status, tooLarge, apiVersion: true).ConfigureAwait(false);
                return;
            }
            await Responses.WriteAsync(context, status, output.WrittenMemory, apiVersion: true).ConfigureAwait(false);
        }
        finally
        {
            if (output is not null) _bodies.ReturnBuffer(output);
        }
    }

    /// <summary>
    /// <c>POST /batch</c> (spec §10.7): CleverTap has no batch function, so every input's metadata
    /// goes into one 500 entry "… does not implement batch"; an input holding a <c>__proto__</c>
    /// key gets its own D6 entry instead. A body of the wrong shape is a 400 (D1).
    /// </summary>
    public async Task BatchAsync(HttpContext context)
    {
        using var body = await _bodies.ReadAsync(context).ConfigureAwait(false);
        if (body.IsTooLarge)
        {
            await TooLargeAsync(context).ConfigureAwait(false);
            return;
        }
        var heap = _heaps.Rent();
        heap.Reset();
        var output = _bodies.RentBuffer();
        try
        {
            int root;
            try
            {
                root = ParseBody(heap, body.Span);
            }
            catch (JsonException e)
            {
                await Responses.WriteErrorAsync(context, 400, JsonErrorText.NotJson("The request body", e), apiVersion: true).ConfigureAwait(false);
                return;
            }
            if (heap.TypeOf(root) != JsType.Object)
            {
                await Responses.WriteErrorAsync(context, 400, "The batch request body must be a JSON object {input, destType}", apiVersion: true).ConfigureAwait(false);
                return;
            }
            int input = heap.GetOwn(root, InputKey);
            if (heap.ProtoKeyCount > heap.CountProtoKeysWithin(input))
            {
                await Responses.WriteErrorAsync(context, 400, ProtocolNames.ProtoError.Value, apiVersion: true).ConfigureAwait(false);
                return;
            }
            int destType = heap.GetOwn(root, DestTypeKey);
            if (!(heap.TypeOf(destType) == JsType.String && DestinationName.Matches(HeapString(heap, destType), _destination.DestType)))
            {
                await OtherDestinationAsync(context, JsString(heap, destType), body.Memory).ConfigureAwait(false);
                return;
            }
            if (heap.TypeOf(input) != JsType.Array)
            {
                await Responses.WriteErrorAsync(context, 400, "The batch request body needs an \"input\" array", apiVersion: true).ConfigureAwait(false);
                return;
            }
            WriteBatchResponse(heap, input, destType, output);
            await Responses.WriteAsync(context, 200, output.WrittenMemory, apiVersion: true).ConfigureAwait(false);
        }
        finally
        {
            _bodies.ReturnBuffer(output);
            _heaps.Return(heap, keep: !body.IsLarge);
        }
    }

    private void WriteBatchResponse(JsHeap heap, int input, int destType, ByteBuffer output)
    {
        int count = heap.ArrayLength(input);
        int refused = 0;
        for (int i = 0; i < count; i++)
        {
            if (heap.HasProtoKeyWithin(heap.ArrayElement(input, i))) refused++;
        }
        using var writer = new Utf8JsonWriter(output, JsonWriterExtensions.Options);
        writer.WriteStartArray();
        if (refused < count || count == 0)
        {
            writer.WriteStartObject();
            writer.WritePropertyName(ProtocolNames.Metadata.Encoded);
            writer.WriteStartArray();
            for (int i = 0; i < count; i++)
            {
                int item = heap.ArrayElement(input, i);
                if (!heap.HasProtoKeyWithin(item)) heap.WriteValue(writer, Lookup.Property(heap, item, ProtocolNames.Metadata.Utf8));
            }
            writer.WriteEndArray();
            writer.WriteBoolean(Batched.Encoded, false);
            writer.WriteNumber(ProtocolNames.StatusCode.Encoded, 500);
            var message = heap.RentBuffer();
            RequestText.AppendQuoted(heap.StringBytes(destType), message); // D10: a long destType is cut
            message.Append(DoesNotImplementBatch.Utf8);
            int error = heap.NewString(message.WrittenSpan);
            heap.ReturnBuffer();
            writer.WritePropertyName(ProtocolNames.Error.Encoded);
            heap.WriteValue(writer, error);
            writer.WritePropertyName(ProtocolNames.StatTags.Encoded);
            writer.WriteStartObject();
            writer.WriteString(ProtocolNames.ErrorCategory.Encoded, ProtocolNames.Transformation.Encoded);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        for (int i = 0; i < count; i++)
        {
            int item = heap.ArrayElement(input, i);
            if (heap.HasProtoKeyWithin(item)) WriteProtoEntry(writer, heap, item);
        }
        writer.WriteEndArray();
        writer.Flush();
    }

    /// <summary>D6 for one batch input: 400 "Object contains forbidden prototype property" with its own metadata.</summary>
    private void WriteProtoEntry(Utf8JsonWriter writer, JsHeap heap, int item)
    {
        int metadata = Lookup.Property(heap, item, ProtocolNames.Metadata.Utf8);
        writer.WriteStartObject();
        writer.WritePropertyName(ProtocolNames.Metadata.Encoded);
        writer.WriteStartArray();
        if (metadata != JsHeap.Undefined) heap.WriteValue(writer, metadata);
        writer.WriteEndArray();
        writer.WriteBoolean(Batched.Encoded, false);
        writer.WriteNumber(ProtocolNames.StatusCode.Encoded, 400);
        writer.WriteString(ProtocolNames.Error.Encoded, ProtocolNames.ProtoError.Encoded);
        writer.WritePropertyName(ProtocolNames.StatTags.Encoded);
        writer.WriteStartObject();
        writer.WriteString(ProtocolNames.ErrorCategory.Encoded, ProtocolNames.DataValidation.Encoded);
        writer.WriteString(ProtocolNames.ErrorType.Encoded, ProtocolNames.Instrumentation.Encoded);
        writer.WriteString(ProtocolNames.DestType.Encoded, _destination.DestTypeName.Encoded);
        writer.WriteString(ProtocolNames.Module.Encoded, ProtocolNames.DestinationModule.Encoded);
        writer.WriteString(ProtocolNames.Implementation.Encoded, ProtocolNames.Native.Encoded);
        writer.WriteString(ProtocolNames.Feature.Encoded, BatchFeature.Encoded);
        if (heap.TypeOf(metadata) == JsType.Object)
        {
            heap.WriteMember(writer, ProtocolNames.DestinationId, heap.GetOwn(metadata, ProtocolNames.DestinationId.Utf8));
            heap.WriteMember(writer, ProtocolNames.WorkspaceId, heap.GetOwn(metadata, ProtocolNames.WorkspaceId.Utf8));
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    // ------------------------------------------------------------------ shared

    /// <summary>A destination that is not ours: forwarded upstream when there is one, else 404 (spec §10).</summary>
    private async Task OtherDestinationAsync(HttpContext context, string name, ReadOnlyMemory<byte>? body)
    {
        if (_upstream is not null)
        {
            await _upstream.ForwardAsync(context, body).ConfigureAwait(false);
            return;
        }
        Log.UnknownDestination(_logger, name, context.Request.Path.Value ?? "");
        await Responses.WriteUnknownDestinationAsync(context, name, apiVersion: true).ConfigureAwait(false);
    }

    private Task TooLargeAsync(HttpContext context)
    {
        Log.BodyTooLarge(_logger, context.Request.Path.Value ?? "", _bodies.Limit);
        return Responses.WriteTooLargeAsync(context, _bodies.Limit);
    }

    internal static bool IsCompacted(HttpRequest request)
    {
        var values = request.Headers["x-content-format"];
        return values.Count > 0 && values[0] is { } v && v.AsSpan().Trim().Equals(CompactedFormat, StringComparison.OrdinalIgnoreCase);
    }

    internal static int ParseBody(JsHeap heap, ReadOnlySpan<byte> body) => heap.ParseRepaired(body);

    internal static string HeapString(JsHeap heap, int value) => Wtf8.ToUtf16String(heap.StringBytes(value));

    /// <summary>
    /// JavaScript's <c>String(value)</c> for naming a destination in an error, as far as an error
    /// or a log line quotes it (D10, <see cref="RequestText.Quote"/>): a name of more characters comes
    /// out longer than that and is cut there, but a large array is never turned into text whole.
    /// </summary>
    internal static string JsString(JsHeap heap, int value)
    {
        var buffer = heap.RentBuffer();
        try
        {
            JsConvert.AppendStringPrefix(heap, value, buffer, "destType", RequestText.MaxQuotedBytes);
            return Wtf8.ToUtf16String(buffer.WrittenSpan);
        }
        catch (JsTypeError)
        {
            return "[object Object]";
        }
        finally
        {
            heap.ReturnBuffer();
        }
    }
}
