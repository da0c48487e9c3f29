using System.Buffers;
using System.Text.Json;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Js;
using Mappings.Runtime.Json;
using Mappings.Runtime.Outcomes;

namespace Mappings.Runtime.Router;

/// <summary>
/// The router transform (<c>POST /routerTransform</c>, spec §7 and §10.3–10.4): every input is
/// mapped (or passed through when already transformed), inputs are grouped by destination, job and
/// config, each group's successes are packed greedily into batches of at most
/// <see cref="DestinationMapper.MaxRecordsPerBatch"/> records, and errors follow their group.
/// Where the reference fails a whole group or request for one bad input, only that input fails
/// (D1); an input holding a <c>__proto__</c> key fails alone and joins no group (D6).
/// The body is read once into one heap; nothing is allocated per event once warm.
/// Not thread-safe: one instance per thread.
/// </summary>
public sealed class RouterTransformer
{
    private static ReadOnlySpan<byte> InputKey => "input"u8;
    private static ReadOnlySpan<byte> DestTypeKey => "destType"u8;
    private static ReadOnlySpan<byte> ContextKey => "context"u8;
    private static ReadOnlySpan<byte> JobIdPath => "sources.job_id"u8;
    private static ReadOnlySpan<byte> IdKey => "ID"u8;
    private static ReadOnlySpan<byte> BodyKey => "body"u8;
    private static ReadOnlySpan<byte> JsonKey => "JSON"u8;
    private static ReadOnlySpan<byte> DKey => "d"u8;
    private static readonly JsName InvalidEventArray = JsName.Of("Invalid event array");
    private static readonly JsName NoMetadata = JsName.Of("The router input has no metadata");

    private readonly DestinationMapper _destination;
    private readonly EventContext _context;
    private readonly ByteBuffer _groupKeys = new();
    private Utf8JsonWriter? _writer;

    private InputState[] _inputs = new InputState[64];
    private int[] _records = new int[128];
    private int _recordCount;
    private Group[] _groups = new Group[8];
    private int _groupCount;

    private struct InputState
    {
        public int Item;
        public int Metadata;
        public int Destination;
        public int Config;
        public int Endpoint;
        public int Group;           // -1: none (D6)
        public int NextInGroup;     // next input of the same group, -1 at the end
        public bool Succeeded;
        public int RecordStart;
        public int RecordCount;
        public EventError Error;
    }

    private struct Group
    {
        public int KeyStart;
        public int KeyLength;
        /// <summary>Length of the key's destination and job parts, and their hash.</summary>
        public int PrefixLength;
        public int PrefixHash;
        /// <summary>Next group whose prefix hash lands in the same slot of the group table, or -1.</summary>
        public int NextInSlot;
        /// <summary>The first input's config while its raw text identifies it (see JoinGroup), else -1.</summary>
        public int RawConfig;
        public int First;
        public int Last;
    }

    // Groups by the hash of their key's destination and job parts: slot → first group, -1 for none.
    private int[] _groupTable = new int[16];

    public RouterTransformer(DestinationMapper destination)
    {
        _destination = destination;
        _context = new EventContext { EchoesDestination = true };
        MaxEventOutputBytes = Limits.DefaultMaxEventOutputBytes;
    }

