using Mappings.Runtime.Js;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>
/// Everything one event's mapping reads and produces: the heap holding the input, the ids of the
/// item's parts, and the records (or the error) the mapper produced. Reused from event to event.
/// </summary>
public sealed class EventContext
{
    private int[] _records = new int[4];

    /// <summary>
    /// The heap. Every item of a destination carries the same <c>destination</c> object, so the
    /// heap keeps the index of the last one read and copies it when the next item repeats it.
    /// </summary>
    public JsHeap Heap { get; } = new() { RepeatedValueKey = ProtocolNames.Destination.Utf8.ToArray() };

    /// <summary>The whole request item (<c>{message, metadata, destination, …}</c>).</summary>
    public int Item { get; set; } = JsHeap.Undefined;

    /// <summary>The message (an empty object when the item's message is not an object, spec §14.1).</summary>
    public int Message { get; set; } = JsHeap.Undefined;

    public int Destination { get; set; } = JsHeap.Undefined;

    /// <summary><c>destination.Config</c> after dynamic-config resolution.</summary>
    public int Config { get; set; } = JsHeap.Undefined;

    public int Metadata { get; set; } = JsHeap.Undefined;

    /// <summary>Number of records the mapper produced (one request each).</summary>
    public int RecordCount { get; private set; }

    public EventError Error { get; private set; }

    public int Record(int index) => _records[index];

    public ReadOnlySpan<int> Records => _records.AsSpan(0, RecordCount);

    /// <summary>
    /// True when the item holds a <c>__proto__</c> key anywhere (D6: it is refused alone). Set by
    /// <see cref="BeginEvent"/> from the item's text; callers that assemble items set it themselves.
    /// </summary>
    public bool HasForbiddenKey { get; set; }

    /// <summary>The endpoint of the event's requests, once mapped (see <see cref="EventPipeline"/>).</summary>
    public int Endpoint { get; set; } = JsHeap.Undefined;

    /// <summary>Forgets everything, the heap included.</summary>
    public void Reset()
    {
        Heap.Reset();
        BeginEvent(JsHeap.Undefined);
    }

    /// <summary>
    /// Whether the answer echoes each item's destination (the router's entries do, the
    /// processor's do not): then a destination.Config that dynamic config templates made larger
    /// than the event's output limit fails the event (D8).
    /// </summary>
    public bool EchoesDestination { get; init; }

    /// <summary>
    /// The size of the event's input text, taken before it is mapped (D8 estimates its output from
    /// it): the item's raw text, or in the compacted format the parts it is completed from.
    /// </summary>
    public long InputBytes { get; set; }

    /// <summary>Starts the next event of a request whose items all live in the heap (the heap is kept).</summary>
    public void BeginEvent(int item)
    {
        Item = item;
        InputBytes = item >= 0 && Heap.IsContainer(item) ? Heap.RawText(item).Length : 0;
        Message = Destination = Config = Metadata = Endpoint = JsHeap.Undefined;
        HasForbiddenKey = item >= 0 && Heap.HasLiveProtoKey(item);
        RecordCount = 0;
        Error = default;
    }

    /// <summary>Adds a finished record.</summary>
    public void AddRecord(int record)
    {
        if (RecordCount == _records.Length) Array.Resize(ref _records, _records.Length * 2);
        _records[RecordCount++] = record;
    }

    private static readonly JsName MissingConfig = JsName.Of("destination.Config is required: the event's destination has no Config object");

    /// <summary>
    /// True when the destination has a Config (any value but null or undefined); otherwise fails
    /// the event with the D1 configuration error. Asked once the message type is known to be
    /// supported (spec §14.13.1: a missing or unsupported type is reported first).
    /// </summary>
    public bool RequireConfig() => !Heap.IsNullish(Config) || Fail(EventError.Configuration(MissingConfig));

    /// <summary>Fails the event with an instrumentation error (400). Always returns false.</summary>
    public bool Fail(JsName message)
    {
        Error = EventError.Instrumentation(message);
        RecordCount = 0;
        return false;
    }

    /// <summary>Fails the event with the given error. Always returns false.</summary>
    public bool Fail(EventError error)
    {
        Error = error;
        RecordCount = 0;
        return false;
    }
}
