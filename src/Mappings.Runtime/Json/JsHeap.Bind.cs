using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mappings.Runtime.Json;

public sealed partial class JsHeap
{
    private const int Unbound = int.MinValue;

    /// <summary>
    /// Every name of <paramref name="fields"/> read from the object at its source path:
    /// <c>values[i]</c> is exactly <c>Get(root, source + "." + name[i])</c> (get-value, spec §6.1),
    /// found in one pass over the object's members where that gives the same answer — the root and
    /// the objects on the way are input objects without a dotted key, each step of the source path
    /// is an own or inherited property — and by a lookup per path otherwise.
    /// </summary>
    public void Bind(int root, JsFieldSet fields, Span<int> values)
    {
        if (values.Length != fields.Count)
        {
            throw new ArgumentException($"{fields.Count} values expected, not {values.Length}.", nameof(values));
        }

        if (!IsWalkable(root))
        {
            // get-value answers a value that is not an object with the value itself.
            values.Fill(root);
            return;
        }

        int source = root;
        if (fields.SourcePath is { } path)
        {
            // Get's first step, the whole path as one key of the root: only a dotted key can be one.
            if (!IsInputObject(root) || HasDottedKeys(root))
            {
                BindEach(root, fields, values);
                return;
            }

            ReadOnlySpan<byte> text = path.Utf8;
            int start = 0;
            for (int s = 0; s < path.SegmentCount; s++)
            {
                if (!TryGetProperty(source, text[start..path.Ends[s]], path.Tags[s], out int next))
                {
                    // Missing: get-value retries the segment joined with the following ones
                    // ("traits.email"), which only a dotted key of this container can be.
                    if (HasNoJoinedKeys(source))
                    {
                        values.Fill(Undefined);
                        return;
                    }

                    BindEach(root, fields, values);
                    return;
                }

                if (!IsWalkable(next))
                {
                    // A walk into a value that is not an object ends in undefined.
                    values.Fill(Undefined);
                    return;
                }

                source = next;
                start = path.Ends[s] + 1;
            }
        }

        if (IsInputObject(source))
        {
            BindPass(source, fields, values);
            return;
        }

        // An array, a function, or an object the mapper built: each name as the last step of a walk.
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = TryGetProperty(source, fields.Names[i], fields.Tags[i], out int value) ? value : Undefined;
        }
    }

    /// <summary>
    /// <see cref="Bind(int, JsFieldSet, Span{int})"/> into a struct of <see cref="JsFieldSet.Count"/>
    /// <c>int</c> fields, in the order of the names (what generated mappers declare).
    /// </summary>
    public void Bind<T>(int root, JsFieldSet fields, out T values)
        where T : unmanaged
    {
        values = default;
        if (Unsafe.SizeOf<T>() != fields.Count * sizeof(int))
        {
            throw new ArgumentException($"{typeof(T).Name} does not hold {fields.Count} values.", nameof(values));
        }

        Bind(root, fields, MemoryMarshal.Cast<T, int>(MemoryMarshal.CreateSpan(ref values, 1)));
    }

    private bool IsInputObject(int value) => (uint)value < (uint)_nodeCount && (_nodes[value].Flags & NodeFlags.KeyFilter) != 0;

    /// <summary>An input container in which no joined key ("b.c") can be an own key.</summary>
    private bool HasNoJoinedKeys(int container)
    {
        ref Node n = ref _nodes[container];
        if ((n.Flags & NodeFlags.Mutable) != 0) return false;
        return n.Type == JsType.Array || (n.Type == JsType.Object && !HasDottedKeys(container));
    }

    private void BindEach(int root, JsFieldSet fields, Span<int> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = Get(root, fields.Paths[i]);
    }

    /// <summary>One pass over an input object's members: each name's own value, else what objects inherit, else undefined.</summary>
    private void BindPass(int obj, JsFieldSet fields, Span<int> values)
    {
        values.Fill(Unbound);
        ref Node n = ref _nodes[obj];
        ulong filter = fields.Filter;
        int[] table = fields.Table;
        uint[] tags = fields.Tags;
        int mask = table.Length - 1;
        int remaining = values.Length;
        var members = _members.AsSpan(n.Start, n.Length);
        for (int m = 0; m < members.Length && remaining > 0; m++)
        {
            uint tag = members[m].Index;
            if ((filter & KeyFilterBit(tag)) == 0) continue;
            for (int at = fields.Home(tag); table[at] >= 0; at = (at + 1) & mask)
            {
                int slot = table[at];
                // The first member with the key, as FindMember (the parser merged repeated keys already).
                if (tags[slot] == tag && values[slot] == Unbound && KeyEquals(in members[m], fields.Names[slot]))
                {
                    values[slot] = members[m].Value;
                    remaining--;
                    break;
                }
            }
        }

        if (remaining == 0) return;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] == Unbound) values[i] = fields.Inherited[i] ? InheritedFromObject(fields.Names[i], JsType.Object) : Undefined;
        }
    }
}
