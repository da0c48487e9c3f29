using System.Runtime.CompilerServices;

namespace Mappings.Runtime.Json;

public sealed partial class JsHeap
{
    /// <summary>Containers with more members than this get a hash index of their members on first lookup.</summary>
    private const int IndexThreshold = 32;

    /// <summary>
    /// A hash index of one large container's members (open addressing over a hash of the whole key,
    /// seeded per process, so keys crafted to share a tag or a hash cannot pile up in one chain): a lookup
    /// in an object with thousands of keys must not scan them all, or a small request that builds
    /// such an object key by key (custom fields, overrideFields spread from a string) costs time
    /// quadratic in its size. The member chain or range stays the truth; the index only finds
    /// members in it. Mutable containers keep deleted members (value undefined) in the index.
    /// </summary>
    private sealed class MemberIndex
    {
        public int[] Slots = new int[128]; // member id + 1, 0 for empty
        public int Count;

        public void Clear(int capacity)
        {
            if (Slots.Length < capacity || Slots.Length > 4 * capacity && Slots.Length > 128) Slots = new int[Math.Max(128, capacity)];
            else Array.Clear(Slots);
            Count = 0;
        }
    }

    private readonly Dictionary<int, MemberIndex> _memberIndexes = [];
    private readonly List<MemberIndex> _spareIndexes = [];

    /// <summary>The first slot of a key: a hash of all its bytes, seeded per process (see <see cref="KeyHash"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(ReadOnlySpan<byte> key, int mask) => KeyHash(key) & mask;

    /// <summary>Builds the index of a container holding more than <see cref="IndexThreshold"/> members and flags it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void BuildMemberIndex(int container)
    {
        ref Node n = ref _nodes[container];
        int count = 0;
        if ((n.Flags & NodeFlags.Mutable) != 0)
        {
            for (int m = n.Start; m >= 0; m = _members[m].Next) count++;
        }
        else
        {
            count = n.Length;
        }
        MemberIndex index;
        if (_spareIndexes.Count > 0)
        {
            index = _spareIndexes[^1];
            _spareIndexes.RemoveAt(_spareIndexes.Count - 1);
        }
        else
        {
            index = new MemberIndex();
        }
        index.Clear(CapacityFor(count));
        _memberIndexes[container] = index;
        n.Flags |= NodeFlags.Indexed;
        if ((n.Flags & NodeFlags.Mutable) != 0)
        {
            for (int m = n.Start; m >= 0; m = _members[m].Next) AddToIndex(index, m);
        }
        else
        {
            for (int m = n.Start; m < n.Start + n.Length; m++) AddToIndex(index, m);
        }
    }

    private static int CapacityFor(int count)
    {
        int capacity = 128;
        while (capacity < count * 2) capacity *= 2;
        return capacity;
    }

    private void AddToIndex(MemberIndex index, int member)
    {
        if ((index.Count + 1) * 2 > index.Slots.Length) Rehash(index);
        int mask = index.Slots.Length - 1;
        int slot = Slot(KeyBytes(in _members[member]), mask);
        while (index.Slots[slot] != 0) slot = (slot + 1) & mask;
        index.Slots[slot] = member + 1;
        index.Count++;
    }

    private void Rehash(MemberIndex index)
    {
        int[] old = index.Slots;
        index.Slots = new int[old.Length * 2];
        index.Count = 0;
        foreach (int entry in old)
        {
            if (entry == 0) continue;
            // Deleted members of mutable containers are dropped when the index grows.
            if (_members[entry - 1].Value == Undefined) continue;
            AddToIndex(index, entry - 1);
        }
    }

    /// <summary>The live member with this key in an indexed container, or -1.</summary>
    private int FindIndexed(int container, ReadOnlySpan<byte> key, uint tag)
    {
        var index = _memberIndexes[container];
        int mask = index.Slots.Length - 1;
        for (int slot = Slot(key, mask); index.Slots[slot] != 0; slot = (slot + 1) & mask)
        {
            int m = index.Slots[slot] - 1;
            ref Member mem = ref _members[m];
            if (mem.Index == tag && mem.Value != Undefined && KeyEquals(in mem, key)) return m;
        }
        return -1;
    }

    /// <summary>For tests: whether a container has its member index.</summary>
    internal bool HasMemberIndex(int container) => (_nodes[container].Flags & NodeFlags.Indexed) != 0;

    /// <summary>For tests: how many slots a lookup of the key visits in an indexed container.</summary>
    internal int IndexProbes(int container, ReadOnlySpan<byte> key)
    {
        var index = _memberIndexes[container];
        int mask = index.Slots.Length - 1;
        int probes = 1;
        for (int slot = Slot(key, mask); index.Slots[slot] != 0; slot = (slot + 1) & mask, probes++)
        {
            ref Member mem = ref _members[index.Slots[slot] - 1];
            if (mem.Value != Undefined && KeyEquals(in mem, key)) break;
        }
        return probes;
    }

    /// <summary>Adds a member just appended to a container that has an index.</summary>
    private void IndexAppended(int container, int member) => AddToIndex(_memberIndexes[container], member);

    /// <summary>Forgets a container's index (its members moved, e.g. made mutable in place).</summary>
    private void DropMemberIndex(int container)
    {
        if (_memberIndexes.Remove(container, out var index)) _spareIndexes.Add(index);
        _nodes[container].Flags &= ~NodeFlags.Indexed;
    }

    private void ResetMemberIndexes()
    {
        if (_memberIndexes.Count == 0) return;
        foreach (var index in _memberIndexes.Values) _spareIndexes.Add(index);
        _memberIndexes.Clear();
        // An odd event with a huge object must not pin its index's memory.
        _spareIndexes.RemoveAll(i => i.Slots.Length > 1 << 16);
    }
}
