using System.Runtime.CompilerServices;

namespace Mappings.Runtime.Json;

/// <summary>A property key: a compile-time <see cref="JsName"/> or WTF-8 text in the heap.</summary>
public readonly struct JsKey
{
    internal readonly int Start;
    internal readonly int Length;
    internal readonly JsHeap.MemberFlags Flags;
    internal readonly uint Index;

    internal JsKey(int start, int length, JsHeap.MemberFlags flags, uint index)
    {
        Start = start;
        Length = length;
        Flags = flags;
        Index = index;
    }

    public static implicit operator JsKey(JsName name) =>
        new(name.Id, name.Utf8.Length, JsHeap.MemberFlags.StaticKey | (name.IsArrayIndex ? JsHeap.MemberFlags.ArrayIndex : 0), name.Tag);
}

/// <summary>The keys of a value in <c>Object.keys</c> order, as member ids (see <see cref="JsHeap.Keys"/>).</summary>
public readonly struct JsKeyList
{
    internal readonly int Start;
    public readonly int Count;
    internal readonly bool Direct;
    internal readonly int StackMark;

    internal JsKeyList(int start, int count, bool direct, int stackMark)
    {
        Start = start;
        Count = count;
        Direct = direct;
        StackMark = stackMark;
    }
}

public sealed partial class JsHeap
{
    private int[] _keyStack = new int[256];
    private int _keyStackCount;

    // ---------------------------------------------------------------- own properties

    /// <summary>The member id of an own property, or -1.</summary>
    internal int FindMember(int obj, ReadOnlySpan<byte> key) => FindMember(obj, key, JsKeys.Tag(key));

