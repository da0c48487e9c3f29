using System.Text;
using System.Text.Json;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Router;

namespace Mappings.Fuzz;

/// <summary>An invariant of a fuzz target does not hold (a finding, like an exception that escapes).</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);

/// <summary>
/// The fuzz targets: each takes arbitrary bytes, runs one entry point of the runtime on them and
/// checks the invariants that need no reference. Anything thrown out of <see cref="Run"/> is a
/// finding: an exception that escaped the runtime, or a <see cref="FuzzInvariantException"/>.
/// The instance keeps its transformers from one input to the next, as a pooled instance of the
/// service does (state that leaks from one input into the next is a finding too). Not
/// thread-safe.
/// </summary>
public sealed class FuzzTargets
{
    /// <summary>The request reader: <c>JsHeap.Parse</c> / <c>ParseItems</c> on the bytes (repaired first, as the transformers do).</summary>
    public const string Reader = "reader";
    /// <summary>The processor transform of one item (<c>ProcessorTransformer.TransformItem</c>).</summary>
    public const string Item = "item";
    /// <summary>A processor request body (<c>ProcessorTransformer.TransformRequest</c>).</summary>
    public const string Request = "request";
    /// <summary>A processor request body in the compacted format (<c>json+compactedv1</c>).</summary>
    public const string RequestCompacted = "request-compacted";
    /// <summary>A <c>/routerTransform</c> body (<c>RouterTransformer.Transform</c>).</summary>
    public const string Router = "router";
    /// <summary>A <c>/routerTransform</c> body in the compacted format.</summary>
    public const string RouterCompacted = "router-compacted";

    public static readonly IReadOnlyList<string> Names = [Reader, Item, Request, RequestCompacted, Router, RouterCompacted];

    /// <summary>
    /// The limit of one event's output (D8) in the targets: lower than the service's 64 MiB, so
    /// that an input asking for a huge output (a key such as <c>"x.80000000"</c>) reaches the
    /// limit after a few milliseconds rather than after writing 64 MiB. The answer's limit
    /// (D11) keeps its default: no fuzz input comes near it.
    /// </summary>
    public const long MaxEventOutputBytes = 4L * 1024 * 1024;

