using System.Text.Json;

namespace Mappings.Runtime.Json;

public sealed partial class JsHeap
{
    /// <summary>Deepest nesting accepted in input (deeper input is refused with a clear error).</summary>
    public const int MaxDepth = 1000;

    private struct Frame
    {
        public int Node;
        public bool IsObject;
        public bool HasIndexKey;
        public int PendingStart;
        // The running compact length and flaw count (see Parse) when the container started.
        public long CompactAtStart;
        public int FlawsAtStart;
        // The key read for the next member (objects).
        public int KeyStart;
        public int KeyLength;
        public MemberFlags KeyFlags;
        public uint KeyIndex;
    }

    private Frame[] _frames = new Frame[16];

    // A container opening while this many are open is too deep for its item (see Parse).
    private int _depthLimit = MaxDepth;

    // True while parsing text that may hold lone surrogates (WTF-8 taken from a heap string, e.g.
    // products given as a JSON string): unescaped strings and keys are then checked before being
    // treated as safe to copy into the output.
    private bool _untrustedText;
    private Member[] _pending = new Member[256];
    private int _pendingCount;
    private int[] _pendingElements = new int[256];
    private int _pendingElementCount;
    private int[] _hashTable = new int[64];

    private static ReadOnlySpan<byte> ProtoKey => "__proto__"u8;

    /// <summary>
    /// Reads one JSON text (valid UTF-8: <see cref="ParseRepaired(ReadOnlySpan{byte})"/> reads bytes that may not be)
    /// into the heap and returns the id of its root value. Throws <see cref="JsonException"/> when
    /// the text is not JSON. Sets <see cref="HasProtoKey"/> when any object has a <c>__proto__</c> key.
    /// <paramref name="validUtf8"/>: the caller has checked that the text is valid UTF-8 (so it holds
    /// no lone surrogate, and no string needs checking before it is copied to the output).
    /// </summary>
    /// <remarks>Text nested more than <see cref="MaxDepth"/> levels deep is refused (a <see cref="JsonException"/>).</remarks>
    public int Parse(ReadOnlySpan<byte> utf8, bool validUtf8 = false)
    {
        int marked = _tooDeepCount, skips = _skipCount;
        int start = _textLength;
        int root = ParseItems(utf8, validUtf8, itemDepth: 1);
        if (_tooDeepCount != marked)
        {
            // Where the first part too deep starts (0-based line and byte in line, as the reader counts).
            int at = Math.Clamp(_skips[skips] - start, 0, utf8.Length);
            var before = utf8[..at];
            int lastLine = before.LastIndexOf((byte)'\n');
            throw new JsonException(NestedTooDeep, path: null, lineNumber: before.Count((byte)'\n'), bytePositionInLine: at - lastLine - 1);
        }
        return root;
    }

    // Where text that is not valid UTF-8 is repaired before it is read (not one of the scratch
    // buffers: those are bounded by an event's output, and a body may be larger).
    private readonly ByteBuffer _repaired = new();

    /// <summary>
    /// Reads bytes that may not be valid UTF-8, as the reference decodes a body
    /// (<see cref="Wtf8.AsBodyText"/>: a leading byte order mark dropped, each invalid sequence
    /// U+FFFD, spec §14.7), then as <see cref="Parse(ReadOnlySpan{byte}, bool)"/>.
    /// The one way bodies that come from outside (requests, CleverTap's answers) are read.
    /// </summary>
    public int ParseRepaired(ReadOnlySpan<byte> bytes) => ParseRepaired(bytes, itemDepth: 0);

    /// <summary><see cref="ParseRepaired(ReadOnlySpan{byte})"/> for a body made of items (see <see cref="ParseItems"/>).</summary>
    public int ParseRepairedItems(ReadOnlySpan<byte> bytes, int itemDepth) => ParseRepaired(bytes, itemDepth);

