using System.Runtime.CompilerServices;

namespace Mappings.Runtime.Json;

/// <summary>The JavaScript type of a heap value (<c>typeof</c>, with null and arrays told apart).</summary>
public enum JsType : byte
{
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Object,
    Array,
    Function,
}

/// <summary>
/// A pooled store of JavaScript values for one event at a time: the input, read once from its
/// UTF-8 bytes into an index of nodes with JavaScript's semantics (numbers as doubles, duplicate
/// keys merged, integer-like keys first), and the values a mapper builds from it. Values are
/// <c>int</c> ids; nothing is allocated per event once the arrays have grown to the largest event.
/// </summary>
/// <remarks>
/// Input containers keep their members contiguous and in JavaScript order. Containers the mapper
/// builds ("mutable") chain their members in insertion order and are ordered when enumerated or
/// written. An input container that a path write must modify is first copied into a mutable one.
/// </remarks>
public sealed partial class JsHeap
{
    /// <summary>The value <c>undefined</c> (an absent property).</summary>
    public const int Undefined = -1;
    public const int Null = 0;
    public const int True = 1;
    public const int False = 2;
    /// <summary>
    /// A function whose name is unknown. Functions are found by lookups of inherited names
    /// (<see cref="NewFunction"/>): truthy, dropped by JSON.stringify.
    /// </summary>
    public const int Function = 3;
    public const int EmptyString = 4;
    private const int FixedNodes = 5;

    [Flags]
    internal enum NodeFlags : ushort
    {
        None = 0,
        /// <summary>String: text needs escaping when written (it came from JSON escapes or was computed).</summary>
        NeedsEscape = 1,
        /// <summary>Number: <see cref="Node.Number"/> holds the parsed value.</summary>
        Parsed = 2,
        /// <summary>Number or input container: the raw input text is exactly what JSON.stringify prints.</summary>
        Canonical = 4,
        /// <summary>Container built by the mapper (members chained, see <see cref="Member.Next"/>).</summary>
        Mutable = 8,
        /// <summary>Object: at least one key contains a '.' (input: valid once <see cref="DottedKnown"/> is set; built: set when such a key is added, kept after a delete).</summary>
        DottedKey = 16,
        /// <summary>Number: computed, no raw text.</summary>
        Computed = 32,
        /// <summary>String: text is a <see cref="JsName"/> (Start holds its id).</summary>
        Static = 64,
        /// <summary>String written as JSON.stringify of the value in <see cref="Node.Start"/> (lazily).</summary>
        Stringified = 128,
        /// <summary>Object: <see cref="DottedKey"/> has been computed (lazily, on the first dotted lookup).</summary>
        DottedKnown = 256,
        /// <summary>An input container made mutable in place: writes to it may change what paths find.</summary>
        Promoted = 512,
        /// <summary>Input object: <see cref="Node.Number"/> holds a 64-bit filter of its keys' tags (see <see cref="KeyFilterBit"/>).</summary>
        KeyFilter = 1024,
        /// <summary>Mutable object: some member key is an array index (keys then need sorting for JavaScript's order).</summary>
        IndexKeys = 2048,
        /// <summary>Mutable object: <see cref="Node.Number"/> holds a filter of every key tag it was given (a superset once keys are deleted).</summary>
        BuiltKeyFilter = 4096,
        /// <summary>String: its text lies between the quotes of its input token and needs no escaping (written as that token).</summary>
        Quoted = 8192,
        /// <summary>Input container at an item's level with nesting deeper than <see cref="MaxDepth"/> inside (see <see cref="Parse"/>).</summary>
        TooDeep = 16384,
        /// <summary>Object with many members: a hash index finds them (see <c>MemberIndex</c>).</summary>
        Indexed = 32768,
    }

    /// <summary>The bit of a key tag in an object's key filter: a clear bit means no such key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong KeyFilterBit(uint tag) => 1UL << (int)((tag * 0x9E3779B1u) >> 26);

    /// <summary>The key filter of an input object (valid with <see cref="NodeFlags.KeyFilter"/>), kept in the unused number field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ref ulong KeyFilterOf(ref Node n) => ref Unsafe.As<double, ulong>(ref n.Number);

    internal struct Node
    {
        public JsType Type;
        public NodeFlags Flags;
        /// <summary>Text offset (string/number); first member or element (input container); head member (mutable container).</summary>
        public int Start;
        /// <summary>Byte length (string/number); member or element count (input container); tail member (mutable container).</summary>
        public int Length;
        /// <summary>Input containers: offset and length of the raw JSON text.</summary>
        public int RawStart;
        public int RawLength;
        public double Number;
    }

