using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Outcomes;

/// <summary>
/// What the entries of one answer were, for metrics: how many succeeded and failed (by error
/// kind), grouped by the <c>destinationId</c> and <c>workspaceId</c> they carry, the items refused
/// by a limit, and the meta tags of the request's first item. A transformer with a tally attached
/// reports each entry here as it writes it (once per entry, after the event's mapping: nothing in
/// the per-event mapping code); without one it reports nothing. The ids stay UTF-8 bytes in a
/// buffer reused from request to request, so a warm tally allocates nothing. Not thread-safe: one
/// per transformer.
/// </summary>
public sealed class EntryTally
{
    /// <summary>Distinct id pairs kept per request; entries of further pairs share the last row, marked <see cref="TallyRow.Overflow"/>.</summary>
    public const int MaxRows = 64;

    private static ReadOnlySpan<byte> SourceTypeKey => "sourceType"u8;
    private static ReadOnlySpan<byte> DestinationTypeKey => "destinationType"u8;
    private static ReadOnlySpan<byte> NamespaceKey => "namespace"u8;

    // Rows by the hash of their ids (open addressing, twice as many slots as rows): an entry finds
    // its row in constant time however many pairs a request's items carry.
    private const int SlotCount = MaxRows * 2;
    private readonly int[] _slots = new int[SlotCount]; // row index + 1; 0: empty
    private readonly int[] _slotHashes = new int[SlotCount];

    private readonly ByteBuffer _bytes = new(1024);
    private TallyRow[] _rows = new TallyRow[4];
    private int _rowCount;
    private int _last = -1;
    private bool _metaTaken;
    private TallySpan _sourceType;
    private TallySpan _destinationType;
    private TallySpan _namespace;

    /// <summary>Entries written since <see cref="Reset"/>.</summary>
    public int Entries { get; private set; }

    /// <summary>Calls of <see cref="Succeeded"/> and <see cref="Failed"/>: for the processor, one per item.</summary>
    public int Reports { get; private set; }

    /// <summary>Items (events) that failed because they are nested too deep (D7).</summary>
    public int TooDeepItems { get; private set; }

    /// <summary>Items (events) that failed because their output would pass the event's limit (D8).</summary>
    public int OutputTooLargeItems { get; private set; }

    /// <summary>True when the request was refused whole because its own structure is nested too deep (D7).</summary>
    public bool TooDeepRequest { get; private set; }

    /// <summary>Distinct (destinationId, workspaceId) rows.</summary>
    public int RowCount => _rowCount;

    public ref readonly TallyRow Row(int index) => ref _rows[index];

    /// <summary>The id's UTF-8 bytes (valid only until the next <see cref="Reset"/>).</summary>
    public ReadOnlySpan<byte> Bytes(in TallySpan span) => _bytes.WrittenSpan.Slice(span.Start, span.Length);

    /// <summary><c>metadata.sourceType</c> of the first entry's item.</summary>
    public TallySpan SourceType => _sourceType;

    /// <summary><c>metadata.destinationType</c> of the first entry's item.</summary>
    public TallySpan DestinationType => _destinationType;

    /// <summary><c>metadata.namespace</c> of the first entry's item.</summary>
    public TallySpan Namespace => _namespace;

    /// <summary>Forgets the previous request.</summary>
    public void Reset()
    {
        _bytes.Clear();
        if (_rowCount > 0) Array.Clear(_slots);
        _rowCount = 0;
        _last = -1;
        _metaTaken = false;
        _sourceType = _destinationType = _namespace = default;
        Entries = Reports = TooDeepItems = OutputTooLargeItems = 0;
        TooDeepRequest = false;
    }

    /// <summary><paramref name="entries"/> success entries whose ids come from <paramref name="idsFrom"/> (a metadata object).</summary>
    public void Succeeded(JsHeap heap, int idsFrom, int entries = 1)
    {
        Entries += entries;
        Reports++;
        RowOf(heap, idsFrom).Succeeded += entries;
    }

    /// <summary>One error entry with its statTags' ids from <paramref name="idsFrom"/>.</summary>
    public void Failed(JsHeap heap, int idsFrom, in EventError error)
    {
        Entries++;
        Reports++;
        ref TallyRow row = ref RowOf(heap, idsFrom);
        if (error.Kind == ErrorKind.Configuration) row.FailedConfiguration++;
        else row.FailedInstrumentation++;
        if (ReferenceEquals(error.Name, ProtocolNames.TooDeepError)) TooDeepItems++;
    }

    /// <summary>An item failed by the output limit of one event (D8); its error entry is reported by <see cref="Failed"/>.</summary>
    public void OutputTooLarge() => OutputTooLargeItems++;

    /// <summary>The request was refused whole: its structure outside the items is nested too deep (D7).</summary>
    public void RequestTooDeep() => TooDeepRequest = true;

