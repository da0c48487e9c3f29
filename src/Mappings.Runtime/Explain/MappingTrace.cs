using System.Text;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Explain;

/// <summary>
/// Records what the traced variant of a generated mapping did with one event: which rule chose the
/// mapping, each record begun and added, each field begun (with the result of every test of its
/// condition), skipped or ended with its value, and what each stage of an object (custom fields,
/// stringification, assign, conversions, null removal) changed. The traced variant is generated
/// beside the mapping the service runs, from the same view, and calls these methods between the
/// same statements; the service's code never calls them. <see cref="Explainer"/> turns the record
/// into an <see cref="Explanation"/>. One instance per event; not thread-safe.
/// </summary>
public sealed class MappingTrace
{
    private readonly List<TraceNode> _stack = new();
    private readonly ByteBuffer _text = new();
    private readonly Dictionary<string, TraceSite> _lets;
    private EventContext? _context;
    private int _sequence;

    public MappingTrace(IEnumerable<TraceSite> lets)
    {
        _lets = lets.ToDictionary(l => l.String("name") ?? string.Empty, StringComparer.Ordinal);
    }

    internal List<RecordTrace> Records { get; } = new();

    /// <summary>Preconditions checked and rules tried before a mapping was chosen.</summary>
    internal List<TraceNode> Dispatch { get; } = new();

    /// <summary>The event rule that chose the mapping.</summary>
    internal TraceSite? ChosenRule { get; private set; }

    /// <summary>The dispatch's check under way (the message type, the Config) until a rule chose the mapping: what failed the event when nothing is open.</summary>
    internal TraceSite? DispatchAt { get; private set; }

    /// <summary>What was open when the event stopped (a failing field or <c>fail</c> entry), innermost last.</summary>
    internal IReadOnlyList<TraceNode> Open => _stack;

    internal IReadOnlyDictionary<string, TraceSite> Lets => _lets;

    internal JsHeap Heap => _context!.Heap;

    internal EventContext Context => _context!;

    /// <summary>Starts an event (called before the traced mapping runs).</summary>
    public void Start(EventContext context)
    {
        _context = context;
        _stack.Clear();
        Records.Clear();
        Dispatch.Clear();
        ChosenRule = null;
        DispatchAt = null;
        _sequence = 0;
    }

    // ------------------------------------------------------------------ what generated code calls

    /// <summary>A field, a <c>fail</c> entry: its condition (if any) is tested next.</summary>
    public void Begin(TraceSite site)
    {
        var node = new FieldTrace(site, _sequence++);
        Add(node);
        _stack.Add(node);
        if (site.Property("value") is { } value && value.TryGetProperty("object", out _)) CurrentRecord()?.ObjectPaths.Add(site.Path);
    }

    /// <summary>The condition of what was begun last does not hold: nothing of it is evaluated.</summary>
    public void Skip()
    {
        TraceNode node = Pop();
        node.Skipped = true;
    }

    /// <summary>The value a field's source gave, before its modifiers (value map, default, …).</summary>
    public void Value(int value)
    {
        if (Top() is not FieldTrace field) return;
        field.Raw = Json(value);
        field.HasRaw = true;
        // Described now, while the paths hold what the source read (a failing required check ends the field here).
        field.Origin = new ValueDescriber(this).Describe(field);
    }

    /// <summary>The field's final value; whether it was written follows from its <c>emit</c> rule.</summary>
    public void End(int value)
    {
        if (Pop() is not FieldTrace field) return;
        field.Final = Json(value);
        if (!field.HasRaw) field.Raw = field.Final;
        field.Ended = true;
        field.Written = (field.Site.String("emit") ?? "valid") switch
        {
            "always" => true,
            "defined" => value != JsHeap.Undefined,
            "present" => !Heap.IsNullish(value),
            _ => Heap.IsVValid(value),
        };
        field.Origin = new ValueDescriber(this).Describe(field);
    }

    /// <summary>A record is begun (an extra record: its condition is tested next).</summary>
    public void Record(TraceSite site)
    {
        var record = new RecordTrace(site, _sequence++);
        Records.Add(record);
        _stack.Add(record);
    }