    /// <summary>The member id of an own property whose key has the given tag (<see cref="JsKeys.Tag"/>), or -1.</summary>
    internal int FindMember(int obj, ReadOnlySpan<byte> key, uint tag)
    {
        ref Node n = ref _nodes[obj];
        if ((n.Flags & NodeFlags.Indexed) != 0) return FindIndexed(obj, key, tag);
        if ((n.Flags & NodeFlags.Mutable) != 0)
        {
            if ((n.Flags & NodeFlags.BuiltKeyFilter) != 0 && (KeyFilterOf(ref n) & KeyFilterBit(tag)) == 0) return -1;
            // A long scan, hit or miss, builds the index: the next lookups are not scans.
            int scanned = 0;
            for (int m = n.Start; m >= 0; m = _members[m].Next)
            {
                ref Member mem = ref _members[m];
                if (mem.Index == tag && mem.Value != Undefined && KeyEquals(in mem, key))
                {
                    if (scanned > IndexThreshold) BuildMemberIndex(obj);
                    return m;
                }
                scanned++;
            }
            if (scanned > IndexThreshold) BuildMemberIndex(obj);
            return -1;
        }
        if (n.Type != JsType.Object) return -1;
        if ((n.Flags & NodeFlags.KeyFilter) != 0 && (KeyFilterOf(ref n) & KeyFilterBit(tag)) == 0) return -1;
        if (n.Length > IndexThreshold)
        {
            BuildMemberIndex(obj);
            return FindIndexed(obj, key, tag);
        }
        var members = _members.AsSpan(n.Start, n.Length);
        for (int m = 0; m < members.Length; m++)
        {
            if (members[m].Index == tag && KeyEquals(in members[m], key)) return n.Start + m;
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool KeyEquals(in Member m, ReadOnlySpan<byte> key)
    {
        if ((m.Flags & MemberFlags.StaticKey) != 0) return JsName.FromId(m.KeyStart).Utf8.AsSpan().SequenceEqual(key);
        return m.KeyLength == key.Length && _text.AsSpan(m.KeyStart, m.KeyLength).SequenceEqual(key);
    }

    /// <summary>An own property of an object or an element of an array (<c>value[key]</c> without inheritance).</summary>
    public int GetOwn(int container, ReadOnlySpan<byte> key)
    {
        var type = TypeOf(container);
        if (type == JsType.Array && (_nodes[container].Flags & NodeFlags.Mutable) == 0)
        {
            return JsKeys.TryGetArrayIndex(key, out uint i) ? ArrayElement(container, (int)i) : Undefined;
        }
        if (type is not (JsType.Object or JsType.Array)) return Undefined;
        int m = FindMember(container, key);
        return m < 0 ? Undefined : _members[m].Value;
    }

    /// <summary>The value of member <paramref name="member"/>.</summary>
    public int MemberValue(int member) => _members[member].Value;

    /// <summary>The key of member <paramref name="member"/>.</summary>
    public JsKey MemberKey(int member)
    {
        ref Member m = ref _members[member];
        return new JsKey(m.KeyStart, m.KeyLength, m.Flags & (MemberFlags.StaticKey | MemberFlags.ArrayIndex | MemberFlags.KeyNeedsEscape), m.Index);
    }

    /// <summary>The WTF-8 bytes of a key.</summary>
    public ReadOnlySpan<byte> KeyBytes(in JsKey key) =>
        (key.Flags & MemberFlags.StaticKey) != 0 ? JsName.FromId(key.Start).Utf8 : _text.AsSpan(key.Start, key.Length);

    /// <summary>Stores WTF-8 key text in the heap.</summary>
    public JsKey NewKey(ReadOnlySpan<byte> wtf8)
    {
        int at = ReserveText(wtf8.Length);
        wtf8.CopyTo(_text.AsSpan(at));
        return KeyAt(at, wtf8.Length);
    }

    internal JsKey KeyAt(int start, int length)
    {
        var bytes = _text.AsSpan(start, length);
        MemberFlags flags = MemberFlags.None;
        uint index = JsKeys.Tag(bytes);
        if ((index & 0x8000_0000) == 0 || JsKeys.TryGetArrayIndex(bytes, out _)) flags |= MemberFlags.ArrayIndex;
        if (!Wtf8.IsJsonSafe(bytes)) flags |= MemberFlags.KeyNeedsEscape;
        return new JsKey(start, length, flags, index);
    }

    // ---------------------------------------------------------------- Object.keys

    /// <summary>
    /// <c>Object.keys(value)</c> as member ids: own keys of an object in JavaScript order, the indices
    /// of an array (holes skipped), the code-unit indices of a string (each member's value is that one
    /// code unit); nothing for other values. Release the list with <see cref="EndKeys"/> (LIFO).
    /// </summary>
    public JsKeyList Keys(int value)
    {
        int mark = _keyStackCount;
        switch (TypeOf(value))
        {
            case JsType.Object:
            case JsType.Array:
            {
                ref Node n = ref _nodes[value];
                if ((n.Flags & NodeFlags.Mutable) != 0) return OrderedMutableKeys(value, mark);
                if (n.Type == JsType.Object) return new JsKeyList(n.Start, n.Length, true, mark);
                int first = _memberCount;
                int count = n.Length;
                int elementsStart = n.Start;
                for (int i = 0; i < count; i++) AddSyntheticMember(i, _elements[elementsStart + i]);
                return new JsKeyList(first, count, true, mark);
            }
            case JsType.String:
            {
                int first = _memberCount;
                int count = AddStringCharMembers(value);
                return new JsKeyList(first, count, true, mark);
            }
            default:
                return new JsKeyList(0, 0, true, mark);
        }
    }

    /// <summary><c>Object.keys(obj).length &gt; 0</c> for an object.</summary>
    public bool HasOwnKeys(int obj)
    {
        ref Node n = ref _nodes[obj];
        if ((n.Flags & NodeFlags.Mutable) == 0) return n.Length > 0;
        for (int m = n.Start; m >= 0; m = _members[m].Next)
        {
            if (_members[m].Value != Undefined) return true;
        }
        return false;
    }

    /// <summary>The member id at position <paramref name="i"/> of a key list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int KeyMember(in JsKeyList keys, int i) => keys.Direct ? keys.Start + i : _keyStack[keys.Start + i];

    /// <summary>Releases a key list returned by <see cref="Keys"/>.</summary>
    public void EndKeys(in JsKeyList keys) => _keyStackCount = keys.StackMark;

    private JsKeyList OrderedMutableKeys(int value, int mark)
    {
        ref Node n = ref _nodes[value];
        bool isArray = n.Type == JsType.Array;
        int start = _keyStackCount;
        if (!isArray && (n.Flags & NodeFlags.IndexKeys) == 0)
        {
            // No index key: insertion order is the order.
            for (int m = n.Start; m >= 0; m = _members[m].Next)
            {
                if (_members[m].Value != Undefined) PushKey(m);
            }
            return new JsKeyList(start, _keyStackCount - start, false, mark);
        }
        // Index keys first, ascending (insertion sort while they are few), then the rest in insertion order.
        int indexKeys = 0;
        for (int m = n.Start; m >= 0; m = _members[m].Next)
        {
            ref Member mem = ref _members[m];
            if (mem.Value == Undefined || (mem.Flags & MemberFlags.ArrayIndex) == 0) continue;
            int at = PushKey(m);
            if (++indexKeys > 32) continue; // sorted below
            while (at > start && _members[_keyStack[at - 1]].Index > mem.Index)
            {
                _keyStack[at] = _keyStack[at - 1];
                at--;
            }
            _keyStack[at] = m;
        }
        if (indexKeys > 32) SortIndexKeys(start, indexKeys);
        if (!isArray)
        {
            for (int m = n.Start; m >= 0; m = _members[m].Next)
            {
                ref Member mem = ref _members[m];
                if (mem.Value != Undefined && (mem.Flags & MemberFlags.ArrayIndex) == 0) PushKey(m);
            }
        }
        return new JsKeyList(start, _keyStackCount - start, false, mark);
    }

    // (index << 32 | member) pairs, to sort many index keys without allocating. Unsigned: an index
    // is up to 2^32 - 2, so a signed pair would sort indices from 2^31 up before the small ones.
    private ulong[] _sortBuffer = new ulong[64];

    /// <summary>Sorts the index keys pushed from <paramref name="start"/> by index (many keys: no quadratic insertion sort).</summary>
    private void SortIndexKeys(int start, int count)
    {
        if (_sortBuffer.Length < count) _sortBuffer = new ulong[Math.Max(count, _sortBuffer.Length * 2)];
        var pairs = _sortBuffer.AsSpan(0, count);
        for (int i = 0; i < count; i++)
        {
            int m = _keyStack[start + i];
            pairs[i] = ((ulong)_members[m].Index << 32) | (uint)m;
        }
        pairs.Sort();
        for (int i = 0; i < count; i++) _keyStack[start + i] = (int)(uint)pairs[i];
    }

    private int PushKey(int member)
    {
        if (_keyStackCount == _keyStack.Length) Array.Resize(ref _keyStack, _keyStack.Length * 2);
        _keyStack[_keyStackCount] = member;
        return _keyStackCount++;
    }

    /// <summary>A detached member whose key is the decimal index and whose value is given.</summary>
    private void AddSyntheticMember(int index, int value)
    {
        Span<byte> digits = stackalloc byte[10];
        index.TryFormat(digits, out int len, default, System.Globalization.CultureInfo.InvariantCulture);
        int at = ReserveText(len);
        digits[..len].CopyTo(_text.AsSpan(at));
        int m = AddMember();
        ref Member mem = ref _members[m];
        mem.KeyStart = at;
        mem.KeyLength = len;
        mem.Index = (uint)index;
        mem.Flags = MemberFlags.ArrayIndex;
        mem.Value = value;
        mem.Next = -1;
    }

    /// <summary>One member per UTF-16 code unit of the string: key = index, value = that code unit.</summary>
    private int AddStringCharMembers(int str)
    {
        // The span stays valid if the text buffer grows: the old array keeps the same bytes.
        var bytes = StringBytes(str);
        int index = 0;
        int i = 0;
        while (i < bytes.Length)
        {
            int len = SequenceLength(bytes[i]);
            if (len == 4)
            {
                // A supplementary character is two code units, each a lone surrogate on its own.
                AddSyntheticMember(index++, NewCodeUnitString(bytes.Slice(i, 4), 0));
                AddSyntheticMember(index++, NewCodeUnitString(bytes.Slice(i, 4), 1));
            }
            else
            {
                AddSyntheticMember(index++, NewCodeUnitString(bytes.Slice(i, len), 0));
            }
            i += len;
        }
        return index;
    }

    /// <summary>
    /// <c>str[index]</c>: the string of the UTF-16 code unit at <paramref name="index"/>, or undefined
    /// past the end.
    /// </summary>
    private int StringCodeUnit(int str, uint index)
    {
        var bytes = StringBytes(str);
        uint units = 0;
        int i = 0;
        while (i < bytes.Length)
        {
            int len = SequenceLength(bytes[i]);
            uint count = len == 4 ? 2u : 1u;
            if (index < units + count) return NewCodeUnitString(bytes.Slice(i, len), (int)(index - units));
            units += count;
            i += len;
        }
        return Undefined;
    }

    /// <summary>Length of the WTF-8 sequence starting with this byte.</summary>
    private static int SequenceLength(byte first) => first < 0x80 ? 1 : first < 0xE0 ? 2 : first < 0xF0 ? 3 : 4;

    /// <summary>
    /// A new string of one UTF-16 code unit of a WTF-8 sequence: the sequence itself, or for a
    /// supplementary character (4 bytes) its high (<paramref name="half"/> 0) or low (1) surrogate.
    /// </summary>
    private int NewCodeUnitString(ReadOnlySpan<byte> sequence, int half)
    {
        if (sequence.Length < 4) return NewString(sequence);
        Span<char> pair = stackalloc char[2];
        Span<byte> unit = stackalloc byte[4];
        Wtf8.ToUtf16(sequence, pair);
        return NewString(unit[..Wtf8.EncodeScalar(pair[half], unit)]);
    }

    // ---------------------------------------------------------------- writing properties

    /// <summary><c>obj[key] = value</c> on a mutable container: an existing key keeps its position.</summary>
    public void Set(int obj, in JsKey key, int value)
    {
        RequireMutable(obj);
        int existing = FindMember(obj, KeyBytes(in key), key.Index); // a key's Index is its tag
        if (existing >= 0)
        {
            if ((_nodes[obj].Flags & NodeFlags.Promoted) != 0) ForgetWalks();
            _members[existing].Value = value;
            return;
        }
        Append(obj, in key, value);
    }

    /// <summary>Replaces the value of a member of a mutable object (found by <see cref="Keys"/>).</summary>
    public void SetMemberValue(int obj, int member, int value)
    {
        RequireMutable(obj);
        if ((_nodes[obj].Flags & NodeFlags.Promoted) != 0) ForgetWalks();
        _members[member].Value = value;
    }

    /// <summary>
    /// Appends a member without looking for an existing one: only for keys known to be new
    /// (e.g. copied from one object's key list).
    /// </summary>
    public void AppendUnique(int obj, in JsKey key, int value) => Append(obj, in key, value);

    /// <summary>Sets element <paramref name="index"/> of a mutable array.</summary>
    public void SetElement(int array, int index, int value)
    {
        Span<byte> digits = stackalloc byte[10];
        index.TryFormat(digits, out int len, default, System.Globalization.CultureInfo.InvariantCulture);
        Set(array, NewKey(digits[..len]), value);
    }

    /// <summary>Input values are never changed where they lie (raw copies, key filters and remembered walks rely on it).</summary>
    private void RequireMutable(int container)
    {
        if (container < 0 || (_nodes[container].Flags & NodeFlags.Mutable) == 0)
        {
            throw new InvalidOperationException($"Write to a value the mapper did not build ({TypeOf(container)}): copy it with MakeMutable first.");
        }
    }

    private void Append(int obj, in JsKey key, int value)
    {
        RequireMutable(obj);
        if ((_nodes[obj].Flags & NodeFlags.Promoted) != 0) ForgetWalks();
        int m = AddMember();
        ref Member mem = ref _members[m];
        mem.KeyStart = key.Start;
        mem.KeyLength = key.Length;
        mem.Flags = key.Flags;
        mem.Index = key.Index;
        mem.Value = value;
        mem.Next = -1;
        ref Node n = ref _nodes[obj];
        if ((key.Flags & MemberFlags.ArrayIndex) != 0) n.Flags |= NodeFlags.IndexKeys;
        else if (JsKeys.HasDot(KeyBytes(in key))) n.Flags |= NodeFlags.DottedKey;
        if ((n.Flags & NodeFlags.BuiltKeyFilter) != 0) KeyFilterOf(ref n) |= KeyFilterBit(key.Index);
        if (n.Start < 0) n.Start = m;
        else _members[n.Length].Next = m;
        n.Length = m;
        if ((n.Flags & NodeFlags.Indexed) != 0) IndexAppended(obj, m);
    }

    /// <summary><c>delete obj[key]</c> on a mutable container.</summary>
    public void Delete(int obj, ReadOnlySpan<byte> key)
    {
        RequireMutable(obj);
        int m = FindMember(obj, key);
        if (m < 0) return;
        if ((_nodes[obj].Flags & NodeFlags.Promoted) != 0) ForgetWalks();
        _members[m].Value = Undefined;
    }

    /// <summary>
    /// Removes the members whose value is null or undefined (shallow), as lodash <c>pickBy</c> does
    /// in the reference — which also drops keys named <c>constructor</c>, <c>prototype</c> and
    /// <c>__proto__</c> (lodash refuses to set them).
    /// </summary>
    public void RemoveNullish(int obj)
    {
        ref Node n = ref _nodes[obj];
        for (int m = n.Start; m >= 0; m = _members[m].Next)
        {
            ref Member member = ref _members[m];
            if (member.Value == Null) member.Value = Undefined;
            else if (member.Value != Undefined && IsUnsettableKey(KeyBytes(in member))) member.Value = Undefined;
        }
    }

    private static bool IsUnsettableKey(ReadOnlySpan<byte> key) =>
        key.Length is 9 or 11
        && (key.SequenceEqual("constructor"u8) || key.SequenceEqual("prototype"u8) || key.SequenceEqual("__proto__"u8));

    /// <summary>
    /// <c>Object.assign(target, source)</c>: the own enumerable keys of the source (object keys,
    /// array indices, string code units) are set on the target, existing keys keeping their position.
    /// </summary>
    public void Assign(int target, int source)
    {
        var keys = Keys(source);
        for (int i = 0; i < keys.Count; i++)
        {
            int m = KeyMember(in keys, i);
            Set(target, MemberKey(m), _members[m].Value);
        }
        EndKeys(in keys);
    }

    /// <summary>
    /// Makes an input container mutable in place (same id), so a write through one reference is
    /// seen through every other, as in JavaScript where values are shared by reference. Its raw
    /// text is no longer used for output.
    /// </summary>
    public void MakeMutableInPlace(int container)
    {
        ref Node n = ref _nodes[container];
        if ((n.Flags & NodeFlags.Mutable) != 0) return;
        if ((n.Flags & NodeFlags.Indexed) != 0) DropMemberIndex(container);
        int head = -1, tail = -1;
        var keys = Keys(container);
        for (int i = 0; i < keys.Count; i++)
        {
            int source = KeyMember(in keys, i);
            int m = AddMember();
            _members[m] = _members[source];
            _members[m].Next = -1;
            if ((_members[m].Flags & MemberFlags.ArrayIndex) != 0) _nodes[container].Flags |= NodeFlags.IndexKeys;
            else if (JsKeys.HasDot(KeyBytes(in _members[m]))) _nodes[container].Flags |= NodeFlags.DottedKey;
            if (head < 0) head = m;
            else _members[tail].Next = m;
            tail = m;
        }
        EndKeys(in keys);
        ref Node node = ref _nodes[container];
        node.Flags = (node.Flags & ~(NodeFlags.Canonical | NodeFlags.DottedKnown | NodeFlags.KeyFilter)) | NodeFlags.Mutable | NodeFlags.Promoted;
        NotePromoted(node.RawStart);
        ForgetWalks();
        node.Start = head;
        node.Length = tail;
        node.RawLength = 0;
        node.Number = 0;
        if (node.Type == JsType.Object)
        {
            node.Flags |= NodeFlags.BuiltKeyFilter;
            ulong filter = 0;
            for (int m = head; m >= 0; m = _members[m].Next) filter |= KeyFilterBit(_members[m].Index);
            KeyFilterOf(ref node) = filter;
        }
    }

    /// <summary>
    /// <c>array.length = value</c> on a mutable array: elements at or beyond the new length go, a
    /// longer length leaves holes. A value that is not a valid length throws (a RangeError in JavaScript; D1).
    /// </summary>
    public void SetArrayLength(int array, double length, string what)
    {
        if (!(length >= 0 && length <= uint.MaxValue && Math.Floor(length) == length))
        {
            throw new Js.JsTypeError($"{what}: invalid array length");
        }
        ref Node n = ref _nodes[array];
        if ((n.Flags & NodeFlags.Promoted) != 0) ForgetWalks();
        for (int m = n.Start; m >= 0; m = _members[m].Next)
        {
            ref Member mem = ref _members[m];
            if (mem.Value != Undefined && (mem.Flags & MemberFlags.ArrayIndex) != 0 && mem.Index >= length) mem.Value = Undefined;
        }
        _nodes[array].Number = length;
    }

    /// <summary>
    /// A mutable copy of an input container (members share the values), so a path write can
    /// modify it without touching the input. Mutable containers are returned unchanged.
    /// </summary>
    public int MakeMutable(int container)
    {
        ref Node n = ref _nodes[container];
        if ((n.Flags & NodeFlags.Mutable) != 0) return container;
        bool isArray = n.Type == JsType.Array;
        int copy = isArray ? NewArray() : NewObject();
        var keys = Keys(container);
        for (int i = 0; i < keys.Count; i++)
        {
            int m = KeyMember(in keys, i);
            Append(copy, MemberKey(m), _members[m].Value);
        }
        EndKeys(in keys);
        return copy;
    }

    /// <summary>True when a value nests containers more than <paramref name="levels"/> deep (a scalar: 0; <c>[]</c>: 1).</summary>
    public bool DepthExceeds(int value, int levels)
    {
        if (!IsContainer(value)) return levels < 0;
        if (levels < 1) return true;
        var keys = Keys(value);
        bool exceeds = false;
        for (int i = 0; i < keys.Count && !exceeds; i++) exceeds = DepthExceeds(_members[KeyMember(in keys, i)].Value, levels - 1);
        EndKeys(in keys);
        return exceeds;
    }

    /// <summary>
    /// The array slots path writes have asked for since <see cref="ResetOutputEstimate"/> (indices
    /// written, lengths set), saturating at <see cref="MaxArraySlots"/>: an upper bound of the
    /// <c>null</c>s a sparse array can add to the output (D8).
    /// </summary>
    public long ArraySlots { get; private set; }

    /// <summary>
    /// Bytes of output a mapping made beyond copies of its input since
    /// <see cref="ResetOutputEstimate"/> (a string source of custom fields gives every one of its
    /// characters a key holding the whole string), saturating at <see cref="MaxArraySlots"/> (D8).
    /// </summary>
    public long ExtraOutputBytes { get; private set; }

    /// <summary>Where <see cref="ArraySlots"/> and <see cref="ExtraOutputBytes"/> stop counting (far beyond any output limit, and no sum of them overflows).</summary>
    public const long MaxArraySlots = 1L << 53;

    /// <summary>Starts counting <see cref="ArraySlots"/> and <see cref="ExtraOutputBytes"/> for one event.</summary>
    public void ResetOutputEstimate()
    {
        ArraySlots = 0;
        ExtraOutputBytes = 0;
    }

    /// <summary>Counts array slots a path write asks for (see <see cref="ArraySlots"/>).</summary>
    public void NoteArraySlots(double slots)
    {
        if (!(slots > 0)) return;
        ArraySlots = slots >= MaxArraySlots - ArraySlots ? MaxArraySlots : ArraySlots + (long)slots;
    }

    /// <summary>Counts output bytes a mapping made beyond copies of its input (see <see cref="ExtraOutputBytes"/>).</summary>
    public void NoteExtraOutput(long bytes)
    {
        if (bytes <= 0) return;
        ExtraOutputBytes = bytes >= MaxArraySlots - ExtraOutputBytes ? MaxArraySlots : ExtraOutputBytes + bytes;
    }
}