    private ref TallyRow RowOf(JsHeap heap, int idsFrom)
    {
        bool isObject = heap.TypeOf(idsFrom) == JsType.Object;
        if (!_metaTaken)
        {
            _metaTaken = true;
            if (isObject)
            {
                _sourceType = Keep(heap, heap.GetOwn(idsFrom, SourceTypeKey));
                _destinationType = Keep(heap, heap.GetOwn(idsFrom, DestinationTypeKey));
                _namespace = Keep(heap, heap.GetOwn(idsFrom, NamespaceKey));
            }
        }
        int destinationId = isObject ? heap.GetOwn(idsFrom, ProtocolNames.DestinationId.Utf8) : JsHeap.Undefined;
        int workspaceId = isObject ? heap.GetOwn(idsFrom, ProtocolNames.WorkspaceId.Utf8) : JsHeap.Undefined;

        // Most entries of a request carry the ids of the one before.
        if (_last >= 0 && Matches(heap, in _rows[_last], destinationId, workspaceId)) return ref _rows[_last];
        int hash = Hash(heap, destinationId, workspaceId);
        int slot = hash & (SlotCount - 1);
        for (; _slots[slot] != 0; slot = (slot + 1) & (SlotCount - 1))
        {
            int row = _slots[slot] - 1;
            if (_slotHashes[slot] == hash && Matches(heap, in _rows[row], destinationId, workspaceId))
            {
                _last = row;
                return ref _rows[row];
            }
        }
        if (_rowCount == MaxRows)
        {
            // Too many distinct ids in one request: the rest share the last row, counted as "other".
            _rows[MaxRows - 1].Overflow = true;
            _last = MaxRows - 1;
            return ref _rows[MaxRows - 1];
        }
        if (_rowCount == _rows.Length) Array.Resize(ref _rows, Math.Min(MaxRows, _rows.Length * 2));
        _rows[_rowCount] = new TallyRow { DestinationId = Keep(heap, destinationId), WorkspaceId = Keep(heap, workspaceId) };
        _slots[slot] = _rowCount + 1;
        _slotHashes[slot] = hash;
        _last = _rowCount;
        return ref _rows[_rowCount++];
    }

    /// <summary>A hash of what <see cref="Same"/> compares: each id's kind (<see cref="KindOf"/>) and, for a string, its bytes.</summary>
    private static int Hash(JsHeap heap, int destinationId, int workspaceId)
    {
        var hash = new HashCode();
        Add(ref hash, heap, destinationId);
        Add(ref hash, heap, workspaceId);
        return hash.ToHashCode();

        static void Add(ref HashCode hash, JsHeap heap, int value)
        {
            var kind = KindOf(heap, value);
            hash.Add((int)kind);
            if (kind == TallyValueKind.String) hash.AddBytes(heap.StringBytes(value));
        }
    }

    /// <summary>What an id is for the tally: absent, a string, or any other value (one kind for all of those).</summary>
    private static TallyValueKind KindOf(JsHeap heap, int value) => heap.TypeOf(value) switch
    {
        JsType.Undefined => TallyValueKind.Missing,
        JsType.String => TallyValueKind.String,
        _ => TallyValueKind.Other,
    };

    private bool Matches(JsHeap heap, in TallyRow row, int destinationId, int workspaceId) =>
        !row.Overflow && Same(heap, in row.DestinationId, destinationId) && Same(heap, in row.WorkspaceId, workspaceId);

    private bool Same(JsHeap heap, in TallySpan kept, int value)
    {
        var kind = KindOf(heap, value);
        return kept.Kind == kind && (kind != TallyValueKind.String || Bytes(in kept).SequenceEqual(heap.StringBytes(value)));
    }

    private TallySpan Keep(JsHeap heap, int value)
    {
        switch (KindOf(heap, value))
        {
            case TallyValueKind.Missing:
                return default;
            case TallyValueKind.String:
                int start = _bytes.Length;
                _bytes.Append(heap.StringBytes(value));
                return new TallySpan(TallyValueKind.String, start, _bytes.Length - start);
            default:
                return new TallySpan(TallyValueKind.Other, 0, 0);
        }
    }
}

/// <summary>What an id was: absent, a string (its bytes in the tally), or any other value.</summary>
public enum TallyValueKind : byte
{
    Missing,
    String,
    Other,
}

/// <summary>An id kept by an <see cref="EntryTally"/>.</summary>
public readonly record struct TallySpan(TallyValueKind Kind, int Start, int Length);

/// <summary>The entries of one (destinationId, workspaceId) pair.</summary>
public struct TallyRow
{
    public TallySpan DestinationId;
    public TallySpan WorkspaceId;
    public int Succeeded;
    public int FailedInstrumentation;
    public int FailedConfiguration;
    /// <summary>True when entries of further pairs were added here (more than <see cref="EntryTally.MaxRows"/> pairs).</summary>
    public bool Overflow;
}
