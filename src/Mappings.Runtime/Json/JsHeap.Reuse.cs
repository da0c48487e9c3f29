using System.Text.Json;

namespace Mappings.Runtime.Json;

public sealed partial class JsHeap
{
    /// <summary>
    /// The key of a value that repeats, byte for byte, from one parsed text to the next (the
    /// <c>destination</c> of processor items: every item of a destination carries the same one).
    /// When set, the text of the last such value is kept, and its index too once the same value
    /// came twice in a row (so that values that change at every text cost only a copy of their
    /// bytes); a later text holding the same bytes under that key, at the same place in the
    /// nesting, gets a copy of that index instead of reading those bytes again. Null (the
    /// default): every byte is read.
    /// </summary>
    public byte[]? RepeatedValueKey
    {
        get => _repeatedKey;
        set
        {
            _repeatedKey = value;
            _repeatedKeyLength = value?.Length ?? -1;
        }
    }

    private byte[]? _repeatedKey;
    private int _repeatedKeyLength = -1;

    /// <summary>Values whose index was copied instead of read since the heap was made (tests).</summary>
    public long ReusedValues { get; private set; }

    // The last value read under RepeatedValueKey: its text, the reader's state after it, where it
    // sat (depth and which enclosing containers were objects), and its index with every text
    // offset relative to the start of its text and every node, member and element id relative to
    // the first one it used.
    private byte[] _reuseText = new byte[1024];
    private int _reuseTextLength = -1; // -1: nothing kept
    private bool _reuseIndexed; // false: the text alone is kept (seen once)
    private JsonReaderState _reuseState;
    private int _reuseDepth;
    // The depth limit of the parse that kept it: a value read without skipping anything is reused
    // only where the same limit applies at the same depth.
    private int _reuseDepthLimit;
    private ulong _reuseObjectMask;
    private long _reuseCompact;
    private int _reuseFlaws;
    private Node[] _reuseNodes = new Node[64];
    private int _reuseNodeCount;
    private Member[] _reuseMembers = new Member[64];
    private int _reuseMemberCount;
    private int[] _reuseElements = new int[16];
    private int _reuseElementCount;
    // Where the value reused last ends (a text offset), for the parse loop.
    private int _reuseEnd;
    // Parses since the heap was made, and the parse that last read or reused the kept value.
    private int _parseCount;
    private int _reuseParse = -1;

    // The value being read under RepeatedValueKey in this parse (to keep it when it ends).
    private struct ReuseCapture
    {
        /// <summary>Keep the index too (the value's text is the kept one: seen twice in a row).</summary>
        public bool Index;
        public int Depth;
        public ulong ObjectMask;
        /// <summary>Where the value starts in the text (after whitespace).</summary>
        public int ValueStart;
        public int Node;
        public int MemberStart;
        public int ElementStart;
        public int TextLength;
        public int ProtoKeys;
        public long Compact;
        public int Flaws;
    }

    private ReuseCapture _capture;
    // The depth of the value being read under the key (the parse loop's check), -1: none.
    private int _captureDepth = -1;

    /// <summary>Which of the first <paramref name="depth"/> open containers are objects (bit per level); 0 past 63 levels.</summary>
    private ulong ObjectMask(int depth)
    {
        if (depth > 63) return 0;
        ulong mask = 1UL << depth; // marks the depth too, so masks of different depths differ
        for (int i = 0; i < depth; i++)
        {
            if (_frames[i].IsObject) mask |= 1UL << i;
        }
        return mask;
    }

    private bool IsRepeatedKey(ref Frame f)
    {
        var key = RepeatedValueKey;
        return key is not null && f.KeyLength == key.Length && (f.KeyFlags & MemberFlags.KeyNeedsEscape) == 0
            && _text.AsSpan(f.KeyStart, f.KeyLength).SequenceEqual(key);
    }

