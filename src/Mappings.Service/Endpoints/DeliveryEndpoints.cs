using System.Text.Json;
using Mappings.CleverTap.Delivery;
using Mappings.Runtime.Protocol;
using Mappings.Runtime;
using Mappings.Runtime.Json;
using Mappings.Service.Hosting;
using Mappings.Service.Metrics;
using Mappings.Service.DestinationSelection;
using Mappings.Service.Upstream;

namespace Mappings.Service.Endpoints;

/// <summary>The delivery proxy (spec §8) and user deletion (spec §9) endpoints.</summary>
internal sealed class DeliveryEndpoints
{
    private static ReadOnlySpan<byte> DestTypeKey => "destType"u8;
    private static readonly JsonEncodedText StatusCodeName = JsonEncodedText.Encode("statusCode");

    private readonly DestinationMapper _destination;
    private readonly CleverTapDeliveryProxy _proxy;
    private readonly CleverTapUserDeletion? _deletion;
    private readonly RequestBodyReader _bodies;
    private readonly UpstreamTransformer? _upstream;
    private readonly ILogger _logger;
    private readonly InstancePool<JsHeap> _heaps = new(() => new JsHeap(), Environment.ProcessorCount);

    /// <summary>The service's metrics; null when they are off.</summary>
    public ServiceMetrics? Metrics { get; init; }

    public DeliveryEndpoints(DestinationMapper destination, CleverTapDeliveryProxy proxy, CleverTapUserDeletion? deletion, RequestBodyReader bodies, UpstreamTransformer? upstream, ILogger logger)
    {
        _destination = destination;
        _proxy = proxy;
        _deletion = deletion;
        _bodies = bodies;
        _upstream = upstream;
        _logger = logger;
        bodies.Relief.OnRelief(_heaps.Clear);
        bodies.Relief.OnRelief(proxy.ReleaseKeptHeaps);
    }

    /// <summary><c>POST /v0/destinations/{dest}/proxy</c> and <c>/v1/…/proxy</c>.</summary>
    public async Task ProxyAsync(HttpContext context, ProxyVersion version)
    {
        string dest = context.Request.RouteValues["dest"] as string ?? "";
        if (!DestinationName.Matches(dest, _destination.DestType))
        {
            if (_upstream is not null)
            {
                await _upstream.ForwardAsync(context, body: null).ConfigureAwait(false);
                return;
            }
            Log.UnknownDestination(_logger, dest, context.Request.Path.Value ?? "");
            await Responses.WriteUnknownDestinationAsync(context, dest, apiVersion: true).ConfigureAwait(false);
            return;
        }
        using var body = await _bodies.ReadAsync(context).ConfigureAwait(false);
        if (body.IsTooLarge)
        {
            Log.BodyTooLarge(_logger, context.Request.Path.Value ?? "", _bodies.Limit);
            await Responses.WriteTooLargeAsync(context, _bodies.Limit).ConfigureAwait(false);
            return;
        }
        var output = _bodies.RentBuffer();
        try
        {
            int status = await _proxy.DeliverAsync(body.Memory, version, output, context.RequestAborted).ConfigureAwait(false);
            await Responses.WriteAsync(context, status, output.WrittenMemory, apiVersion: true).ConfigureAwait(false);
        }
        finally
        {
            _bodies.ReturnBuffer(output);
        }
    }

    private enum EntryKind : byte
    {
        Done,
        Local,
        Upstream,
    }