    /// <summary>The record was added to the event's records (as it is now: its final value).</summary>
    public void Added(int record)
    {
        if (Pop() is not RecordTrace trace) return;
        trace.Added = true;
        trace.Index = Context.RecordCount - 1;
        Snapshot(record, string.Empty, trace.ObjectPaths, trace.Final);
    }

    /// <summary>An object's stage is about to change <paramref name="obj"/>.</summary>
    public void Stage(TraceSite site, int obj)
    {
        var stage = new StageTrace(site, _sequence++);
        Add(stage);
        _stack.Add(stage);
        string path = site.Path;
        Snapshot(obj, path, CurrentRecord()?.ObjectPaths, stage.Before);
    }

    /// <summary>The stage is done: what it added, changed and removed is recorded.</summary>
    public void StageDone(int obj)
    {
        if (Pop() is not StageTrace stage) return;
        var after = new List<(string Path, string Json)>();
        Snapshot(obj, stage.Site.Path, CurrentRecord()?.ObjectPaths, after);
        var before = stage.Before.ToDictionary(p => p.Path, p => p.Json, StringComparer.Ordinal);
        foreach (var (path, json) in after)
        {
            if (!before.Remove(path, out string? old)) stage.Changes.Add(new StageChange(path, null, json));
            else if (old != json) stage.Changes.Add(new StageChange(path, old, json));
        }

        foreach (var (path, old) in before) stage.Changes.Add(new StageChange(path, old, null));
        new ValueDescriber(this).DescribeStage(stage);
    }

    /// <summary>One test of a condition (a leaf: truthy, equals, in, an event name): its operand and result.</summary>
    public bool Test(TraceSite site, int index, int operand, bool result)
    {
        TraceNode? owner = null;
        for (int i = _stack.Count - 1; i >= 0; i--)
        {
            if (ReferenceEquals(_stack[i].Site, site))
            {
                owner = _stack[i];
                break;
            }
        }

        if (owner is null)
        {
            // An event rule's test: it has no frame of its own.
            owner = Dispatch.LastOrDefault(n => ReferenceEquals(n.Site, site)) ?? AddDispatch(site);
        }

        owner.Tests.Add(new TestResult(index, Json(operand), result));
        return result;
    }

    /// <summary>The event rule that decides the mapping.</summary>
    public void Rule(TraceSite site)
    {
        ChosenRule = site;
        DispatchAt = null;
    }

    /// <summary>The dispatch checks what <paramref name="site"/> describes next (the message type, the Config): a failure before the next step is its.</summary>
    public void At(TraceSite site) => DispatchAt = site;

    // ------------------------------------------------------------------ helpers

    private TraceNode AddDispatch(TraceSite site)
    {
        var node = new FieldTrace(site, _sequence++);
        Dispatch.Add(node);
        return node;
    }

    private void Add(TraceNode node)
    {
        if (CurrentRecord() is { } record) record.Nodes.Add(node);
        else Dispatch.Add(node);
    }

    private RecordTrace? CurrentRecord()
    {
        for (int i = _stack.Count - 1; i >= 0; i--)
        {
            if (_stack[i] is RecordTrace r) return r;
        }

        return null;
    }

    private TraceNode? Top() => _stack.Count == 0 ? null : _stack[^1];

    private TraceNode Pop()
    {
        TraceNode node = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return node;
    }

    /// <summary>The JSON text of a value as <c>JSON.stringify</c> writes it; null for undefined (and functions).</summary>
    internal string? Json(int value)
    {
        _text.Clear();
        return Heap.Stringify(value, _text) ? Encoding.UTF8.GetString(_text.WrittenSpan) : null;
    }

    /// <summary>
    /// Each key of <paramref name="obj"/> (an object) with the JSON of its value, as
    /// <c>path.key</c>; the members of objects the mapping built with its own fields
    /// (<paramref name="objectPaths"/>: <c>profileData</c>) are listed too, after their key.
    /// </summary>
    internal void Snapshot(int obj, string path, HashSet<string>? objectPaths, List<(string Path, string Json)> into)
    {
        JsHeap heap = Heap;
        if (heap.TypeOf(obj) != JsType.Object) return;
        var members = new List<(string Key, int Value)>();
        JsKeyList keys = heap.Keys(obj);
        for (int i = 0; i < keys.Count; i++)
        {
            int member = heap.KeyMember(keys, i);
            int value = heap.MemberValue(member);
            if (value == JsHeap.Undefined) continue;
            members.Add((KeyText(heap.KeyBytes(heap.MemberKey(member))), value));
        }

        heap.EndKeys(keys);
        foreach (var (key, value) in members)
        {
            string at = path.Length == 0 ? key : path + "." + key;
            string? json = Json(value);
            if (json is null) continue; // a function: JSON.stringify leaves it out
            into.Add((at, json));
            if (objectPaths?.Contains(at) == true) Snapshot(value, at, objectPaths, into);
        }
    }