    /// <summary>
    /// Called when the key of a member was read and it is <see cref="RepeatedValueKey"/>: when the
    /// text that follows (at <paramref name="position"/>) is the kept value, appends a copy of its
    /// index, attaches it to the object being read and returns true with <paramref name="end"/>
    /// set to the text offset just after the value; otherwise prepares to keep the value that
    /// follows and returns false.
    /// </summary>
    private bool TryReuse(int depth, int position, int limit, out int end, out int value)
    {
        end = 0;
        value = Undefined;
        _captureDepth = -1;
        if (_untrustedText || depth > 63) return false;
        ulong mask = ObjectMask(depth);

        // The value starts after optional whitespace.
        while (position < limit && _text[position] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') position++;
        int length = _reuseTextLength;
        bool same = length > 0 && _reuseDepth == depth && _reuseObjectMask == mask && _reuseDepthLimit == _depthLimit && limit - position >= length
            && _text.AsSpan(position, length).SequenceEqual(_reuseText.AsSpan(0, length));
        if (same && _reuseIndexed)
        {
            value = CopyReusedIndex(position);
            end = position + length;
            ReusedValues++;
            _reuseParse = _parseCount;
            return true;
        }

        // A value deeper than the kept one (a "destination" key inside a message) does not replace
        // it while the kept one is in use: read or reused by this text or the one before.
        if (length > 0 && depth > _reuseDepth && _parseCount - _reuseParse <= 1) return false;

        _captureDepth = depth;
        _capture = new ReuseCapture
        {
            Index = same,
            Depth = depth,
            ObjectMask = mask,
            ValueStart = position,
            Node = _nodeCount,
            MemberStart = _memberCount,
            ElementStart = _elementCount,
            TextLength = _textLength,
            ProtoKeys = _protoKeyCount,
        };
        return false;
    }

    /// <summary>Appends the kept index, its text starting at <paramref name="textStart"/>; returns the id of its value.</summary>
    private int CopyReusedIndex(int textStart)
    {
        int nodeBase = _nodeCount;
        int memberBase = _memberCount;
        int elementBase = _elementCount;
        EnsureCapacity(ref _nodes, nodeBase + _reuseNodeCount);
        EnsureCapacity(ref _members, memberBase + _reuseMemberCount);
        EnsureCapacity(ref _elements, elementBase + _reuseElementCount);

        var nodes = _nodes.AsSpan(nodeBase, _reuseNodeCount);
        var members = _members.AsSpan(memberBase, _reuseMemberCount);
        var elements = _elements.AsSpan(elementBase, _reuseElementCount);
        _reuseNodes.AsSpan(0, _reuseNodeCount).CopyTo(nodes);
        _reuseMembers.AsSpan(0, _reuseMemberCount).CopyTo(members);
        _reuseElements.AsSpan(0, _reuseElementCount).CopyTo(elements);
        Shift(nodes, members, elements, textStart, memberBase, elementBase, nodeBase - FixedNodes);
        _nodeCount += _reuseNodeCount;
        _memberCount += _reuseMemberCount;
        _elementCount += _reuseElementCount;
        return nodeBase;
    }

    /// <summary>
    /// Called when a container (<paramref name="ended"/>) ends at the depth of the value being read
    /// under <see cref="RepeatedValueKey"/>: when it is that value, keeps its text, and its index
    /// when the capture asks for it (nothing is kept when some of its strings or keys were
    /// unescaped into text of their own, or it holds a <c>__proto__</c> key). The reader has just
    /// read its end.
    /// </summary>
    private void EndCapture(int ended, in Utf8JsonReader reader, long compact, int flaws)
    {
        _captureDepth = -1;
        int node = _capture.Node;
        ref Node root = ref _nodes[ended];
        // The container that ended is the value only when it starts where the value does (after a
        // scalar value, a later sibling container ends at the same depth).
        if (ended != node || root.RawStart != _capture.ValueStart) return;
        if (_textLength != _capture.TextLength || _protoKeyCount != _capture.ProtoKeys || root.RawLength <= 0) return;

        int textStart = root.RawStart;
        int length = root.RawLength;
        _reuseTextLength = -1;
        EnsureCapacity(ref _reuseText, length);
        _text.AsSpan(textStart, length).CopyTo(_reuseText);
        _reuseDepth = _capture.Depth;
        _reuseDepthLimit = _depthLimit;
        _reuseObjectMask = _capture.ObjectMask;
        _reuseParse = _parseCount;
        _reuseIndexed = _capture.Index;
        _reuseTextLength = length;
        if (!_capture.Index) return;

        _reuseNodeCount = _nodeCount - node;
        _reuseMemberCount = _memberCount - _capture.MemberStart;
        _reuseElementCount = _elementCount - _capture.ElementStart;
        EnsureCapacity(ref _reuseNodes, _reuseNodeCount);
        EnsureCapacity(ref _reuseMembers, _reuseMemberCount);
        EnsureCapacity(ref _reuseElements, _reuseElementCount);
        var nodes = _reuseNodes.AsSpan(0, _reuseNodeCount);
        var members = _reuseMembers.AsSpan(0, _reuseMemberCount);
        var elements = _reuseElements.AsSpan(0, _reuseElementCount);
        _nodes.AsSpan(node, _reuseNodeCount).CopyTo(nodes);
        _members.AsSpan(_capture.MemberStart, _reuseMemberCount).CopyTo(members);
        _elements.AsSpan(_capture.ElementStart, _reuseElementCount).CopyTo(elements);
        Shift(nodes, members, elements, -textStart, -_capture.MemberStart, -_capture.ElementStart, -(node - FixedNodes));

        _reuseState = reader.CurrentState;
        _reuseCompact = compact - _capture.Compact;
        _reuseFlaws = flaws - _capture.Flaws;
    }

    /// <summary>
    /// Moves a slice of the index by the given amounts: text offsets (keys, strings, numbers, raw
    /// container text), member and element positions of containers, and node ids (fixed values
    /// such as null and true stay). Negative amounts make a kept copy relative; positive ones place
    /// it back.
    /// </summary>
    private static void Shift(Span<Node> nodes, Span<Member> members, Span<int> elements, int text, int member, int element, int node)
    {
        foreach (ref Node n in nodes)
        {
            switch (n.Type)
            {
                case JsType.Object:
                    n.Start += member;
                    n.RawStart += text;
                    break;
                case JsType.Array:
                    n.Start += element;
                    n.RawStart += text;
                    break;
                default: // strings and numbers: their text
                    n.Start += text;
                    break;
            }
        }
        foreach (ref Member m in members)
        {
            m.KeyStart += text;
            if (m.Value >= FixedNodes) m.Value += node;
        }
        foreach (ref int e in elements)
        {
            if (e >= FixedNodes) e += node;
        }
    }

    private static void EnsureCapacity<T>(ref T[] array, int needed)
    {
        if (array.Length < needed) Array.Resize(ref array, Math.Max(needed, array.Length * 2));
    }
}
