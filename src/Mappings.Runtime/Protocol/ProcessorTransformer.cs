using System.Buffers;
using System.Text.Json;
using Mappings.Runtime.Json;
using Mappings.Runtime.Outcomes;

namespace Mappings.Runtime.Protocol;

/// <summary>
/// The processor transform of one destination (<c>POST /v0/destinations/{dest}</c>): request items in,
/// response entries out — one per record (two for identify + device token), or one error entry.
/// Every item gets its outcome, whatever its bytes. Not thread-safe: use one instance per thread
/// (they are cheap to keep in a pool); it allocates nothing per event once warm.
/// </summary>
public sealed class ProcessorTransformer
{
    private readonly DestinationMapper _destination;
    private readonly EventContext _context = new();
    private readonly ProcessorEntryWriter _entries;
    private Utf8JsonWriter? _writer;

    public ProcessorTransformer(DestinationMapper destination)
    {
        _destination = destination;
        _entries = new ProcessorEntryWriter(destination);
        MaxEventOutputBytes = Limits.DefaultMaxEventOutputBytes;
    }

    public DestinationMapper Destination => _destination;

    /// <summary>
    /// The most bytes the entries of one item may take (D8; 64 MiB by default): an item whose
    /// entries would be larger fails alone, before they are written in full.
    /// </summary>
    public long MaxEventOutputBytes
    {
        get => _context.Heap.EventOutputLimit;
        set => _context.Heap.EventOutputLimit = value;
    }

    /// <summary>
    /// The most bytes a whole answer may take (D11; 512 MiB by default): a request whose answer
    /// would be larger is answered 413. Checked before the items are mapped when they are too many
    /// for any answer within it; the caller bounds the output buffer itself as it is written
    /// (<see cref="ByteBuffer.SetLimit"/>, <see cref="OutputLimitKind.Response"/>).
    /// </summary>
    public long MaxResponseBytes { get; set; } = Limits.DefaultMaxResponseBytes;

    /// <summary>
    /// When set, every entry written is reported here (metrics); <see cref="TransformRequest"/>
    /// starts it afresh. Null (the default) costs nothing.
    /// </summary>
    public EntryTally? Tally { get; set; }

    /// <summary>The context of the last item (for tests and diagnostics).</summary>
    public EventContext Context => _context;

    /// <summary>Writes one item's response entries as a JSON array (<c>[...]</c>) into the output.</summary>
    public ItemOutcome TransformItem(ReadOnlySpan<byte> item, IBufferWriter<byte> output)
    {
        var writer = Writer(output);
        writer.WriteStartArray();
        var outcome = TransformItem(item, writer);
        writer.WriteEndArray();
        writer.Flush();
        return outcome;
    }

    /// <summary>Writes one item's response entries as array elements into a writer positioned inside an array.</summary>
    public ItemOutcome TransformItem(ReadOnlySpan<byte> item, Utf8JsonWriter writer)
    {
        _context.Reset();
        int root;
        try
        {
            root = _context.Heap.ParseRepairedItem(item);
        }
        catch (JsonException e)
        {
            WriteError(writer, JsHeap.Undefined, EventError.Instrumentation(JsonErrorText.NotJson("The request item", e)));
            return ItemOutcome.Failed;
        }
        _context.BeginEvent(root);
        return TransformCurrent(writer);
    }