    [Flags]
    internal enum MemberFlags : byte
    {
        None = 0,
        ArrayIndex = 1,
        StaticKey = 2,
        KeyNeedsEscape = 4,
    }

    internal struct Member
    {
        /// <summary>Text offset of the key (WTF-8, unescaped), or the <see cref="JsName"/> id.</summary>
        public int KeyStart;
        public int KeyLength;
        /// <summary>Value id; <see cref="Undefined"/> marks a deleted member of a mutable container.</summary>
        public int Value;
        /// <summary>Next member of a mutable container, or -1.</summary>
        public int Next;
        /// <summary>The array index (with <see cref="MemberFlags.ArrayIndex"/>); otherwise a signature of the key used to find repeated keys quickly.</summary>
        public uint Index;
        public MemberFlags Flags;
    }

    internal Node[] _nodes = new Node[256];
    internal int _nodeCount;
    internal Member[] _members = new Member[256];
    internal int _memberCount;
    internal int[] _elements = new int[256];
    internal int _elementCount;
    internal byte[] _text = new byte[4096];
    internal int _textLength;

    // The memo of path walks (see JsPath): for each prefix id, where the walk from a root ended,
    // valid while its epoch is the current one. A new event or a write to a promoted input
    // container starts a new epoch.
    private struct Memo
    {
        public int Epoch;
        public int Root;
        public int Value;
    }

    private Memo[] _memo = new Memo[64];
    private int _epoch;

    public JsHeap()
    {
        Reset();
    }

    /// <summary>Forgets every remembered path walk.</summary>
    internal void ForgetWalks() => _epoch = _epoch == int.MaxValue ? 1 : _epoch + 1;

    private bool TryRecall(int pathId, int root, out int value)
    {
        if ((uint)pathId < (uint)_memo.Length && _memo[pathId].Epoch == _epoch && _memo[pathId].Root == root)
        {
            value = _memo[pathId].Value;
            return true;
        }
        value = Undefined;
        return false;
    }

    private void Remember(int pathId, int root, int value)
    {
        if (pathId >= _memo.Length) Array.Resize(ref _memo, Math.Max(pathId + 1, JsPath.Count));
        ref Memo memo = ref _memo[pathId];
        memo.Epoch = _epoch;
        memo.Root = root;
        memo.Value = value;
    }

    private int[] _protoKeys = new int[8];
    private int _protoKeyCount;

    /// <summary>True when text parsed since the last reset had an object key <c>__proto__</c> (in any escaping).</summary>
    public bool HasProtoKey => _protoKeyCount > 0;

    /// <summary>
    /// True when a <c>__proto__</c> key is part of the parsed value (at any depth) — a key that a
    /// repeated key replaced does not count, as JSON.parse drops it too.
    /// </summary>
    public bool HasLiveProtoKey(int container) => HasProtoKeyWithin(container) && ContainsProtoKey(container, 0);

    private bool ContainsProtoKey(int value, int depth)
    {
        if (!IsContainer(value) || depth > MaxDepth) return false;
        var keys = Keys(value);
        bool found = false;
        for (int i = 0; i < keys.Count && !found; i++)
        {
            int m = KeyMember(in keys, i);
            found = KeyBytes(in _members[m]).SequenceEqual("__proto__"u8) || ContainsProtoKey(_members[m].Value, depth + 1);
        }
        EndKeys(in keys);
        return found;
    }

    /// <summary>True when an input container's text holds a <c>__proto__</c> key (at any depth).</summary>
    public bool HasProtoKeyWithin(int container)
    {
        if (_protoKeyCount == 0 || container < 0) return false;
        ref Node n = ref _nodes[container];
        if ((n.Flags & NodeFlags.Mutable) != 0 || n.RawLength == 0) return false;
        for (int i = 0; i < _protoKeyCount; i++)
        {
            int at = _protoKeys[i];
            if (at >= n.RawStart && at < n.RawStart + n.RawLength) return true;
        }
        return false;
    }

    /// <summary>Number of <c>__proto__</c> keys inside an input container's text.</summary>
    public int CountProtoKeysWithin(int container)
    {
        if (_protoKeyCount == 0 || container < 0) return 0;
        ref Node n = ref _nodes[container];
        if ((n.Flags & NodeFlags.Mutable) != 0 || n.RawLength == 0) return 0;
        int count = 0;
        for (int i = 0; i < _protoKeyCount; i++)
        {
            int at = _protoKeys[i];
            if (at >= n.RawStart && at < n.RawStart + n.RawLength) count++;
        }
        return count;
    }

