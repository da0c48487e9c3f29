using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>
/// The items of a request body already parsed into the heap: a plain array of items, or the
/// compacted format (<c>x-content-format: json+compactedv1</c>, spec §10.2) where each input
/// <c>{message, metadata}</c> is completed with <c>destinations[metadata.destinationId]</c> and
/// <c>connections["sourceId:destinationId"]</c>.
/// </summary>
public readonly struct CompactedItems
{
    private static ReadOnlySpan<byte> InputKey => "input"u8;
    private static ReadOnlySpan<byte> DestinationsKey => "destinations"u8;
    private static ReadOnlySpan<byte> ConnectionsKey => "connections"u8;
    private static ReadOnlySpan<byte> SourceIdKey => "sourceId"u8;
    private static readonly JsName ConnectionName = JsName.Of("connection");

    private readonly JsHeap _heap;
    private readonly int _array;
    private readonly int _destinations;
    private readonly int _connections;
    private readonly bool _compacted;

    private CompactedItems(JsHeap heap, int array, int destinations, int connections, bool compacted)
    {
        _heap = heap;
        _array = array;
        _destinations = destinations;
        _connections = connections;
        _compacted = compacted;
        Count = heap.ArrayLength(array);
    }

    public int Count { get; }

    /// <summary>The whole-request error of D7: the body's own structure, outside its items, is nested too deep.</summary>
    public const string TooDeepOutsideItems = "The request body is nested more than 1000 levels deep outside its items";

    /// <summary>
    /// True when the parse marked a container too deep (D7) that is not one of the items: the
    /// request's own structure (in the compacted format, its destinations and connections too)
    /// is nested too deep, which fails the whole request. Too-deep items fail alone.
    /// </summary>
    public bool HasTooDeepOutsideItems() => _heap.HasTooDeepOutside(_array);

    /// <summary>
    /// The items of a processor body: the root array, or the <c>input</c> array of a compacted body.
    /// <paramref name="error"/> says why the body has the wrong shape (D1: HTTP 400).
    /// </summary>
    public static CompactedItems Open(JsHeap heap, int root, bool compacted, out string? error)
    {
        if (!compacted)
        {
            error = heap.TypeOf(root) == JsType.Array ? null : "The request body must be a JSON array of items";
            return error is null ? new CompactedItems(heap, root, JsHeap.Undefined, JsHeap.Undefined, false) : default;
        }
        if (heap.TypeOf(root) != JsType.Object)
        {
            error = "A compacted request body must be a JSON object {input, destinations, connections}";
            return default;
        }
        int input = heap.GetOwn(root, InputKey);
        if (heap.TypeOf(input) != JsType.Array)
        {
            error = "A compacted request body needs an \"input\" array";
            return default;
        }
        error = null;
        return ForInput(heap, root, input, compacted: true);
    }

    /// <summary>The items of the given input array; in the compacted format, completed from the root's maps.</summary>
    public static CompactedItems ForInput(JsHeap heap, int root, int input, bool compacted) =>
        compacted
            ? new CompactedItems(heap, input, heap.GetOwn(root, DestinationsKey), heap.GetOwn(root, ConnectionsKey), true)
            : new CompactedItems(heap, input, JsHeap.Undefined, JsHeap.Undefined, false);

    /// <summary>
    /// A <c>__proto__</c> key anywhere in the body but inside the items (the input array and, in the
    /// compacted format, the destinations and connections they are completed from, though not a
    /// key of those maps themselves): the reference refuses the whole request for it (D6 keeps
    /// that; keys inside items fail only their item).
    /// </summary>
    public static bool HasProtoKeyOutsideItems(JsHeap heap, int root, int input, bool compacted)
    {
        if (!heap.HasProtoKey || !heap.IsContainer(root) || root == input) return false;
        var keys = heap.Keys(root);
        bool found = false;
        for (int i = 0; i < keys.Count && !found; i++)
        {
            int m = heap.KeyMember(in keys, i);
            var key = heap.KeyBytes(heap.MemberKey(m));
            int value = heap.MemberValue(m);
            if (key.SequenceEqual("__proto__"u8)) found = true;
            else if (value == input) continue;
            // The maps themselves are outside the items: a "__proto__" key of theirs fails the
            // request; inside a destination or connection it fails the items completed from it.
            else if (compacted && (key.SequenceEqual(DestinationsKey) || key.SequenceEqual(ConnectionsKey))) found = HasOwnProtoKey(heap, value);
            else found = heap.HasLiveProtoKey(value);
        }
        heap.EndKeys(in keys);
        return found;
    }

    private static bool HasOwnProtoKey(JsHeap heap, int map)
    {
        if (heap.TypeOf(map) != JsType.Object) return heap.HasLiveProtoKey(map);
        var keys = heap.Keys(map);
        bool found = false;
        for (int i = 0; i < keys.Count && !found; i++) found = heap.KeyBytes(heap.MemberKey(heap.KeyMember(in keys, i))).SequenceEqual("__proto__"u8);
        heap.EndKeys(in keys);
        return found;
    }

    /// <summary>The raw item at <paramref name="index"/> (before completion).</summary>
    public int RawItem(int index) => _heap.ArrayElement(_array, index);

    /// <summary>Starts the event of item <paramref name="index"/> in the context.</summary>
    public void Begin(EventContext context, int index)
    {
        int raw = _heap.ArrayElement(_array, index);
        if (!_compacted || _heap.TypeOf(raw) != JsType.Object)
        {
            context.BeginEvent(raw);
            return;
        }

        int item = _heap.MakeMutable(raw);
        int metadata = _heap.GetOwn(raw, ProtocolNames.Metadata.Utf8);
        int destinationId = _heap.TypeOf(metadata) == JsType.Object ? _heap.GetOwn(metadata, ProtocolNames.DestinationId.Utf8) : JsHeap.Undefined;
        int destination = Lookup(_destinations, destinationId);
        int connection = JsHeap.Undefined;
        if (_heap.TypeOf(_connections) == JsType.Object && _heap.TypeOf(metadata) == JsType.Object)
        {
            var key = _heap.RentBuffer();
            AppendKeyPart(_heap.GetOwn(metadata, SourceIdKey), key);
            key.Append((byte)':');
            AppendKeyPart(destinationId, key);
            connection = _heap.GetOwn(_connections, key.WrittenSpan);
            _heap.ReturnBuffer();
        }
        // A missing destination leaves the item without one: it fails alone (D1), as a missing config does.
        if (destination != JsHeap.Undefined) _heap.Set(item, ProtocolNames.Destination, destination);
        if (connection != JsHeap.Undefined) _heap.Set(item, ConnectionName, connection);
        // D7: the copy carries the mark of a raw item nested too deep.
        if (_heap.IsTooDeep(raw)) _heap.MarkTooDeep(item);
        context.BeginEvent(item);
        context.InputBytes = Raw(raw) + Raw(destination) + Raw(connection);
        context.HasForbiddenKey = _heap.HasLiveProtoKey(raw) || _heap.HasLiveProtoKey(destination) || _heap.HasLiveProtoKey(connection);
    }

    private long Raw(int value) => _heap.IsContainer(value) ? _heap.RawText(value).Length : 0;

    private int Lookup(int map, int id)
    {
        if (_heap.TypeOf(map) != JsType.Object || _heap.IsNullish(id)) return JsHeap.Undefined;
        var key = _heap.RentBuffer();
        AppendKeyPart(id, key);
        int value = _heap.GetOwn(map, key.WrittenSpan);
        _heap.ReturnBuffer();
        return value;
    }

    private void AppendKeyPart(int value, ByteBuffer key)
    {
        if (_heap.TypeOf(value) == JsType.String) key.Append(_heap.StringBytes(value));
        else if (_heap.TypeOf(value) is JsType.Number or JsType.Boolean or JsType.Null or JsType.Undefined) Js.JsConvert.AppendString(_heap, value, key, "metadata id");
        else key.Append("[object Object]"u8);
    }
}