    /// <summary>
    /// Transforms a whole processor request body (a JSON array of items, read once) into the response
    /// body. Returns the HTTP status: 200, or 400 (with <c>{"error": …}</c>) when the body is not JSON or
    /// not an array (D1). <paramref name="compacted"/>: the <c>json+compactedv1</c> format (spec §10.2).
    /// </summary>
    public int TransformRequest(ReadOnlySpan<byte> body, IBufferWriter<byte> output, bool compacted = false)
    {
        var writer = Writer(output);
        var heap = _context.Heap;
        heap.Reset();
        _entries.Trim();
        Tally?.Reset();
        int root;
        try
        {
            // Items are the elements of the root array (level 2), or of a compacted body's input (level 3).
            root = heap.ParseRepairedItems(body, itemDepth: compacted ? 3 : 2);
        }
        catch (JsonException e)
        {
            return WriteRequestError(writer, JsonErrorText.NotJson("The request body", e));
        }

        var items = CompactedItems.Open(heap, root, compacted, out string? shapeError);
        if (shapeError is not null) return WriteRequestError(writer, shapeError);
        if (items.HasTooDeepOutsideItems())
        {
            Tally?.RequestTooDeep();
            return WriteRequestError(writer, CompactedItems.TooDeepOutsideItems);
        }
        if ((long)items.Count * Limits.MinProcessorEntryBytes > MaxResponseBytes)
        {
            // D11: every item gets at least one entry of at least this size; no answer would fit.
            return WriteRequestError(writer, Limits.ResponseTooLarge(MaxResponseBytes), Limits.ResponseTooLargeStatus);
        }
        if (compacted && CompactedItems.HasProtoKeyOutsideItems(heap, root, heap.GetOwn(root, "input"u8), compacted))
        {
            return WriteRequestError(writer, ProtocolNames.ProtoError.Value);
        }

        writer.WriteStartArray();
        for (int i = 0; i < items.Count; i++)
        {
            items.Begin(_context, i);
            TransformCurrent(writer);
        }
        writer.WriteEndArray();
        writer.Flush();
        return 200;
    }

    private ItemOutcome TransformCurrent(Utf8JsonWriter writer)
    {
        var context = _context;
        try
        {
            if (!EventPipeline.Run(context, _destination, _entries))
            {
                WriteError(writer, context.Metadata, context.Error);
                return ItemOutcome.Failed;
            }
            // The entries are assembled in a staging buffer bounded by the event's limit (D8),
            // and reach the answer only once they are whole.
            _entries.WriteSuccesses(writer, context.Heap, context.Config, context.Endpoint, context.Records, context.Metadata, MaxEventOutputBytes);
            Tally?.Succeeded(context.Heap, context.Metadata, context.RecordCount);
            return ItemOutcome.Succeeded;
        }
        catch (OutputLimitException e) when (e.Kind == OutputLimitKind.Event)
        {
            context.Heap.ReturnAllBuffers();
            Tally?.OutputTooLarge();
            WriteError(writer, context.Metadata, EventError.Instrumentation(Limits.EventOutputTooLarge(e.Limit)));
            return ItemOutcome.Failed;
        }
    }

    private int WriteRequestError(Utf8JsonWriter writer, string message, int status = 400)
    {
        writer.WriteStartObject();
        writer.WriteJsString(ProtocolNames.Error, message);
        writer.WriteEndObject();
        writer.Flush();
        return status;
    }

    private Utf8JsonWriter Writer(IBufferWriter<byte> output)
    {
        var writer = _writer ??= new Utf8JsonWriter(output, JsonWriterExtensions.Options);
        writer.Reset(output);
        return writer;
    }

    /// <summary>
    /// An error entry. It echoes the metadata; metadata holding a key or string longer than the
    /// JSON writer takes (some 159 MiB, in a body of up to 200 MB) cannot be echoed, and the entry
    /// is then written without it rather than failing the whole request.
    /// </summary>
    private void WriteError(Utf8JsonWriter writer, int metadata, in EventError error)
    {
        var heap = _context.Heap;
        try
        {
            ResponseEntries.WriteProcessorError(_errorEntry.Begin(), _destination, heap, metadata, in error);
        }
        catch (OutputLimitException e) when (e.Kind == OutputLimitKind.Event)
        {
            heap.ReturnAllBuffers();
            ResponseEntries.WriteProcessorError(_errorEntry.Begin(), _destination, heap, JsHeap.Undefined, in error);
        }
        _errorEntry.CopyTo(writer);
        Tally?.Failed(heap, metadata, in error);
    }

    private readonly StagedEntry _errorEntry = new();

    /// <summary>The heap of the items (tests set its writer limits).</summary>
    internal JsHeap Heap => _context.Heap;
}

/// <summary>Whether an item's entries are results or an error.</summary>
public enum ItemOutcome
{
    Succeeded,
    Failed,
}
