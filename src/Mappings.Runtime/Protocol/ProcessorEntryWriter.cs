using System.Text.Json;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>
/// Writes processor success entries (<c>{output: request + userId: "", metadata, statusCode: 200}</c>,
/// spec §10.2) for one transformer. The start of the request — <c>version … headers, params,
/// body: {JSON: {d: [</c> — depends on the destination config alone, so it is rendered once per
/// config and reused: for the second record of an event (identify + device token) and for the
/// following events of the same destination, recognised by the raw text of their config. A config
/// the mapper built or changed (dynamic config) is rendered every time. The end of an entry
/// (metadata, status) is rendered once per event. Each entry is assembled from these parts and the
/// record, then written as one raw value. Not thread-safe (one per transformer).
/// </summary>
internal sealed class ProcessorEntryWriter
{
    /// <summary>What follows the records: closes <c>d</c> and <c>JSON</c>, the empty bodies, files, <c>userId: ""</c>, the request.</summary>
    private static readonly byte[] Tail = """]},"JSON_ARRAY":{},"XML":{},"FORM":{}},"files":{},"userId":""}"""u8.ToArray();

    /// <summary>An entry's opening: <c>{"output":</c>.</summary>
    private static readonly byte[] OutputStart = """{"output":"""u8.ToArray();

    private readonly DestinationMapper _destination;
    private readonly ByteBuffer _head = new(1024);
    private readonly ByteBuffer _entry = new(4096);
    private readonly ByteBuffer _entryEnd = new(1024);
    private readonly Utf8JsonWriter _inner;
    private byte[] _headKey = new byte[256];
    private int _headKeyLength = -1; // -1: the head holds nothing reusable

    public ProcessorEntryWriter(DestinationMapper destination)
    {
        _destination = destination;
        _inner = new Utf8JsonWriter(_entry, JsonWriterExtensions.Options);
    }

    /// <summary>Writes one success entry per record of an event (they differ only in the record).</summary>
    /// <remarks>The entries of the event take at most <paramref name="limit"/> bytes in all (D8), else <see cref="OutputLimitException"/>.</remarks>
    public void WriteSuccesses(Utf8JsonWriter writer, JsHeap heap, int config, int endpoint, ReadOnlySpan<int> records, int metadata, long limit = long.MaxValue)
    {
        // What follows the request: {"metadata": …, "statusCode": 200} without its opening brace.
        _entryEnd.Clear();
        _inner.Reset(_entryEnd);
        _inner.WriteStartObject();
        heap.WriteMember(_inner, ProtocolNames.Metadata, metadata);
        _inner.WriteNumber(ProtocolNames.StatusCode.Encoded, 200);
        _inner.WriteEndObject();
        _inner.Flush();
        var entryEnd = _entryEnd.WrittenSpan[1..];

        var head = Head(heap, config, endpoint);
        // Every entry of the event is staged before any is written: together they stay within
        // the event's limit, or none reaches the answer.
        _entry.Clear();
        _entry.SetLimit(limit, OutputLimitKind.Event);
        if (_entryEnds.Length < records.Length) _entryEnds = new int[records.Length];
        for (int i = 0; i < records.Length; i++)
        {
            _entry.Append(OutputStart);
            _entry.Append(head);
            _inner.Reset(_entry);
            heap.WriteValue(_inner, records[i]);
            _inner.Flush();
            _entry.Append(Tail);
            _entry.Append((byte)',');
            _entry.Append(entryEnd);
            _entryEnds[i] = _entry.Length;
        }
        int start = 0;
        for (int i = 0; i < records.Length; i++)
        {
            writer.WriteRawValue(_entry.WrittenSpan[start.._entryEnds[i]], skipInputValidation: true);
            start = _entryEnds[i];
        }
    }

    private int[] _entryEnds = new int[2];

    /// <summary>Gives back the staging buffer's memory after an odd large event (called between requests).</summary>
    public void Trim() => _entry.ClearAndTrim(4 * 1024 * 1024);

    /// <summary>True when the head rendered last is the one of this config (so its endpoint is known too).</summary>
    internal bool HasHeadFor(JsHeap heap, int config) => IsHeadKey(HeadKey(heap, config));

    private bool IsHeadKey(ReadOnlySpan<byte> key) =>
        !key.IsEmpty && _headKeyLength == key.Length && key.SequenceEqual(_headKey.AsSpan(0, _headKeyLength));

    /// <summary>
    /// What identifies a config: its raw text, while nothing inside it has been changed in place
    /// (a changed descendant would make the text stale); nothing for a config the mapper built.
    /// </summary>
    private static ReadOnlySpan<byte> HeadKey(JsHeap heap, int config) =>
        heap.TypeOf(config) == JsType.Object ? heap.CurrentRawText(config) : default;

    /// <summary>The request up to and including <c>"d":[</c>, for this config.</summary>
    private ReadOnlySpan<byte> Head(JsHeap heap, int config, int endpoint)
    {
        var key = HeadKey(heap, config);
        if (IsHeadKey(key)) return _head.WrittenSpan;

        _head.Clear();
        _inner.Reset(_head);
        RequestEnvelope.WriteHead(_inner, _destination, heap, config, endpoint);
        _inner.Flush();

        if (key.IsEmpty)
        {
            _headKeyLength = -1;
        }
        else
        {
            if (_headKey.Length < key.Length) _headKey = new byte[Math.Max(key.Length, _headKey.Length * 2)];
            key.CopyTo(_headKey);
            _headKeyLength = key.Length;
        }
        return _head.WrittenSpan;
    }
}
