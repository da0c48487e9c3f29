using System.Buffers;
using System.Text.Json;
using Mappings.Runtime.Js;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Dispatch;

/// <summary>
/// The processor transform of one destination (<c>POST /v0/destinations/{dest}</c>): one request
/// item in, its response entries out — one per record (two for identify + device token), or one
/// error entry. Every item gets its outcome, whatever its bytes. Not thread-safe: use one instance
/// per thread (they are cheap to keep in a pool); it allocates nothing per event once warm.
/// </summary>
public sealed class ProcessorTransformer
{
    private readonly DestinationMapper _destination;
    private readonly EventContext _context = new();
    private readonly ByteBuffer _repaired = new();
    private Utf8JsonWriter? _writer;

    public ProcessorTransformer(DestinationMapper destination)
    {
        _destination = destination;
    }

    public DestinationMapper Destination => _destination;

    /// <summary>Writes the item's response entries as a JSON array (<c>[...]</c>) into the output.</summary>
    public ItemOutcome TransformItem(ReadOnlySpan<byte> item, IBufferWriter<byte> output)
    {
        var writer = _writer ??= new Utf8JsonWriter(output, JsonWriterExtensions.Options);
        writer.Reset(output);
        writer.WriteStartArray();
        var outcome = TransformItem(item, writer);
        writer.WriteEndArray();
        writer.Flush();
        return outcome;
    }

    /// <summary>Writes the item's response entries as array elements into a writer positioned inside an array.</summary>
    public ItemOutcome TransformItem(ReadOnlySpan<byte> item, Utf8JsonWriter writer)
    {
        var context = _context;
        context.Reset();
        var heap = context.Heap;
        if (Utf8Repair(item, out var repaired)) item = repaired;

        int root;
        try
        {
            root = heap.Parse(item);
        }
        catch (JsonException e)
        {
            WriteError(writer, JsHeap.Undefined, EventError.Instrumentation("The request item is not valid JSON: " + e.Message));
            return ItemOutcome.Failed;
        }
        if (heap.TypeOf(root) != JsType.Object)
        {
            WriteError(writer, JsHeap.Undefined, EventError.Instrumentation("The request item must be a JSON object"));
            return ItemOutcome.Failed;
        }
        return TransformParsed(root, writer);
    }

    /// <summary>Transforms an item already parsed into the context's heap (see <see cref="Context"/>).</summary>
    internal ItemOutcome TransformParsed(int root, Utf8JsonWriter writer)
    {
        var context = _context;
        var heap = context.Heap;
        context.Item = root;
        context.Metadata = heap.GetOwn(root, ProtocolNames.Metadata.Utf8);
        if (heap.HasProtoKey)
        {
            WriteError(writer, context.Metadata, EventError.Instrumentation(ProtocolNames.ProtoError));
            return ItemOutcome.Failed;
        }
        if (!EventPreparation.Prepare(context, out var prepError))
        {
            WriteError(writer, context.Metadata, prepError);
            return ItemOutcome.Failed;
        }

        bool mapped;
        int endpoint = JsHeap.Undefined;
        try
        {
            mapped = _destination.Map(context);
            if (mapped) endpoint = _destination.Endpoint(heap, context.Config);
        }
        catch (JsTypeError e)
        {
            WriteError(writer, context.Metadata, EventError.Instrumentation(e.Message));
            return ItemOutcome.Failed;
        }
        if (!mapped)
        {
            WriteError(writer, context.Metadata, context.Error);
            return ItemOutcome.Failed;
        }
        foreach (int record in context.Records)
        {
            ResponseEntries.WriteProcessorSuccess(writer, _destination, heap, context.Config, endpoint, record, context.Metadata);
        }
        return ItemOutcome.Succeeded;
    }

    /// <summary>The context of the last item (for tests and diagnostics).</summary>
    public EventContext Context => _context;

    private void WriteError(Utf8JsonWriter writer, int metadata, in EventError error) =>
        ResponseEntries.WriteProcessorError(writer, _destination, _context.Heap, metadata, in error);

    private bool Utf8Repair(ReadOnlySpan<byte> item, out ReadOnlySpan<byte> repaired)
    {
        _repaired.Clear();
        if (!Wtf8.TryRepairUtf8(item, _repaired))
        {
            repaired = default;
            return false;
        }
        repaired = _repaired.WrittenSpan;
        return true;
    }
}

/// <summary>Whether an item's entries are results or an error.</summary>
public enum ItemOutcome
{
    Succeeded,
    Failed,
}