    /// <summary>
    /// <c>POST /deleteUsers</c> (spec §9): entries run concurrently, answers in input order, the
    /// HTTP status is the first entry's. Entries for other destinations go to the upstream
    /// transformer when there is one (their answers are put back in place); otherwise any unknown
    /// destination makes the whole request a 404 and nothing is sent.
    /// </summary>
    public async Task DeleteUsersAsync(HttpContext context)
    {
        using var body = await _bodies.ReadAsync(context).ConfigureAwait(false);
        if (body.IsTooLarge)
        {
            Log.BodyTooLarge(_logger, "/deleteUsers", _bodies.Limit);
            await Responses.WriteTooLargeAsync(context, _bodies.Limit).ConfigureAwait(false);
            return;
        }
        var heap = _heaps.Rent();
        heap.Reset();
        try
        {
            int root;
            try
            {
                root = TransformEndpoints.ParseBody(heap, body.Span);
            }
            catch (JsonException e)
            {
                await Responses.WriteErrorAsync(context, 400, JsonErrorText.NotJson("The request body", e)).ConfigureAwait(false);
                return;
            }
            if (heap.TypeOf(root) != JsType.Array)
            {
                await Responses.WriteErrorAsync(context, 400, "The user deletion request body must be a JSON array of {destType, userAttributes, config}").ConfigureAwait(false);
                return;
            }

            int count = heap.ArrayLength(root);
            var kinds = new EntryKind[count];
            var outcomes = new DeletionOutcome[count];
            var plans = new DeletionPlan?[count];
            int upstreamCount = 0;
            for (int i = 0; i < count; i++)
            {
                int entry = heap.ArrayElement(root, i);
                if (heap.HasProtoKeyWithin(entry))
                {
                    outcomes[i] = new DeletionOutcome(400, ProtocolNames.ProtoError.Value); // D6: this entry only
                    continue;
                }
                if (heap.TypeOf(entry) != JsType.Object)
                {
                    outcomes[i] = new DeletionOutcome(400, "A user deletion request entry must be an object {destType, userAttributes, config}");
                    continue;
                }
                int destType = heap.GetOwn(entry, DestTypeKey);
                if (_deletion is not null && heap.TypeOf(destType) == JsType.String && DestinationName.Matches(TransformEndpoints.HeapString(heap, destType), _destination.DestType))
                {
                    kinds[i] = EntryKind.Local;
                    plans[i] = _deletion.Plan(heap, entry);
                }
                else if (_upstream is not null)
                {
                    kinds[i] = EntryKind.Upstream;
                    upstreamCount++;
                }
                else
                {
                    string name = TransformEndpoints.JsString(heap, destType);
                    Log.UnknownDestination(_logger, name, "/deleteUsers");
                    await Responses.WriteUnknownDestinationAsync(context, name, apiVersion: false).ConfigureAwait(false);
                    return;
                }
            }

            if (count > 0 && upstreamCount == count)
            {
                await _upstream!.ForwardAsync(context, body.Memory).ConfigureAwait(false);
                return;
            }

            var tasks = new Task<DeletionOutcome>?[count];
            for (int i = 0; i < count; i++)
            {
                if (kinds[i] == EntryKind.Local) tasks[i] = _deletion!.ExecuteAsync(plans[i]!, context.RequestAborted);
            }
            var foreign = upstreamCount > 0 ? await ForeignAnswersAsync(context, heap, root, kinds, upstreamCount).ConfigureAwait(false) : null;
            for (int i = 0; i < count; i++)
            {
                if (tasks[i] is { } task) outcomes[i] = await task.ConfigureAwait(false);
            }
            Metrics?.DeletionFailures(kinds.Where((kind, i) => kind == EntryKind.Local && !outcomes[i].Succeeded).Count());

            var output = _bodies.RentBuffer();
            try
            {
                int status = 200;
                using (var writer = new Utf8JsonWriter(output, JsonWriterExtensions.Options))
                {
                    writer.WriteStartArray();
                    int f = 0;
                    for (int i = 0; i < count; i++)
                    {
                        int entryStatus;
                        if (kinds[i] == EntryKind.Upstream)
                        {
                            entryStatus = foreign![f].Write(writer, heap);
                            f++;
                        }
                        else
                        {
                            outcomes[i].WriteTo(writer);
                            entryStatus = outcomes[i].StatusCode;
                        }
                        if (i == 0) status = entryStatus is >= 200 and <= 999 ? entryStatus : 500;
                    }
                    writer.WriteEndArray();
                }
                await Responses.WriteAsync(context, status, output.WrittenMemory, apiVersion: false).ConfigureAwait(false);
            }
            finally
            {
                _bodies.ReturnBuffer(output);
            }
        }
        finally
        {
            _heaps.Return(heap, keep: !body.IsLarge);
        }
    }

    /// <summary>One upstream entry's answer: its element of the upstream's array, or a failure entry.</summary>
    private readonly struct ForeignAnswer(int element, int status, string? error)
    {
        public int Write(Utf8JsonWriter writer, JsHeap heap)
        {
            if (error is not null)
            {
                new DeletionOutcome(status, error).WriteTo(writer);
                return status;
            }
            heap.WriteValue(writer, element);
            int code = heap.TypeOf(element) == JsType.Object ? heap.GetOwn(element, "statusCode"u8) : JsHeap.Undefined;
            return heap.TypeOf(code) == JsType.Number ? (int)Math.Clamp(heap.NumberOf(code), 0, 999) : status;
        }
    }

    /// <summary>Sends the entries for other destinations, unchanged, to the upstream's <c>/deleteUsers</c>.</summary>
    private async Task<ForeignAnswer[]> ForeignAnswersAsync(HttpContext context, JsHeap heap, int root, EntryKind[] kinds, int upstreamCount)
    {
        var request = new ByteBuffer();
        request.Append((byte)'[');
        bool first = true;
        for (int i = 0; i < kinds.Length; i++)
        {
            if (kinds[i] != EntryKind.Upstream) continue;
            if (!first) request.Append((byte)',');
            request.Append(heap.RawText(heap.ArrayElement(root, i)));
            first = false;
        }
        request.Append((byte)']');

        var answer = await _upstream!.SendAsync(context, "POST", "/deleteUsers", request.WrittenMemory).ConfigureAwait(false);
        var answers = new ForeignAnswer[upstreamCount];
        int array = JsHeap.Undefined;
        if (answer.Answered)
        {
            try
            {
                array = TransformEndpoints.ParseBody(heap, answer.Body);
            }
            catch (JsonException)
            {
                array = JsHeap.Undefined;
            }
        }
        bool usable = heap.TypeOf(array) == JsType.Array && heap.ArrayLength(array) == upstreamCount;
        for (int j = 0; j < upstreamCount; j++)
        {
            answers[j] = usable
                ? new ForeignAnswer(heap.ArrayElement(array, j), answer.Status, null)
                : new ForeignAnswer(JsHeap.Undefined, answer.Answered && answer.Status is >= 200 and <= 299 ? 502 : answer.Status, answer.Answered
                    ? $"The upstream transformer answered HTTP {answer.Status} without an entry for this deletion request"
                    : $"The upstream transformer did not answer ({answer.FailureCode})");
        }
        return answers;
    }
}