    /// <summary>Depth allowed to the independent JSON checks (the runtime's own limit is 1,000 per item).</summary>
    private const int CheckDepth = int.MaxValue;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = CheckDepth };
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = CheckDepth };
    private static ReadOnlySpan<byte> RepeatedKey => "destination"u8;

    private readonly ProcessorTransformer _processor = new(CleverTapMapper.Instance) { MaxEventOutputBytes = MaxEventOutputBytes };
    private readonly RouterTransformer _router = new(CleverTapMapper.Instance) { MaxEventOutputBytes = MaxEventOutputBytes };
    // The reader target: a heap that reuses repeated destinations across texts, as the transformers'
    // heaps do, checked against a plain heap that reads every byte.
    private readonly JsHeap _reusing = new() { RepeatedValueKey = RepeatedKey.ToArray() };
    private readonly JsHeap _plain = new();
    private readonly ByteBuffer _text = new();
    private readonly ByteBuffer _output = new();
    private readonly ByteBuffer _again = new();

    /// <summary>Runs one target on the bytes; throws on a finding.</summary>
    public void Run(string target, ReadOnlySpan<byte> data)
    {
        switch (target)
        {
            case Reader: RunReader(data); break;
            case Item: RunItem(data); break;
            case Request: RunRequest(data, compacted: false); break;
            case RequestCompacted: RunRequest(data, compacted: true); break;
            case Router: RunRouter(data, compacted: false); break;
            case RouterCompacted: RunRouter(data, compacted: true); break;
            default: throw new ArgumentException($"Unknown fuzz target '{target}' (one of: {string.Join(", ", Names)})", nameof(target));
        }
    }

    // ------------------------------------------------------------------ reader

    private readonly string?[] _plainErrors = new string?[4];
    private readonly byte[]?[] _plainTexts = new byte[]?[4];

    /// <summary>
    /// The reader accepts exactly the texts that are JSON (as <see cref="Utf8JsonReader"/> reads
    /// them, after the UTF-8 repair), and only <see cref="JsonException"/> comes out of it;
    /// <c>Parse</c> also refuses a text nested more than 1,000 levels deep, <c>ParseItems</c>
    /// never does. What it read, written back with <c>Stringify</c>, is JSON. A heap that reuses
    /// repeated destinations reads every text as a plain heap does: the same value, or the same
    /// error message, however often the text comes and whatever came before it.
    /// </summary>
    private void RunReader(ReadOnlySpan<byte> data)
    {
        var text = Repaired(data);
        bool isJson = TryMeasureDepth(text, out int depth);

        // The plain heap: Parse, then ParseItems with the items at levels 1, 2 and 3.
        _plain.Reset();
        string? strictError = null;
        try
        {
            int root = _plain.Parse(text, validUtf8: true);
            CheckStringified(_plain, root, "Parse");
        }
        catch (JsonException e)
        {
            strictError = e.Message;
        }
        bool strictExpected = isJson && depth <= JsHeap.MaxDepth;
        if ((strictError is null) != strictExpected)
        {
            throw new FuzzInvariantException(strictError is null
                ? $"JsHeap.Parse accepted a text that is {(isJson ? $"nested {depth} levels deep" : "not JSON")}"
                : $"JsHeap.Parse refused a JSON text nested {depth} levels deep: {strictError}");
        }

        for (int itemDepth = 1; itemDepth <= 3; itemDepth++)
        {
            _plain.Reset();
            _plainErrors[itemDepth] = null;
            _plainTexts[itemDepth] = null;
            try
            {
                int root = _plain.ParseItems(text, validUtf8: true, itemDepth);
                _plainTexts[itemDepth] = CheckStringified(_plain, root, $"ParseItems(itemDepth: {itemDepth})");
            }
            catch (JsonException e)
            {
                _plainErrors[itemDepth] = e.Message;
            }
            if ((_plainErrors[itemDepth] is null) != isJson)
            {
                throw new FuzzInvariantException(isJson
                    ? $"JsHeap.ParseItems(itemDepth: {itemDepth}) refused a JSON text: {_plainErrors[itemDepth]}"
                    : $"JsHeap.ParseItems(itemDepth: {itemDepth}) accepted a text that is not JSON");
            }
        }

        // The reusing heap, in a sequence that keeps the destination's text, then its index, then
        // reuses it, at one depth limit and then at others.
        ReadOnlySpan<int> sequence = [1, 1, 1, 3, 2, 2];
        foreach (int itemDepth in sequence)
        {
            _reusing.Reset();
            string? error = null;
            byte[]? written = null;
            try
            {
                int root = _reusing.ParseItems(text, validUtf8: true, itemDepth);
                written = CheckStringified(_reusing, root, $"ParseItems(itemDepth: {itemDepth}) with reuse");
            }
            catch (JsonException e)
            {
                error = e.Message;
            }
            if (error != _plainErrors[itemDepth])
            {
                throw new FuzzInvariantException(
                    $"A heap reusing repeated destinations read the text differently (itemDepth {itemDepth}): error '{error}' where a plain heap has '{_plainErrors[itemDepth]}'");
            }
            if (written is not null && !written.AsSpan().SequenceEqual(_plainTexts[itemDepth]))
            {
                throw new FuzzInvariantException(
                    $"A heap reusing repeated destinations read the text differently (itemDepth {itemDepth}):\n  reusing: {Show(written)}\n  plain:   {Show(_plainTexts[itemDepth]!)}");
            }
        }
    }

    private byte[] CheckStringified(JsHeap heap, int root, string what)
    {
        _output.Clear();
        if (!heap.Stringify(root, _output)) throw new FuzzInvariantException($"{what}: the root read is undefined or a function");
        if (!IsJson(_output.WrittenSpan)) throw new FuzzInvariantException($"{what}: Stringify of what was read is not JSON: {Show(_output.WrittenSpan)}");
        return _output.WrittenSpan.ToArray();
    }

    // ------------------------------------------------------------------ processor item

    /// <summary>
    /// One item: the answer is a JSON array of one or two entries, each an object with a numeric
    /// statusCode; an entry that is not 200 is alone and carries an error string (every item gets
    /// its outcome). The same item again gives the same bytes.
    /// </summary>
    private void RunItem(ReadOnlySpan<byte> data)
    {
        _output.Clear();
        var outcome = _processor.TransformItem(data, _output);
        using (var doc = ParseOutput(_output, "TransformItem"))
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Array) throw new FuzzInvariantException("TransformItem's answer is not an array: " + Show(_output.WrittenSpan));
            int count = root.GetArrayLength();
            if (count is < 1 or > 2) throw new FuzzInvariantException($"TransformItem's answer has {count} entries: {Show(_output.WrittenSpan)}");
            bool allOk = CheckEntries(root, count, "TransformItem");
            if (allOk != (outcome == ItemOutcome.Succeeded))
            {
                throw new FuzzInvariantException($"TransformItem returned {outcome} for entries {Show(_output.WrittenSpan)}");
            }
        }
        for (int i = 0; i < 2; i++)
        {
            _again.Clear();
            _processor.TransformItem(data, _again);
            SameAnswer("TransformItem", 200, 200);
        }
    }

    /// <summary>
    /// Checks the entries of a processor answer: objects with a numeric statusCode, an error
    /// entry (status not 200) alone among its item's entries with a string error. Returns whether
    /// every entry is a 200.
    /// </summary>
    private static bool CheckEntries(JsonElement array, int itemEntries, string what)
    {
        bool allOk = true;
        foreach (var entry in array.EnumerateArray())
        {
            int status = StatusCode(entry, what);
            if (status == 200) continue;
            allOk = false;
            if (!entry.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.String)
            {
                throw new FuzzInvariantException($"{what}: an entry with status {status} has no error string: {entry.GetRawText()}");
            }
        }
        if (!allOk && itemEntries != 1) throw new FuzzInvariantException($"{what}: an error entry is not alone: {array.GetRawText()}");
        return allOk;
    }

    private static int StatusCode(JsonElement entry, string what)
    {
        if (entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("statusCode", out var status)
            || status.ValueKind != JsonValueKind.Number
            || !status.TryGetInt32(out int code))
        {
            throw new FuzzInvariantException($"{what}: an entry has no numeric statusCode: {Clip(entry.GetRawText())}");
        }
        return code;
    }

    // ------------------------------------------------------------------ processor request

    /// <summary>
    /// A processor body: a 200 answer is an array with, for each item of the input array, one
    /// error entry or one or two results (so between n and 2n entries), each with a numeric
    /// statusCode; any other answer is a 400 or 413 <c>{"error": string}</c>. A plain body's
    /// entries are those its items get alone (D1, D6, D7, D8: every item gets its own outcome).
    /// The same body again gives the same bytes.
    /// </summary>
    private void RunRequest(ReadOnlySpan<byte> data, bool compacted)
    {
        string what = compacted ? "TransformRequest(compacted)" : "TransformRequest";
        _output.Clear();
        int status = _processor.TransformRequest(data, _output, compacted);
        byte[] answer = _output.WrittenSpan.ToArray();
        using (var doc = ParseOutput(_output, what))
        {
            var root = doc.RootElement;
            if (status != 200)
            {
                CheckRequestError(root, status, what);
            }
            else
            {
                if (root.ValueKind != JsonValueKind.Array) throw new FuzzInvariantException($"{what}: a 200 answer is not an array: {Show(answer)}");
                int entries = root.GetArrayLength();
                foreach (var entry in root.EnumerateArray()) StatusCode(entry, what);
                var text = Repaired(data);
                if (TryParse(text, out var input))
                {
                    using (input)
                    {
                        var items = compacted
                            ? input.RootElement.ValueKind == JsonValueKind.Object && input.RootElement.TryGetProperty("input", out var array) ? array : default
                            : input.RootElement;
                        if (items.ValueKind != JsonValueKind.Array) throw new FuzzInvariantException($"{what}: a 200 answer for a body whose items are not an array");
                        int n = items.GetArrayLength();
                        if (entries < n || entries > 2 * n) throw new FuzzInvariantException($"{what}: {n} items got {entries} entries: {Show(answer)}");
                        if (!compacted) CheckItemsAlone(text, answer, what);
                    }
                }
            }
        }
        for (int i = 0; i < 2; i++)
        {
            _again.Clear();
            int again = _processor.TransformRequest(data, _again, compacted);
            _output.Clear();
            _output.Append(answer);
            SameAnswer(what, status, again);
        }
    }

    /// <summary>The answer of a plain body is, entry for entry, what each of its items gets alone.</summary>
    private void CheckItemsAlone(ReadOnlySpan<byte> text, byte[] answer, string what)
    {
        var alone = new ByteBuffer();
        alone.Append((byte)'[');
        var reader = new Utf8JsonReader(text, ReaderOptions);
        reader.Read();
        int index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            int start = (int)reader.TokenStartIndex;
            reader.Skip();
            var item = text[start..(int)reader.BytesConsumed];
            _again.Clear();
            _processor.TransformItem(item, _again);
            var entries = _again.WrittenSpan[1..^1];
            if (entries.IsEmpty) throw new FuzzInvariantException($"{what}: item {index} alone got no entry");
            if (alone.Length > 1) alone.Append((byte)',');
            alone.Append(entries);
            index++;
        }
        alone.Append((byte)']');
        if (!alone.WrittenSpan.SequenceEqual(answer))
        {
            throw new FuzzInvariantException($"{what}: the answer differs from the items' answers alone:\n  request: {Show(answer)}\n  alone:   {Show(alone.WrittenSpan)}");
        }
    }

    private static void CheckRequestError(JsonElement root, int status, string what)
    {
        if (status is not (400 or 413)) throw new FuzzInvariantException($"{what}: status {status}");
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("error", out var error)
            || error.ValueKind != JsonValueKind.String
            || CountProperties(root) != 1)
        {
            throw new FuzzInvariantException($"{what}: a {status} answer is not {{\"error\": string}}: {Clip(root.GetRawText())}");
        }
    }

    // ------------------------------------------------------------------ router

    /// <summary>
    /// A router body: a 200 answer is <c>{"output": [...]}</c> whose entries carry every input
    /// exactly once (a batch carries the metadata of each of its inputs, an error entry one
    /// input) and, when the inputs' metadata.jobId are distinct numbers, every job exactly once;
    /// a body whose input is missing, not an array or empty gets the one "Invalid event array"
    /// entry; any other answer is a 400 or 413 <c>{"error": string}</c>. The same body again
    /// gives the same bytes.
    /// </summary>
    private void RunRouter(ReadOnlySpan<byte> data, bool compacted)
    {
        string what = compacted ? "RouterTransformer.Transform(compacted)" : "RouterTransformer.Transform";
        _output.Clear();
        int status = _router.Transform(data, _output, compacted);
        byte[] answer = _output.WrittenSpan.ToArray();
        using (var doc = ParseOutput(_output, what))
        {
            var root = doc.RootElement;
            if (status != 200) CheckRequestError(root, status, what);
            else CheckRouterAnswer(data, root, what);
        }
        for (int i = 0; i < 2; i++)
        {
            _again.Clear();
            int again = _router.Transform(data, _again, compacted);
            _output.Clear();
            _output.Append(answer);
            SameAnswer(what, status, again);
        }
    }

    private void CheckRouterAnswer(ReadOnlySpan<byte> data, JsonElement root, string what)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("output", out var output) || output.ValueKind != JsonValueKind.Array)
        {
            throw new FuzzInvariantException($"{what}: a 200 answer is not {{\"output\": [...]}}: {Clip(root.GetRawText())}");
        }
        int carried = 0;
        var jobs = new List<double>();
        foreach (var entry in output.EnumerateArray())
        {
            int status = StatusCode(entry, what);
            if (!entry.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Array)
            {
                throw new FuzzInvariantException($"{what}: an entry has no metadata array: {Clip(entry.GetRawText())}");
            }
            if (entry.TryGetProperty("batchedRequest", out _))
            {
                if (status != 200) throw new FuzzInvariantException($"{what}: a batch with status {status}");
                carried += metadata.GetArrayLength();
            }
            else
            {
                if (!entry.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.String)
                {
                    throw new FuzzInvariantException($"{what}: an entry is neither a batch nor an error: {Clip(entry.GetRawText())}");
                }
                if (metadata.GetArrayLength() > 1) throw new FuzzInvariantException($"{what}: an error entry carries {metadata.GetArrayLength()} metadata");
                carried++;
            }
            foreach (var m in metadata.EnumerateArray())
            {
                if (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("jobId", out var job) && job.ValueKind == JsonValueKind.Number && job.TryGetDouble(out double id)) jobs.Add(id);
            }
        }

        var text = Repaired(data);
        if (!TryParse(text, out var input)) return; // the reader's own target checks that only JSON is accepted
        using (input)
        {
            var body = input.RootElement;
            var inputs = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("input", out var array) ? array : default;
            if (inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() == 0)
            {
                if (output.GetArrayLength() != 1 || StatusCode(output[0], what) != 400)
                {
                    throw new FuzzInvariantException($"{what}: a body without inputs did not get the one 'Invalid event array' entry: {Clip(root.GetRawText())}");
                }
                return;
            }
            int n = inputs.GetArrayLength();
            if (carried != n) throw new FuzzInvariantException($"{what}: {n} inputs, but the answer's entries carry {carried}: {Clip(root.GetRawText())}");

            // Every job exactly once, when the inputs tell their jobs apart. A dynamic config
            // template ({{ … }}) may read, and so delete, a metadata field: then only the count holds.
            if (text.IndexOf("{{"u8) >= 0) return;
            var expected = new HashSet<double>();
            foreach (var item in inputs.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
                    || !metadata.TryGetProperty("jobId", out var job) || job.ValueKind != JsonValueKind.Number
                    || !job.TryGetDouble(out double id) || !double.IsFinite(id)
                    || !expected.Add(id))
                {
                    return;
                }
            }
            jobs.Sort();
            var want = expected.ToList();
            want.Sort();
            if (!jobs.SequenceEqual(want))
            {
                throw new FuzzInvariantException(
                    $"{what}: the answer's jobs [{string.Join(",", jobs)}] are not the inputs' jobs [{string.Join(",", want)}], each once");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>The bytes as the transformers read them: invalid UTF-8 replaced with U+FFFD.</summary>
    private ReadOnlySpan<byte> Repaired(ReadOnlySpan<byte> data)
    {
        _text.Clear();
        return Wtf8.TryRepairUtf8(data, _text) ? _text.WrittenSpan : data;
    }

    private static JsonDocument ParseOutput(ByteBuffer output, string what)
    {
        try
        {
            return JsonDocument.Parse(output.WrittenMemory, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new FuzzInvariantException($"{what}: the answer is not JSON ({e.Message}): {Show(output.WrittenSpan)}");
        }
    }

    /// <summary>The answer just written to <c>_again</c> has the same status and bytes as the first (in <c>_output</c>).</summary>
    private void SameAnswer(string what, int status, int again)
    {
        if (again != status || !_again.WrittenSpan.SequenceEqual(_output.WrittenSpan))
        {
            throw new FuzzInvariantException(
                $"{what}: the same input again got another answer:\n  first: {status} {Show(_output.WrittenSpan)}\n  again: {again} {Show(_again.WrittenSpan)}");
        }
    }

    private static bool TryParse(ReadOnlySpan<byte> text, out JsonDocument document)
    {
        try
        {
            document = JsonDocument.Parse(text.ToArray(), DocumentOptions);
            return true;
        }
        catch (JsonException)
        {
            document = null!;
            return false;
        }
    }

    private static bool IsJson(ReadOnlySpan<byte> text) => TryMeasureDepth(text, out _);

    /// <summary>Whether the text is one JSON value, and how many levels deep its containers nest (0 for a scalar).</summary>
    private static bool TryMeasureDepth(ReadOnlySpan<byte> text, out int depth)
    {
        depth = 0;
        try
        {
            var reader = new Utf8JsonReader(text, ReaderOptions);
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) depth = Math.Max(depth, reader.CurrentDepth + 1);
            }
            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int CountProperties(JsonElement value)
    {
        int n = 0;
        foreach (var _ in value.EnumerateObject()) n++;
        return n;
    }

    private static string Show(ReadOnlySpan<byte> bytes) => Clip(Encoding.UTF8.GetString(bytes));

    private static string Clip(string text) => text.Length <= 2000 ? text : text[..1000] + $" …({text.Length - 2000} chars)… " + text[^1000..];
}