    /// <summary>
    /// Transforms a router request body into the response body. Returns the HTTP status: 200; or
    /// 400 with <c>{"error": …}</c> when the body is not a JSON object or holds a <c>__proto__</c>
    /// key outside its inputs. <paramref name="compacted"/>: the <c>json+compactedv1</c> format.
    /// </summary>
    public int Transform(ReadOnlySpan<byte> body, IBufferWriter<byte> output, bool compacted = false)
    {
        var writer = _writer ??= new Utf8JsonWriter(output, JsonWriterExtensions.Options);
        writer.Reset(output);
        var heap = _context.Heap;
        heap.Reset();
        _recordCount = 0;
        _groupCount = 0;
        _groupTable.AsSpan().Fill(-1);
        _groupKeys.Clear();
        Tally?.Reset();

        int root;
        try
        {
            // Items are the elements of the body's input array (level 3).
            root = heap.ParseRepairedItems(body, itemDepth: 3);
        }
        catch (JsonException e)
        {
            return WriteRequestError(writer, JsonErrorText.NotJson("The request body", e));
        }
        if (heap.TypeOf(root) != JsType.Object) return WriteRequestError(writer, "The router request body must be a JSON object {input, destType}");

        int input = heap.GetOwn(root, InputKey);
        if (CompactedItems.HasProtoKeyOutsideItems(heap, root, input, compacted)) return WriteRequestError(writer, ProtocolNames.ProtoError.Value);
        if (heap.HasTooDeepOutside(input))
        {
            Tally?.RequestTooDeep();
            return WriteRequestError(writer, CompactedItems.TooDeepOutsideItems);
        }

        if (heap.TypeOf(input) != JsType.Array || heap.ArrayLength(input) == 0)
        {
            WriteInvalidEventArray(writer, heap, heap.GetOwn(root, DestTypeKey));
            return 200;
        }

        var items = CompactedItems.ForInput(heap, root, input, compacted);
        int count = items.Count;
        // D11: a running lower bound of the answer's size; a body whose answer cannot fit is
        // refused as soon as that is known, before the rest is mapped (its state is not even kept).
        long answer = 0;
        for (int i = 0; i < count; i++)
        {
            if (i == _inputs.Length) Array.Resize(ref _inputs, Math.Max(64, JsHeap.GrownLength(_inputs.Length, i + 1)));
            items.Begin(_context, i);
            MapInput(i);
            answer += MinAnswerBytes(heap, ref _inputs[i]);
            if (answer > MaxResponseBytes) return WriteRequestError(writer, Limits.ResponseTooLarge(MaxResponseBytes), Limits.ResponseTooLargeStatus);
        }

        writer.WriteStartObject();
        writer.WritePropertyName(ProtocolNames.Output.Encoded);
        writer.WriteStartArray();
        for (int g = 0; g < _groupCount; g++) WriteGroup(writer, g);
        for (int i = 0; i < count; i++)
        {
            if (_inputs[i].Group < 0) WriteError(writer, ref _inputs[i], idsFrom: _inputs[i].Metadata);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return 200;
    }

    // ------------------------------------------------------------------ per input

    private void MapInput(int index)
    {
        ref InputState state = ref _inputs[index];
        var context = _context;
        var heap = context.Heap;
        state.Item = context.Item;
        state.Group = -1;
        state.NextInGroup = -1;
        state.Succeeded = false;
        state.RecordStart = _recordCount;
        state.RecordCount = 0;
        state.Endpoint = JsHeap.Undefined;
        bool isObject = heap.TypeOf(state.Item) == JsType.Object;
        state.Metadata = isObject ? heap.GetOwn(state.Item, ProtocolNames.Metadata.Utf8) : JsHeap.Undefined;
        state.Destination = isObject ? heap.GetOwn(state.Item, ProtocolNames.Destination.Utf8) : JsHeap.Undefined;
        state.Config = heap.TypeOf(state.Destination) == JsType.Object ? heap.GetOwn(state.Destination, ProtocolNames.ConfigKey.Utf8) : JsHeap.Undefined;

        long extraOutput = 0;
        if (heap.IsTooDeep(state.Item))
        {
            // D7: the parts nested too deep were not read (empty containers stand in for them);
            // the metadata is echoed all the same, so that the job is answered.
            state.Error = EventError.Instrumentation(ProtocolNames.TooDeepError);
            return; // joins no group
        }

        if (context.HasForbiddenKey)
        {
            state.Error = EventError.Instrumentation(ProtocolNames.ProtoError);
            return; // D6: joins no group
        }

        if (state.Metadata == JsHeap.Undefined && isObject)
        {
            // The reference fails the whole request (D1): only this input fails, with "metadata": [].
            state.Error = EventError.Instrumentation(NoMetadata);
        }
        else if (IsPassThrough(heap, state.Item))
        {
            MapPassThrough(ref state);
        }
        else if (RunPipeline(context, out extraOutput))
        {
            state.Succeeded = true;
            foreach (int record in context.Records) AddRecord(ref state, record);
            state.Endpoint = context.Endpoint;
        }
        else
        {
            state.Error = context.Error;
        }

        // Dynamic config resolution may have replaced the destination and its config, and deleted
        // parts of the item (even of its metadata).
        if (context.Destination != JsHeap.Undefined) state.Destination = context.Destination;
        if (context.Config != JsHeap.Undefined) state.Config = context.Config;
        if (context.Item != state.Item)
        {
            state.Item = context.Item;
            state.Metadata = heap.GetOwn(state.Item, ProtocolNames.Metadata.Utf8);
        }
        if (state.Succeeded && !RecordsFit(ref state, context.InputBytes, extraOutput)) return; // D8: fails alone, joins no group
        JoinGroup(index);
    }

    /// <summary>The event pipeline, with the output limit of D8 applied to what the mapping writes into scratch buffers.</summary>
    private bool RunPipeline(EventContext context, out long extraOutput)
    {
        context.Heap.ResetOutputEstimate();
        try
        {
            return EventPipeline.Run(context, _destination);
        }
        catch (OutputLimitException e) when (e.Kind == OutputLimitKind.Event)
        {
            context.Heap.ReturnAllBuffers();
            Tally?.OutputTooLarge();
            context.Fail(EventError.Instrumentation(Limits.EventOutputTooLarge(e.Limit)));
            return false;
        }
        finally
        {
            extraOutput = context.Heap.ArraySlots * 5 + context.Heap.ExtraOutputBytes;
        }
    }

    /// <summary>
    /// D8: whether an input's records fit the output limit of one event. Records are copies of the
    /// input's values (each written a few times at most; escaping at most doubles a nested value's
    /// text) plus what the mapping made beyond them (the nulls of sparse arrays, a string source
    /// copied once per character: <see cref="JsHeap.ExtraOutputBytes"/>), so they are measured
    /// only when eight times the input's size plus that could pass the limit: written into a
    /// bounded scratch buffer. An input that does not fit fails alone.
    /// </summary>
    private bool RecordsFit(ref InputState state, long inputBytes, long extraOutput)
    {
        var heap = _context.Heap;
        // (Each term is bounded: the input by the body, the rest by JsHeap.MaxArraySlots.) A name
        // or string longer than the writer takes needs at least half as many bytes of input
        // (escaping at most doubles text that is not in the input already escaped).
        if (inputBytes * 8 + extraOutput + 4096 <= MaxEventOutputBytes && inputBytes * 2 <= heap.MaxWriterToken) return true;
        var probe = _probe ??= new ByteBuffer();
        probe.Clear();
        probe.SetLimit(MaxEventOutputBytes, OutputLimitKind.Event);
        var writer = _probeWriter ??= new Utf8JsonWriter(probe, JsonWriterExtensions.Options);
        writer.Reset(probe);
        try
        {
            for (int r = 0; r < state.RecordCount; r++) heap.WriteValue(writer, _records[state.RecordStart + r]);
            // The input's metadata and destination are written with its records (in a batch);
            // they count too, and one the writer cannot take fails the input here, not the batch.
            heap.WriteValue(writer, state.Metadata);
            heap.WriteValue(writer, state.Destination);
            writer.Flush();
            return true;
        }
        catch (OutputLimitException e) when (e.Kind == OutputLimitKind.Event)
        {
            heap.ReturnAllBuffers();
            Tally?.OutputTooLarge();
            state.Succeeded = false;
            state.Error = EventError.Instrumentation(Limits.EventOutputTooLarge(e.Limit));
            return false;
        }
        finally
        {
            probe.ClearAndTrim(4 * 1024 * 1024);
        }
    }

    private ByteBuffer? _probe;
    private Utf8JsonWriter? _probeWriter;

    /// <summary>
    /// The fewest bytes an input adds to the answer (D11): its metadata, and a record in a batch
    /// or an error entry of its own.
    /// </summary>
    private static long MinAnswerBytes(JsHeap heap, ref InputState state)
    {
        long metadata = heap.IsContainer(state.Metadata) ? heap.RawText(state.Metadata).Length : 0;
        return metadata + (state.Succeeded ? MinRecordBytes : MinErrorEntryBytes);
    }

    private const int MinRecordBytes = 24;
    private const int MinErrorEntryBytes = 200;

    /// <summary>
    /// When set, every output entry is reported here (metrics): a batch once, with the ids of its
    /// first input's metadata, an error entry with its statTags' ids. <see cref="Transform"/>
    /// starts it afresh. Null (the default) costs nothing.
    /// </summary>
    public EntryTally? Tally { get; set; }

    /// <summary>The most bytes an event's entries may take (D8; 64 MiB by default).</summary>
    public long MaxEventOutputBytes
    {
        get => _context.Heap.EventOutputLimit;
        set => _context.Heap.EventOutputLimit = value;
    }

    /// <summary>
    /// The most bytes the answer may take (D11; 512 MiB by default): checked against a lower bound
    /// as inputs are mapped (then answered 413 at once); the caller bounds the output buffer as
    /// it is written (<see cref="ByteBuffer.SetLimit"/>).
    /// </summary>
    public long MaxResponseBytes { get; set; } = Limits.DefaultMaxResponseBytes;

    private static bool IsPassThrough(JsHeap heap, int item)
    {
        if (heap.TypeOf(item) != JsType.Object) return false;
        int message = heap.GetOwn(item, ProtocolNames.MessageKey.Utf8);
        return heap.TypeOf(message) == JsType.Object && heap.IsTruthy(heap.GetOwn(message, ProtocolNames.StatusCode.Utf8));
    }

    /// <summary>An already transformed message: its one record is <c>message.body.JSON.d[0]</c> (spec §7.2).</summary>
    private void MapPassThrough(ref InputState state)
    {
        var context = _context;
        var heap = context.Heap;
        if (!EventPreparation.Prepare(context, out var error))
        {
            state.Error = error;
            return;
        }
        if (!context.RequireConfig())
        {
            state.Error = context.Error;
            return;
        }
        int message = heap.GetOwn(context.Item, ProtocolNames.MessageKey.Utf8);
        int body = heap.GetOwn(message, BodyKey);
        int json = heap.IsNullish(body) ? JsHeap.Undefined : Mapping.Lookup.Property(heap, body, JsonKey);
        int record = JsHeap.Null;
        if (!heap.IsNullish(json))
        {
            int d = Mapping.Lookup.Property(heap, json, DKey);
            if (heap.IsNullish(d))
            {
                state.Error = EventError.Instrumentation("The already transformed message has body.JSON but no body.JSON.d array of records");
                return;
            }
            record = FirstElement(heap, d);
        }
        try
        {
            state.Endpoint = _destination.Endpoint(heap, context.Config);
        }
        catch (JsTypeError e)
        {
            state.Error = EventError.Instrumentation(e.Message);
            return;
        }
        state.Succeeded = true;
        AddRecord(ref state, record);
    }

    /// <summary><c>d[0]</c> in JavaScript: an array's first element, a string's first code unit, an object's "0".</summary>
    private static int FirstElement(JsHeap heap, int d)
    {
        switch (heap.TypeOf(d))
        {
            case JsType.Array:
                int first = heap.ArrayElement(d, 0);
                return first == JsHeap.Undefined ? JsHeap.Null : first;
            case JsType.String:
                var keys = heap.Keys(d);
                int value = keys.Count > 0 ? heap.MemberValue(heap.KeyMember(in keys, 0)) : JsHeap.Null;
                heap.EndKeys(in keys);
                return value;
            case JsType.Object:
                int zero = heap.GetOwn(d, "0"u8);
                return zero == JsHeap.Undefined ? JsHeap.Null : zero;
            default:
                return JsHeap.Null;
        }
    }

    private void AddRecord(ref InputState state, int record)
    {
        if (_recordCount == _records.Length) Array.Resize(ref _records, _records.Length * 2);
        _records[_recordCount++] = record;
        state.RecordCount++;
    }

    // ------------------------------------------------------------------ grouping (spec §10.4)

    private void JoinGroup(int index)
    {
        ref InputState state = ref _inputs[index];
        var heap = _context.Heap;
        int keyStart = _groupKeys.Length;
        // destination.ID (or "default"), the input's context.sources.job_id (or "default"), config key.
        int id = heap.TypeOf(state.Destination) == JsType.Object ? heap.GetOwn(state.Destination, IdKey) : JsHeap.Undefined;
        int context = heap.TypeOf(state.Item) == JsType.Object ? heap.GetOwn(state.Item, ContextKey) : JsHeap.Undefined;
        try
        {
            AppendKeyPart(heap, id, "destination.ID");
            AppendKeyPart(heap, heap.IsContainer(context) ? heap.Get(context, JobIdPath) : JsHeap.Undefined, "context.sources.job_id");
        }
        catch (JsTypeError e)
        {
            // The reference fails the whole request (D1): only this input fails, alone.
            _groupKeys.Truncate(keyStart);
            state.Succeeded = false;
            state.Error = EventError.Instrumentation(e.Message);
            return;
        }
        int prefixLength = _groupKeys.Length - keyStart;
        int prefixHash = Hash(_groupKeys.WrittenSpan.Slice(keyStart, prefixLength));
        bool dynamic = heap.TypeOf(state.Destination) != JsType.Object
            || heap.GetOwn(state.Destination, ProtocolNames.HasDynamicConfig.Utf8) != JsHeap.False;

        // Inputs of one destination carry the same config text, and the same text has the same
        // canonical form: a group of this destination and job whose first config has this text
        // is this input's group, found without writing the canonical form. The text says what the
        // config is while nothing inside it has been changed in place (CurrentRawText).
        int rawConfig = dynamic && heap.IsContainer(state.Config) && !heap.CurrentRawText(state.Config).IsEmpty
            ? state.Config
            : -1;
        int slot = prefixHash & (_groupTable.Length - 1);
        if (rawConfig >= 0)
        {
            var text = heap.CurrentRawText(rawConfig);
            for (int g = _groupTable[slot]; g >= 0; g = _groups[g].NextInSlot)
            {
                ref Group group = ref _groups[g];
                if (group.RawConfig < 0 || !SamePrefix(in group, keyStart, prefixLength, prefixHash)) continue;
                if (group.RawConfig == rawConfig || heap.CurrentRawText(group.RawConfig).SequenceEqual(text))
                {
                    Join(index, g, keyStart);
                    return;
                }
            }
        }

        if (dynamic) CanonicalJson.Append(heap, state.Config, _groupKeys);
        else _groupKeys.Append("default"u8);
        var key = _groupKeys.WrittenSpan[keyStart..];
        for (int g = _groupTable[slot]; g >= 0; g = _groups[g].NextInSlot)
        {
            ref Group group = ref _groups[g];
            if (group.PrefixHash == prefixHash && _groupKeys.WrittenSpan.Slice(group.KeyStart, group.KeyLength).SequenceEqual(key))
            {
                Join(index, g, keyStart);
                return;
            }
        }

        if (_groupCount == _groups.Length) Array.Resize(ref _groups, _groups.Length * 2);
        _groups[_groupCount] = new Group
        {
            KeyStart = keyStart, KeyLength = key.Length, PrefixLength = prefixLength, PrefixHash = prefixHash,
            NextInSlot = _groupTable[slot], RawConfig = rawConfig, First = index, Last = index,
        };
        _groupTable[slot] = _groupCount;
        state.Group = _groupCount++;
        if (_groupCount * 2 > _groupTable.Length) GrowGroupTable();
    }

    private bool SamePrefix(in Group group, int keyStart, int prefixLength, int prefixHash) =>
        group.PrefixHash == prefixHash && group.PrefixLength == prefixLength
        && _groupKeys.WrittenSpan.Slice(group.KeyStart, prefixLength).SequenceEqual(_groupKeys.WrittenSpan.Slice(keyStart, prefixLength));

    private void Join(int index, int g, int keyStart)
    {
        _groupKeys.Truncate(keyStart);
        ref Group group = ref _groups[g];
        _inputs[group.Last].NextInGroup = index;
        group.Last = index;
        _inputs[index].Group = g;
    }

    private void GrowGroupTable()
    {
        _groupTable = new int[_groupTable.Length * 2];
        _groupTable.AsSpan().Fill(-1);
        int mask = _groupTable.Length - 1;
        for (int g = 0; g < _groupCount; g++)
        {
            int slot = _groups[g].PrefixHash & mask;
            _groups[g].NextInSlot = _groupTable[slot];
            _groupTable[slot] = g;
        }
    }

    /// <summary>One part of a group key, preceded by its length (so no two different pairs of parts make the same key).</summary>
    /// <summary>
    /// One part of a group key as the reference builds it (spec §14.13.9): the value, or
    /// "default" when it is falsy, turned into a string with <c>String()</c> (every object is
    /// <c>[object Object]</c>, an array its elements joined with ','), followed by the ','
    /// that joins the parts. So an ID "x,y" with the default job shares a group with ID "x" and
    /// job "y,default". Throws (D1) for an object whose own toString makes String() fail.
    /// </summary>
    private void AppendKeyPart(JsHeap heap, int value, string what)
    {
        if (!heap.IsTruthy(value)) _groupKeys.Append("default"u8);
        else JsConvert.AppendString(heap, value, _groupKeys, what);
        _groupKeys.Append((byte)',');
    }

    private static int Hash(ReadOnlySpan<byte> key)
    {
        uint h = 2166136261;
        foreach (byte b in key) h = (h ^ b) * 16777619;
        return (int)h;
    }

    // ------------------------------------------------------------------ output (spec §7.3–7.5)

    private void WriteGroup(Utf8JsonWriter writer, int g)
    {
        int max = _destination.MaxRecordsPerBatch;
        int batchFirst = -1;
        int batchRecords = 0;
        for (int i = _groups[g].First; i >= 0; i = _inputs[i].NextInGroup)
        {
            ref InputState input = ref _inputs[i];
            if (!input.Succeeded) continue;
            if (batchFirst >= 0 && batchRecords + input.RecordCount > max)
            {
                WriteBatch(writer, batchFirst, i);
                batchFirst = -1;
            }
            if (batchFirst < 0)
            {
                batchFirst = i;
                batchRecords = 0;
            }
            batchRecords += input.RecordCount;
        }
        if (batchFirst >= 0) WriteBatch(writer, batchFirst, -1);

        int idsFrom = _inputs[_groups[g].First].Metadata;
        for (int i = _groups[g].First; i >= 0; i = _inputs[i].NextInGroup)
        {
            if (!_inputs[i].Succeeded) WriteError(writer, ref _inputs[i], idsFrom);
        }
    }

    /// <summary>One batch: the successful inputs of the group from <paramref name="first"/> up to (not including) <paramref name="end"/>.</summary>
    private void WriteBatch(Utf8JsonWriter writer, int first, int end)
    {
        var heap = _context.Heap;
        ref InputState head = ref _inputs[first];
        writer.WriteStartObject();
        writer.WritePropertyName(ProtocolNames.BatchedRequest.Encoded);
        RequestEnvelope.WriteHead(writer, _destination, heap, head.Config, head.Endpoint);
        for (int i = first; i != end && i >= 0; i = _inputs[i].NextInGroup)
        {
            ref InputState input = ref _inputs[i];
            if (!input.Succeeded) continue;
            for (int r = 0; r < input.RecordCount; r++) heap.WriteValue(writer, _records[input.RecordStart + r]);
        }
        RequestEnvelope.WriteTail(writer, RequestEnvelope.Trailer.Batched);

        writer.WritePropertyName(ProtocolNames.Metadata.Encoded);
        writer.WriteStartArray();
        for (int i = first; i != end && i >= 0; i = _inputs[i].NextInGroup)
        {
            if (_inputs[i].Succeeded) heap.WriteValue(writer, _inputs[i].Metadata);
        }
        writer.WriteEndArray();
        writer.WriteBoolean(ProtocolNames.Batched.Encoded, false);
        writer.WriteNumber(ProtocolNames.StatusCode.Encoded, 200);
        heap.WriteMember(writer, ProtocolNames.Destination, head.Destination);
        writer.WriteEndObject();
        Tally?.Succeeded(heap, head.Metadata);
    }

    /// <summary>
    /// An error entry. It echoes the metadata and the destination; one holding a key or string
    /// longer than the JSON writer takes (some 159 MiB, in a body of up to 200 MB) cannot be
    /// echoed, and the entry is then written without the destination, and if that is not enough
    /// without the metadata too, rather than failing the whole request.
    /// </summary>
    private void WriteError(Utf8JsonWriter writer, ref InputState input, int idsFrom)
    {
        var heap = _context.Heap;
        try
        {
            WriteError(_errorEntry.Begin(), heap, in input.Error, input.Metadata, idsFrom, input.Destination);
        }
        catch (OutputLimitException e) when (e.Kind == OutputLimitKind.Event)
        {
            heap.ReturnAllBuffers();
            try
            {
                WriteError(_errorEntry.Begin(), heap, in input.Error, input.Metadata, idsFrom, JsHeap.Undefined);
            }
            catch (OutputLimitException again) when (again.Kind == OutputLimitKind.Event)
            {
                heap.ReturnAllBuffers();
                WriteError(_errorEntry.Begin(), heap, in input.Error, JsHeap.Undefined, JsHeap.Undefined, JsHeap.Undefined);
            }
        }
        _errorEntry.CopyTo(writer);
        Tally?.Failed(heap, idsFrom, in input.Error);
    }

    private void WriteError(Utf8JsonWriter writer, JsHeap heap, in EventError error, int metadata, int idsFrom, int destination)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(ProtocolNames.Metadata.Encoded);
        writer.WriteStartArray();
        if (metadata != JsHeap.Undefined) heap.WriteValue(writer, metadata);
        writer.WriteEndArray();
        writer.WriteBoolean(ProtocolNames.Batched.Encoded, false);
        writer.WriteNumber(ProtocolNames.StatusCode.Encoded, error.StatusCode);
        ResponseEntries.WriteErrorMessage(writer, in error);
        ResponseEntries.WriteStatTags(writer, _destination, heap, error.Kind, Feature.Router, idsFrom);
        heap.WriteMember(writer, ProtocolNames.Destination, destination);
        writer.WriteEndObject();
    }

    private readonly StagedEntry _errorEntry = new();

    /// <summary>The heap of the inputs (tests set its writer limits).</summary>
    internal JsHeap Heap => _context.Heap;

    private static void WriteInvalidEventArray(Utf8JsonWriter writer, JsHeap heap, int destType)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(ProtocolNames.Output.Encoded);
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WritePropertyName(ProtocolNames.Metadata.Encoded);
        writer.WriteStartArray();
        writer.WriteStartObject();
        heap.WriteMember(writer, ProtocolNames.DestType, destType);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteBoolean(ProtocolNames.Batched.Encoded, false);
        writer.WriteNumber(ProtocolNames.StatusCode.Encoded, 400);
        writer.WriteString(ProtocolNames.Error.Encoded, InvalidEventArray.Encoded);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    private static int WriteRequestError(Utf8JsonWriter writer, string message, int status = 400)
    {
        writer.WriteStartObject();
        writer.WriteJsString(ProtocolNames.Error, message);
        writer.WriteEndObject();
        writer.Flush();
        return status;
    }
}