    private void AddProtoKey(int textOffset)
    {
        if (_protoKeyCount == _protoKeys.Length) Array.Resize(ref _protoKeys, _protoKeys.Length * 2);
        _protoKeys[_protoKeyCount++] = textOffset;
    }

    private int _promotedInputs;
    // Where the raw text of each container made mutable in place started.
    private int[] _promotedTextStarts = new int[8];

    /// <summary>
    /// True when an input container has been made mutable in place since the last reset: the raw
    /// text of the containers around it no longer tells their value.
    /// </summary>
    public bool HasPromotedInput => _promotedInputs != 0;

    /// <summary>
    /// The raw input text of an input container while it still tells the container's value: empty
    /// for values the mapper built and for containers holding, at any depth, a container that was
    /// made mutable in place.
    /// </summary>
    public ReadOnlySpan<byte> CurrentRawText(int container)
    {
        var text = RawText(container);
        if (text.IsEmpty || _promotedInputs == 0) return text;
        int start = _nodes[container].RawStart;
        int end = start + text.Length;
        foreach (int promoted in _promotedTextStarts.AsSpan(0, _promotedInputs))
        {
            if (promoted >= start && promoted < end) return default;
        }
        return text;
    }

    private void NotePromoted(int textStart)
    {
        if (_promotedInputs == _promotedTextStarts.Length) Array.Resize(ref _promotedTextStarts, _promotedTextStarts.Length * 2);
        _promotedTextStarts[_promotedInputs++] = textStart;
    }

    /// <summary>Forgets every value; keeps the grown arrays.</summary>
    public void Reset()
    {
        _promotedInputs = 0;
        _nodeCount = 0;
        _memberCount = 0;
        _elementCount = 0;
        _textLength = 0;
        _buffersInUse = 0;
        TrimBuffers();
        // One event's huge object must not keep its scratch tables for the rest of the heap's life.
        if (_hashTable.Length > 1 << 16) _hashTable = new int[64];
        if (_sortBuffer.Length > 1 << 16) _sortBuffer = new ulong[64];
        if (_keyStack.Length > 1 << 16) _keyStack = new int[256];
        _keyStackCount = 0;
        _protoKeyCount = 0;
        _tooDeepCount = 0;
        _skipCount = 0;
        ResetMemberIndexes();
        ForgetWalks();
        AddNode(JsType.Null, NodeFlags.None, 0, 0);
        AddNode(JsType.Boolean, NodeFlags.None, 1, 0);
        AddNode(JsType.Boolean, NodeFlags.None, 0, 0);
        AddNode(JsType.Function, NodeFlags.None, 0, 0);
        AddNode(JsType.String, NodeFlags.None, 0, 0);
    }

    // ---------------------------------------------------------------- storage

    /// <summary>
    /// The next length of an index array holding <paramref name="needed"/> entries: doubled while
    /// small, then by half as much again, so that the copy a large body's index grows through
    /// (old and new array alive at once) stays a smaller part of its memory.
    /// </summary>
    internal static int GrownLength(int length, long needed)
    {
        long grown = length < 1 << 20 ? length * 2L : length + length / 2L;
        return (int)Math.Min(Array.MaxLength, Math.Max(needed, grown));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int AddNode(JsType type, NodeFlags flags, int start, int length)
    {
        if (_nodeCount == _nodes.Length) Array.Resize(ref _nodes, GrownLength(_nodes.Length, _nodeCount + 1));
        ref Node n = ref _nodes[_nodeCount];
        n.Type = type;
        n.Flags = flags;
        n.Start = start;
        n.Length = length;
        n.RawStart = 0;
        n.RawLength = 0;
        n.Number = 0;
        return _nodeCount++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int AddMember()
    {
        if (_memberCount == _members.Length) Array.Resize(ref _members, GrownLength(_members.Length, _memberCount + 1));
        return _memberCount++;
    }

    internal int AddElement(int value)
    {
        if (_elementCount == _elements.Length) Array.Resize(ref _elements, GrownLength(_elements.Length, _elementCount + 1));
        _elements[_elementCount] = value;
        return _elementCount++;
    }

    /// <summary>Reserves <paramref name="length"/> bytes of text and returns their offset.</summary>
    internal int ReserveText(int length)
    {
        if (_textLength + length > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + length));
        }
        int at = _textLength;
        _textLength += length;
        return at;
    }

    internal Span<byte> TextSpan(int start, int length) => _text.AsSpan(start, length);

    internal ref Node NodeRef(int id) => ref _nodes[id];

    internal ref Member MemberRef(int id) => ref _members[id];