    /// <summary>
    /// One item on its own (a line of the CLI's input), read exactly as it would be inside a body: its
    /// invalid sequences repaired, but a leading byte order mark kept (a body's, not an item's: inside
    /// a body it is not JSON).
    /// </summary>
    public int ParseRepairedItem(ReadOnlySpan<byte> item) => ParseRepaired(item, itemDepth: 1, body: false);

    /// <summary>A body as axios reads an answer: its JSON value when it is JSON, else the text itself (both read as <see cref="Wtf8.AsBodyText"/> reads a body).</summary>
    public int ParseRepairedOrText(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var text = Wtf8.AsBodyText(bytes, _repaired);
            try
            {
                return Parse(text, validUtf8: true);
            }
            catch (JsonException)
            {
                return NewString(text);
            }
        }
        finally
        {
            _repaired.ClearAndTrim(KeptRepairBytes);
        }
    }

    private const int KeptRepairBytes = 1 << 20;

    private int ParseRepaired(ReadOnlySpan<byte> bytes, int itemDepth, bool body = true)
    {
        try
        {
            var text = body ? Wtf8.AsBodyText(bytes, _repaired) : Wtf8.AsValidUtf8(bytes, _repaired);
            return itemDepth == 0 ? Parse(text, validUtf8: true) : ParseItems(text, validUtf8: true, itemDepth);
        }
        finally
        {
            _repaired.ClearAndTrim(KeptRepairBytes);
        }
    }

    /// <summary>The message of text nested deeper than <see cref="MaxDepth"/> (D7).</summary>
    public const string NestedTooDeep = "The JSON text is nested more than 1000 levels deep.";

    /// <summary>
    /// <see cref="Parse(ReadOnlySpan{byte}, bool)"/> for a text made of items (a request body),
    /// with nesting limited per item (D7): <paramref name="itemDepth"/> is the level of the items
    /// (1: the text is one item; 2: the elements of a root array; 3: those of a router body's
    /// input). A container more than <see cref="MaxDepth"/> levels below its item's level is not
    /// read: an empty container stands in for it, and the container at the item's level is marked
    /// (<see cref="IsTooDeep"/>). The caller fails that item, or the whole request when the marked
    /// container is not one of its items.
    /// </summary>
    public int ParseItems(ReadOnlySpan<byte> utf8, bool validUtf8, int itemDepth)
    {
        _depthLimit = MaxDepth + Math.Max(itemDepth, 1) - 1;
        if (RepeatedValueKey is null) return ParseCore(utf8, validUtf8, reuse: false, out _);
        int nodes = _nodeCount, members = _memberCount, elements = _elementCount, text = _textLength, protoKeys = _protoKeyCount;
        bool reused = false;
        try
        {
            return ParseCore(utf8, validUtf8, reuse: true, out reused);
        }
        catch (JsonException) when (reused)
        {
            // The reader that went on after a reused value counts lines and positions from there:
            // read the whole text again, so the error tells where the text is wrong.
            _nodeCount = nodes;
            _memberCount = members;
            _elementCount = elements;
            _textLength = text;
            _protoKeyCount = protoKeys;
            return ParseCore(utf8, validUtf8, reuse: false, out _);
        }
    }

    private int ParseCore(ReadOnlySpan<byte> utf8, bool validUtf8, bool reuse, out bool reused)
    {
        // Input bytes, then room for every unescaped string (never longer than its escaped form),
        // reserved up front so the reader's buffer is never moved while it reads.
        EnsureTextCapacity(_textLength + utf8.Length * 2L);
        int baseOffset = ReserveText(utf8.Length);
        int textEnd = baseOffset + utf8.Length;
        utf8.CopyTo(_text.AsSpan(baseOffset));

        _untrustedText = !validUtf8 && utf8.IndexOf((byte)0xED) >= 0 && !System.Text.Unicode.Utf8.IsValid(utf8);
        // The reader itself accepts any depth (it needs no stack): the loop refuses the parts that
        // are too deep for their item.
        var reader = new Utf8JsonReader(_text.AsSpan(baseOffset, utf8.Length), new JsonReaderOptions { MaxDepth = int.MaxValue });
        int depthLimit = _depthLimit;
        reused = false;
        _captureDepth = -1;
        _parseCount++;
        int depth = 0;
        int root = Undefined;
        _pendingCount = 0;
        _pendingElementCount = 0;

        // A container is canonical (its raw text is what JSON.stringify prints) when its text has
        // no whitespace — its length equals the compact length of its tokens — and nothing inside
        // it is a flaw: an escaped string or key, a number not written as JavaScript prints it, a
        // repeated key or keys out of JavaScript's order. Both are running totals over the whole
        // text, compared at the container's end with their values at its start.
        long compact = 0;
        int flaws = 0;

        while (reader.Read())
        {
            int value;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    if (!ReadKey(ref reader, baseOffset, ref _frames[depth - 1])) flaws++;
                    compact += reader.ValueSpan.Length + 3; // "key":
                    // Only the length is compared here, so that the loop stays small for the JIT.
                    if (reuse && _frames[depth - 1].KeyLength == _repeatedKeyLength
                        && ReuseAt(depth, baseOffset + (int)reader.BytesConsumed, textEnd, compact, flaws))
                    {
                        // The value is the one read before: its index was copied; a reader in the
                        // state the earlier one had after it goes on from its end.
                        int end = _reuseEnd;
                        compact += _reuseCompact;
                        flaws += _reuseFlaws;
                        reader = new Utf8JsonReader(_text.AsSpan(end, textEnd - end), isFinalBlock: true, _reuseState);
                        baseOffset = end;
                        reused = true;
                    }
                    continue;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                {
                    if (depth >= depthLimit)
                    {
                        value = SkipTooDeep(ref reader, baseOffset, depth);
                        flaws++;
                        break;
                    }
                    bool isObject = reader.TokenType == JsonTokenType.StartObject;
                    int node = AddNode(isObject ? JsType.Object : JsType.Array, NodeFlags.None, 0, 0);
                    _nodes[node].RawStart = baseOffset + (int)reader.TokenStartIndex;
                    if (depth > 0) AttachPending(ref _frames[depth - 1], node);
                    else root = node;
                    if (depth == _frames.Length) Array.Resize(ref _frames, depth * 2);
                    ref Frame f = ref _frames[depth++];
                    f.Node = node;
                    f.IsObject = isObject;
                    f.PendingStart = isObject ? _pendingCount : _pendingElementCount;
                    f.HasIndexKey = false;
                    f.CompactAtStart = compact;
                    f.FlawsAtStart = flaws;
                    compact++;
                    continue;
                }
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                {
                    ref Frame f = ref _frames[--depth];
                    int node = f.Node;
                    ref Node n = ref _nodes[node];
                    n.RawLength = baseOffset + (int)reader.TokenStartIndex + 1 - n.RawStart;
                    int count = (f.IsObject ? _pendingCount : _pendingElementCount) - f.PendingStart;
                    compact += count > 1 ? count : 1; // the commas and the closing bracket
                    bool ordered = f.IsObject ? FinishObject(ref f) : FinishArray(ref f);
                    if (ordered && flaws == f.FlawsAtStart && _nodes[node].RawLength == compact - f.CompactAtStart) _nodes[node].Flags |= NodeFlags.Canonical;
                    else flaws++;
                    if (depth == _captureDepth) EndCapture(node, in reader, compact, flaws);
                    continue;
                }
                case JsonTokenType.String:
                {
                    value = ReadString(ref reader, baseOffset, out bool canonical);
                    compact += reader.ValueSpan.Length + 2;
                    if (!canonical) flaws++;
                    break;
                }
                case JsonTokenType.Number:
                {
                    var raw = reader.ValueSpan;
                    bool canonical = Js.JsNumber.IsCanonical(raw);
                    value = AddNode(JsType.Number, canonical ? NodeFlags.Canonical : NodeFlags.None, baseOffset + (int)reader.TokenStartIndex, raw.Length);
                    compact += raw.Length;
                    if (!canonical) flaws++;
                    break;
                }
                case JsonTokenType.True: value = True; compact += 4; break;
                case JsonTokenType.False: value = False; compact += 5; break;
                case JsonTokenType.Null: value = Null; compact += 4; break;
                default: continue; // comments are rejected by the reader's default options
            }
            if (depth == 0)
            {
                root = value;
                continue;
            }
            AttachPending(ref _frames[depth - 1], value);
        }
        return root;
    }

    /// <summary>
    /// After a key as long as <see cref="RepeatedValueKey"/>: when it is that key and the value
    /// that follows (at <paramref name="position"/>) is the one read before, copies its index,
    /// attaches it to the object being read and returns true (<see cref="_reuseEnd"/>: where the
    /// value ends); otherwise the value is read as usual and kept when it ends. Locals of the
    /// parse loop are passed by value so that they stay in registers.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private bool ReuseAt(int depth, int position, int textEnd, long compact, int flaws)
    {
        if (!IsRepeatedKey(ref _frames[depth - 1])) return false;
        if (!TryReuse(depth, position, textEnd, out int end, out int kept))
        {
            _capture.Compact = compact;
            _capture.Flaws = flaws;
            return false;
        }
        AttachPending(ref _frames[depth - 1], kept);
        _reuseEnd = end;
        return true;
    }

    /// <summary>
    /// A container too deep for its item: an empty container of its kind stands in for it, its
    /// content is skipped, and the container at the item's level is marked. A value being kept
    /// for reuse is not kept.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private int SkipTooDeep(ref Utf8JsonReader reader, int baseOffset, int depth)
    {
        bool isObject = reader.TokenType == JsonTokenType.StartObject;
        int node = AddNode(isObject ? JsType.Object : JsType.Array, NodeFlags.None, 0, 0);
        int start = baseOffset + (int)reader.TokenStartIndex;
        reader.Skip();
        ref Node n = ref _nodes[node];
        n.RawStart = start;
        n.RawLength = baseOffset + (int)reader.TokenStartIndex + 1 - start;
        int itemLevel = _depthLimit - MaxDepth; // open containers above the item
        int item = _frames[itemLevel].Node;
        if ((_nodes[item].Flags & NodeFlags.TooDeep) == 0)
        {
            _nodes[item].Flags |= NodeFlags.TooDeep;
            if (_tooDeepCount == _tooDeepParents.Length) Array.Resize(ref _tooDeepParents, _tooDeepParents.Length * 2);
            _tooDeepParents[_tooDeepCount++] = itemLevel > 0 ? _frames[itemLevel - 1].Node : Undefined;
        }
        if (_skipCount == _skips.Length) Array.Resize(ref _skips, _skips.Length * 2);
        _skips[_skipCount++] = start;
        if (_captureDepth >= 0 && depth > _captureDepth) _captureDepth = -1;
        return node;
    }

    // The container holding each container marked too deep (undefined for the root).
    private int[] _tooDeepParents = new int[4];
    private int _tooDeepCount;
    private int[] _skips = new int[4];
    private int _skipCount;

    /// <summary>True for a container marked by <see cref="Parse"/>: nesting below it went deeper than <see cref="MaxDepth"/> levels from it.</summary>
    public bool IsTooDeep(int value) => value >= 0 && (_nodes[value].Flags & NodeFlags.TooDeep) != 0;

    /// <summary>Marks a copy of a container marked too deep (the compacted format completes items into copies).</summary>
    public void MarkTooDeep(int container) => _nodes[container].Flags |= NodeFlags.TooDeep;

    /// <summary>
    /// True when <see cref="ParseItems"/> marked a container too deep that is not an element of
    /// <paramref name="items"/> (the array holding the text's items): the text's own structure is
    /// nested too deep. (JSON values are never shared, so an element is known by its container.)
    /// </summary>
    public bool HasTooDeepOutside(int items)
    {
        foreach (int parent in _tooDeepParents.AsSpan(0, _tooDeepCount))
        {
            if (parent != items || TypeOf(items) != JsType.Array) return true;
        }
        return false;
    }

    private void EnsureTextCapacity(long needed)
    {
        if (needed > int.MaxValue - 64) throw new JsonException("The input is too large.");
        if (needed > _text.Length) Array.Resize(ref _text, (int)Math.Max(needed, _text.Length * 2L));
    }

    /// <summary>Reads a key into the frame; false when the key is a flaw (escaped, or needs escaping).</summary>
    private bool ReadKey(ref Utf8JsonReader reader, int baseOffset, ref Frame f)
    {
        bool canonical = true;
        var raw = reader.ValueSpan;
        int start;
        int length;
        MemberFlags flags = MemberFlags.None;
        if (reader.ValueIsEscaped)
        {
            start = _textLength;
            length = Wtf8.Unescape(raw, _text.AsSpan(start));
            _textLength += length;
            if (!Wtf8.IsJsonSafe(_text.AsSpan(start, length))) flags |= MemberFlags.KeyNeedsEscape;
            canonical = false;
        }
        else
        {
            start = baseOffset + (int)reader.TokenStartIndex + 1;
            length = raw.Length;
            if (_untrustedText && !Wtf8.IsJsonSafe(raw))
            {
                flags |= MemberFlags.KeyNeedsEscape;
                canonical = false;
            }
        }
        var key = _text.AsSpan(start, length);
        uint index;
        if (length > 0 && (uint)(key[0] - '0') <= 9 && JsKeys.TryGetArrayIndex(key, out index))
        {
            flags |= MemberFlags.ArrayIndex;
            f.HasIndexKey = true;
        }
        else
        {
            index = JsKeys.Signature(key);
            if (length == 9 && key.SequenceEqual(ProtoKey)) AddProtoKey(baseOffset + (int)reader.TokenStartIndex);
        }
        f.KeyStart = start;
        f.KeyLength = length;
        f.KeyFlags = flags;
        f.KeyIndex = index;
        return canonical;
    }

    private int ReadString(ref Utf8JsonReader reader, int baseOffset, out bool canonical)
    {
        var raw = reader.ValueSpan;
        if (raw.Length == 0)
        {
            canonical = true;
            return EmptyString;
        }
        if (!reader.ValueIsEscaped)
        {
            canonical = !_untrustedText || Wtf8.IsJsonSafe(raw);
            return AddNode(JsType.String, canonical ? NodeFlags.Quoted : NodeFlags.NeedsEscape, baseOffset + (int)reader.TokenStartIndex + 1, raw.Length);
        }
        canonical = false;
        int start = _textLength;
        int length = Wtf8.Unescape(raw, _text.AsSpan(start));
        _textLength += length;
        if (length == 0) return EmptyString;
        var text = _text.AsSpan(start, length);
        return AddNode(JsType.String, Wtf8.IsJsonSafe(text) ? NodeFlags.None : NodeFlags.NeedsEscape, start, length);
    }

    private void AttachPending(ref Frame parent, int value)
    {
        if (parent.IsObject)
        {
            if (_pendingCount == _pending.Length) Array.Resize(ref _pending, GrownLength(_pending.Length, _pendingCount + 1));
            ref Member m = ref _pending[_pendingCount++];
            m.KeyStart = parent.KeyStart;
            m.KeyLength = parent.KeyLength;
            m.Flags = parent.KeyFlags;
            m.Index = parent.KeyIndex;
            m.Value = value;
            m.Next = -1;
        }
        else
        {
            if (_pendingElementCount == _pendingElements.Length) Array.Resize(ref _pendingElements, GrownLength(_pendingElements.Length, _pendingElementCount + 1));
            _pendingElements[_pendingElementCount++] = value;
        }
    }

    /// <summary>Moves the pending elements of a finished array into place. Returns true (arrays are always in order).</summary>
    private bool FinishArray(ref Frame f)
    {
        int count = _pendingElementCount - f.PendingStart;
        ref Node n = ref _nodes[f.Node];
        n.Start = _elementCount;
        n.Length = count;
        if (_elementCount + count > _elements.Length) Array.Resize(ref _elements, GrownLength(_elements.Length, (long)_elementCount + count));
        _pendingElements.AsSpan(f.PendingStart, count).CopyTo(_elements.AsSpan(_elementCount));
        _elementCount += count;
        _pendingElementCount = f.PendingStart;
        return true;
    }

    /// <summary>
    /// Moves the pending members of a finished object into place with JavaScript's semantics:
    /// a repeated key keeps its first position and takes the last value; array-index keys come
    /// first in ascending order. Returns true when the input already had that order and no repeats.
    /// </summary>
    private bool FinishObject(ref Frame f)
    {
        int start = f.PendingStart;
        int count = _pendingCount - start;
        bool inOrder = true;
        ulong filter = 0;
        int kept = count > 1 ? MergeDuplicateKeys(start, count, out filter) : count;
        if (count == 1) filter = KeyFilterBit(_pending[start].Index);
        if (kept != count) inOrder = false;

        // Are array-index keys already first and ascending?
        bool seenName = false;
        uint lastIndex = 0;
        bool anyIndex = false;
        for (int i = 0; i < kept && f.HasIndexKey; i++)
        {
            ref Member m = ref _pending[start + i];
            if ((m.Flags & MemberFlags.ArrayIndex) != 0)
            {
                if (seenName || (anyIndex && m.Index <= lastIndex)) inOrder = false;
                lastIndex = m.Index;
                anyIndex = true;
            }
            else
            {
                seenName = true;
            }
        }

        ref Node n = ref _nodes[f.Node];
        n.Start = _memberCount;
        n.Length = kept;
        KeyFilterOf(ref n) = filter;
        n.Flags |= NodeFlags.KeyFilter;
        if (inOrder || !anyIndex)
        {
            if (_memberCount + kept > _members.Length) Array.Resize(ref _members, GrownLength(_members.Length, (long)_memberCount + kept));
            _pending.AsSpan(start, kept).CopyTo(_members.AsSpan(_memberCount));
            _memberCount += kept;
        }
        else
        {
            // Index keys first, ascending, then names in order.
            int indexKeys = 0;
            for (int i = 0; i < kept; i++)
            {
                if ((_pending[start + i].Flags & MemberFlags.ArrayIndex) != 0) indexKeys++;
            }
            if (indexKeys <= 32)
            {
                // Few: insertion sort.
                int firstIndex = _memberCount;
                for (int i = 0; i < kept; i++)
                {
                    ref Member m = ref _pending[start + i];
                    if ((m.Flags & MemberFlags.ArrayIndex) == 0) continue;
                    int at = AddMember();
                    while (at > firstIndex && _members[at - 1].Index > m.Index)
                    {
                        _members[at] = _members[at - 1];
                        at--;
                    }
                    _members[at] = m;
                }
            }
            else
            {
                // Many: sort (index << 32 | position) pairs, no quadratic insertion sort.
                if (_sortBuffer.Length < indexKeys) _sortBuffer = new ulong[Math.Max(indexKeys, _sortBuffer.Length * 2)];
                var pairs = _sortBuffer.AsSpan(0, indexKeys);
                int p = 0;
                for (int i = 0; i < kept; i++)
                {
                    ref Member m = ref _pending[start + i];
                    if ((m.Flags & MemberFlags.ArrayIndex) != 0) pairs[p++] = ((ulong)m.Index << 32) | (uint)i;
                }
                pairs.Sort();
                foreach (ulong pair in pairs)
                {
                    int at = AddMember(); // first: it may grow the array
                    _members[at] = _pending[start + (int)(uint)pair];
                }
            }
            for (int i = 0; i < kept; i++)
            {
                ref Member m = ref _pending[start + i];
                if ((m.Flags & MemberFlags.ArrayIndex) == 0)
                {
                    int at = AddMember();
                    _members[at] = m;
                }
            }
        }
        _pendingCount = start;
        return inOrder;
    }

    /// <summary>Same key? Signatures (or array indices) first, bytes only when they agree.</summary>
    private bool SameKey(in Member a, in Member b) =>
        a.Index == b.Index && (a.Flags & MemberFlags.ArrayIndex) == (b.Flags & MemberFlags.ArrayIndex)
        && ((a.Flags & MemberFlags.ArrayIndex) != 0 || KeyBytes(in a).SequenceEqual(KeyBytes(in b)));

    /// <summary>Merges repeated keys in place (first position, last value). Returns the new count.</summary>
    private int MergeDuplicateKeys(int start, int count, out ulong filter)
    {
        int kept = count;
        filter = 0;
        if (count <= 32)
        {
            // A 64-bit filter of the tags seen: only a tag whose bit is already set is compared
            // with the earlier members.
            var pending = _pending.AsSpan(start, count);
            ulong seen = 0;
            bool any = false;
            for (int i = 0; i < pending.Length && !any; i++)
            {
                uint tag = pending[i].Index;
                ulong bit = KeyFilterBit(tag);
                if ((seen & bit) != 0)
                {
                    for (int j = 0; j < i; j++)
                    {
                        if (pending[j].Index == tag && SameKey(in pending[i], in pending[j])) { any = true; break; }
                    }
                }
                seen |= bit;
            }
            filter = seen;
            if (any) kept = MergeFew(start, count);
        }
        else
        {
            kept = MergeHashed(start, count);
        }
        if (filter == 0 || kept != count)
        {
            // Not complete yet (many keys, or the scan stopped at a repeat): every tag in the filter.
            filter = 0;
            foreach (ref readonly Member m in _pending.AsSpan(start, kept)) filter |= KeyFilterBit(m.Index);
        }
        return kept;
    }

    /// <summary>The merge for at most 32 keys: each compared with those kept before it.</summary>
    private int MergeFew(int start, int count)
    {
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            Member m = _pending[start + i];
            int found = -1;
            for (int j = 0; j < kept; j++)
            {
                if (SameKey(in _pending[start + j], in m)) { found = j; break; }
            }
            if (found >= 0) _pending[start + found].Value = m.Value;
            else _pending[start + kept++] = m;
        }
        return kept;
    }

    /// <summary>
    /// The merge for many keys, in one pass over a hash table of the kept keys (the hash is seeded
    /// per process: keys crafted to collide cannot make it quadratic).
    /// </summary>
    private int MergeHashed(int start, int count)
    {
        int size = 64;
        while (size < count * 2) size <<= 1;
        if (_hashTable.Length < size) _hashTable = new int[size];
        var table = _hashTable.AsSpan(0, size);
        table.Fill(-1);
        int mask = size - 1;
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            Member m = _pending[start + i];
            int slot = KeyHash(KeyBytes(in m)) & mask;
            int found = -1;
            while (table[slot] >= 0)
            {
                if (SameKey(in _pending[start + table[slot]], in m)) { found = table[slot]; break; }
                slot = (slot + 1) & mask;
            }
            if (found >= 0)
            {
                _pending[start + found].Value = m.Value;
            }
            else
            {
                _pending[start + kept] = m;
                table[slot] = kept++;
            }
        }
        return kept;
    }

    /// <summary>A hash of a key's bytes, seeded randomly per process (<see cref="HashCode"/>).</summary>
    internal static int KeyHash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode();
    }
}