    /// <summary>
    /// A key as explain shows it in a path: its text, with each lone surrogate (a JSON key may hold
    /// one, <c>"\udc00"</c>) written as its escape, so that keys with different lone surrogates
    /// stay apart and no text is lost to replacement characters (a key holding the six characters
    /// <c>\udc00</c> shows the same: explain's paths are for reading, like a dotted key's).
    /// </summary>
    internal static string KeyText(ReadOnlySpan<byte> wtf8)
    {
        if (System.Text.Unicode.Utf8.IsValid(wtf8)) return Encoding.UTF8.GetString(wtf8);
        string text = Wtf8.ToUtf16String(wtf8);
        var builder = new StringBuilder(text.Length + 12);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}

/// <summary>Something the trace recorded: a field, a <c>fail</c> entry, a stage, a record.</summary>
internal abstract class TraceNode(TraceSite site, int sequence)
{
    public TraceSite Site { get; } = site;

    /// <summary>Order of beginning, within the event.</summary>
    public int Sequence { get; } = sequence;

    public List<TestResult> Tests { get; } = new();

    /// <summary>Its condition did not hold.</summary>
    public bool Skipped { get; set; }
}

internal sealed class FieldTrace(TraceSite site, int sequence) : TraceNode(site, sequence)
{
    public string Path => Site.Path;

    public bool Ended { get; set; }

    public bool Written { get; set; }

    /// <summary>The value its source gave (JSON; null: undefined).</summary>
    public string? Raw { get; set; }

    public bool HasRaw { get; set; }

    /// <summary>The value after its modifiers.</summary>
    public string? Final { get; set; }

    public ValueOrigin? Origin { get; set; }
}

internal sealed class StageTrace(TraceSite site, int sequence) : TraceNode(site, sequence)
{
    public List<(string Path, string Json)> Before { get; } = new();

    public List<StageChange> Changes { get; } = new();

    private Dictionary<string, StageChange>? _first;
    private Dictionary<string, StageChange>? _firstWritten;

    /// <summary>The first change of <paramref name="path"/> (looked up, not searched: a stage may change thousands of keys).</summary>
    public StageChange? ChangeOf(string path) => (_first ??= Index(Changes)).GetValueOrDefault(path);

    /// <summary>The first change that left a value at <paramref name="path"/>.</summary>
    public StageChange? WriteOf(string path) => (_firstWritten ??= Index(Changes.Where(c => c.After is not null))).GetValueOrDefault(path);

    private static Dictionary<string, StageChange> Index(IEnumerable<StageChange> changes)
    {
        var index = new Dictionary<string, StageChange>(StringComparer.Ordinal);
        foreach (StageChange change in changes) index.TryAdd(change.Path, change);
        return index;
    }
}

/// <summary>A key a stage added (<see cref="Before"/> null), changed, or removed (<see cref="After"/> null); <see cref="From"/>: where its value came from.</summary>
internal sealed record StageChange(string Path, string? Before, string? After)
{
    public string? From { get; set; }
}

internal sealed class RecordTrace(TraceSite site, int sequence) : TraceNode(site, sequence)
{
    public List<TraceNode> Nodes { get; } = new();

    public bool Added { get; set; }

    public int Index { get; set; } = -1;

    /// <summary>Keys whose value the mapping built as an object of its own fields (their members are explained one by one).</summary>
    public HashSet<string> ObjectPaths { get; } = new(StringComparer.Ordinal);

    public List<(string Path, string Json)> Final { get; } = new();
}

/// <summary>One test of a condition: its number in the site's description, its operand's value (JSON; null: undefined), its result.</summary>
internal sealed record TestResult(int Index, string? Operand, bool Result);