    // ---------------------------------------------------------------- reading values

    /// <summary>The JavaScript type of a value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public JsType TypeOf(int value) => value < 0 ? JsType.Undefined : _nodes[value].Type;

    /// <summary><c>value === undefined || value === null</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsNullish(int value) => value <= Null;

    /// <summary>True for a function (a built-in method or constructor a lookup found).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsFunction(int value) => value >= 0 && _nodes[value].Type == JsType.Function;

    /// <summary>The <see cref="Js.JsFunctions"/> id of a function value.</summary>
    public int FunctionId(int function) => _nodes[function].Start;

    /// <summary>A function value: the built-in of that <see cref="Js.JsFunctions"/> id.</summary>
    public int NewFunction(int id) => id == Js.JsFunctions.Anonymous ? Function : AddNode(JsType.Function, NodeFlags.None, id, 0);

    /// <summary>Object or array (<c>typeof value === "object"</c> and not null).</summary>
    public bool IsContainer(int value)
    {
        var t = TypeOf(value);
        return t is JsType.Object or JsType.Array;
    }

    /// <summary>True for a container the mapper built (not an input container, not one made mutable in place).</summary>
    public bool IsBuilt(int value) =>
        value >= 0 && (_nodes[value].Flags & (NodeFlags.Mutable | NodeFlags.Promoted)) == NodeFlags.Mutable;

    /// <summary>JavaScript truthiness (spec §0).</summary>
    public bool IsTruthy(int value)
    {
        if (value < 0) return false;
        ref Node n = ref _nodes[value];
        switch (n.Type)
        {
            case JsType.Null: return false;
            case JsType.Boolean: return n.Start != 0;
            case JsType.Number:
                double d = NumberOf(value);
                return d != 0 && !double.IsNaN(d);
            case JsType.String: return StringLength(value) != 0;
            default: return true;
        }
    }

    /// <summary>
    /// The "V-valid" rule of every multi-source lookup (spec §6.2): truthy, or exactly
    /// <c>false</c>, or exactly the number 0. Rejects undefined, null, "" and NaN.
    /// </summary>
    public bool IsVValid(int value)
    {
        if (value <= Null) return false;
        ref Node n = ref _nodes[value];
        switch (n.Type)
        {
            // A number not parsed yet is a JSON literal, which is never NaN.
            case JsType.Number: return (n.Flags & NodeFlags.Parsed) == 0 || !double.IsNaN(n.Number);
            case JsType.String: return StringLength(value) != 0;
            default: return true;
        }
    }

    /// <summary>The double of a number value (parsed from its raw text on first use).</summary>
    public double NumberOf(int value)
    {
        ref Node n = ref _nodes[value];
        if ((n.Flags & NodeFlags.Parsed) == 0)
        {
            n.Number = Js.JsNumber.ParseJsonNumber(_text.AsSpan(n.Start, n.Length));
            n.Flags |= NodeFlags.Parsed;
        }
        return n.Number;
    }

    /// <summary>The WTF-8 bytes of a string value.</summary>
    public ReadOnlySpan<byte> StringBytes(int value)
    {
        ref Node n = ref _nodes[value];
        if ((n.Flags & NodeFlags.Static) != 0) return JsName.FromId(n.Start).Utf8;
        if ((n.Flags & NodeFlags.Stringified) != 0) Materialize(value);
        return _text.AsSpan(_nodes[value].Start, _nodes[value].Length);
    }

    private int StringLength(int value)
    {
        ref Node n = ref _nodes[value];
        if ((n.Flags & NodeFlags.Stringified) != 0) return 1; // JSON text is never empty
        return (n.Flags & NodeFlags.Static) != 0 ? JsName.FromId(n.Start).Utf8.Length : n.Length;
    }

    /// <summary>Turns a lazily stringified value into ordinary string text.</summary>
    private void Materialize(int value)
    {
        var json = RentOutputBuffer();
        Stringify(_nodes[value].Start, json);
        int at = ReserveText(json.Length);
        json.WrittenSpan.CopyTo(_text.AsSpan(at));
        ref Node n = ref _nodes[value];
        n.Flags = Wtf8.IsJsonSafe(json.WrittenSpan) ? NodeFlags.None : NodeFlags.NeedsEscape;
        n.Start = at;
        n.Length = json.Length;
        ReturnBuffer();
    }

    /// <summary>Number of <c>__proto__</c> keys seen; <see cref="ForgetProtoKeysAfter"/> takes later ones back.</summary>
    public int ProtoKeyCount => _protoKeyCount;

    internal void ForgetProtoKeysAfter(int count) => _protoKeyCount = count;

    /// <summary>True when the value is the string <paramref name="utf8"/> (strict equality).</summary>
    public bool StringEquals(int value, ReadOnlySpan<byte> utf8) =>
        TypeOf(value) == JsType.String && StringBytes(value).SequenceEqual(utf8);

    /// <summary>Number of elements of an array value.</summary>
    public int ArrayLength(int array)
    {
        ref Node n = ref _nodes[array];
        if ((n.Flags & NodeFlags.Mutable) == 0) return n.Length;
        // A mutable array's Number holds a length set explicitly (holes beyond the last element).
        long length = (long)n.Number;
        for (int m = n.Start; m >= 0; m = _members[m].Next)
        {
            ref Member mem = ref _members[m];
            if (mem.Value != Undefined && (mem.Flags & MemberFlags.ArrayIndex) != 0 && mem.Index + 1L > length) length = mem.Index + 1L;
        }
        // Longer than any .NET array: such a length is only ever written (as nulls) up to a limit.
        return (int)Math.Min(length, int.MaxValue);
    }

    /// <summary>Element <paramref name="index"/> of an array (undefined for holes and beyond the end).</summary>
    public int ArrayElement(int array, int index)
    {
        ref Node n = ref _nodes[array];
        if ((n.Flags & NodeFlags.Mutable) == 0) return (uint)index < (uint)n.Length ? _elements[n.Start + index] : Undefined;
        for (int m = n.Start; m >= 0; m = _members[m].Next)
        {
            ref Member mem = ref _members[m];
            if (mem.Value != Undefined && (mem.Flags & MemberFlags.ArrayIndex) != 0 && mem.Index == (uint)index) return mem.Value;
        }
        return Undefined;
    }

    internal ReadOnlySpan<byte> KeyBytes(in Member m) =>
        (m.Flags & MemberFlags.StaticKey) != 0 ? JsName.FromId(m.KeyStart).Utf8 : _text.AsSpan(m.KeyStart, m.KeyLength);

    // ---------------------------------------------------------------- creating values

    /// <summary>A new string value holding a copy of the WTF-8 bytes.</summary>
    public int NewString(ReadOnlySpan<byte> wtf8)
    {
        if (wtf8.Length == 0) return EmptyString;
        int at = ReserveText(wtf8.Length);
        wtf8.CopyTo(_text.AsSpan(at));
        return AddNode(JsType.String, Wtf8.IsJsonSafe(wtf8) ? NodeFlags.None : NodeFlags.NeedsEscape, at, wtf8.Length);
    }

    /// <summary>A string value whose text is a compile-time name.</summary>
    public int NewString(JsName name) =>
        name.Utf8.Length == 0 ? EmptyString : AddNode(JsType.String, NodeFlags.Static, name.Id, 0);

    /// <summary>A new number value.</summary>
    public int NewNumber(double value)
    {
        int id = AddNode(JsType.Number, NodeFlags.Parsed | NodeFlags.Computed, 0, 0);
        _nodes[id].Number = value;
        return id;
    }

    /// <summary>A boolean value.</summary>
    public static int Boolean(bool value) => value ? True : False;

    /// <summary>A new empty object the mapper can fill.</summary>
    public int NewObject() => AddNode(JsType.Object, NodeFlags.Mutable | NodeFlags.BuiltKeyFilter, -1, -1);

    /// <summary>A new empty array the mapper can fill.</summary>
    public int NewArray() => AddNode(JsType.Array, NodeFlags.Mutable, -1, -1);

    /// <summary>
    /// A string value that is written as <c>JSON.stringify(value)</c> (computed when written, so a
    /// nested value is serialised once, straight into the output).
    /// </summary>
    public int NewStringified(int value) => AddNode(JsType.String, NodeFlags.Stringified, value, 0);

    /// <summary>True for an input value whose text is exactly what JSON.stringify prints for it.</summary>
    public bool IsCanonicalInput(int value) =>
        value >= 0 && (_nodes[value].Flags & (NodeFlags.Canonical | NodeFlags.Mutable)) == NodeFlags.Canonical;

    /// <summary>The raw input text of an input container (empty for values the mapper built).</summary>
    public ReadOnlySpan<byte> RawText(int container)
    {
        ref Node n = ref _nodes[container];
        return (n.Flags & NodeFlags.Mutable) != 0 || n.RawLength == 0 ? default : _text.AsSpan(n.RawStart, n.RawLength);
    }

    internal bool IsStringified(int value) => value >= 0 && (_nodes[value].Flags & NodeFlags.Stringified) != 0;
}
