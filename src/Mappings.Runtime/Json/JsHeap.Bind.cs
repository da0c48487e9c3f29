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
            // Get's first step, the whole path as one key of the root: every such key starts with
            // the first segment and a dot ("traits.email"), and its filter bit says whether one may.
            ReadOnlySpan<byte> text = path.Utf8;
            if (!IsInputObject(root)
                || ((KeyFilterOf(ref _nodes[root]) & fields.WholeFilter) != 0 && !KnownWithoutKeysStartingWith(root, fields.SegmentsWithDot[0])))
            {
                BindEach(root, fields, values);
                return;
            }

            int start = 0;
            // As in a walk, only walks through containers whose members cannot change unseen are
            // remembered (not through one the mapper built).
            bool watched = true;
            for (int s = 0; s < path.SegmentCount; s++)
            {
                JsPath walked = s == path.SegmentCount - 1 ? path : path.Prefixes[s];
                watched &= (_nodes[source].Flags & (NodeFlags.Mutable | NodeFlags.Promoted)) != NodeFlags.Mutable;
                if (!TryGetProperty(source, text[start..path.Ends[s]], path.Tags[s], out int next))
                {
                    // Missing: get-value retries the segment joined with the following ones
                    // ("traits.email"), which only a key starting with the segment and a dot can be.
                    if (KnownWithoutKeysStartingWith(source, fields.SegmentsWithDot[s]))
                    {
                        // As a walk would, remember that every path through this prefix is undefined.
                        if (watched) Remember(walked.Id, root, Undefined);
                        values.Fill(Undefined);
                        return;
                    }

                    BindEach(root, fields, values);
                    return;
                }

                // The walk so far, for later lookups of paths through it (see JsPath).
                if (watched) Remember(walked.Id, root, next);
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

    private void BindEach(int root, JsFieldSet fields, Span<int> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = Get(root, fields.Paths[i]);
    }

    /// <summary>One pass over an input object's members: each name's own value, else what objects inherit, else undefined.</summary>
    private void BindPass(int obj, JsFieldSet fields, Span<int> values)
    {
        ref Node n = ref _nodes[obj];
        ulong filter = fields.Filter;
        int[] table = fields.Table;
        uint[] tags = fields.Tags;
        byte[][] names = fields.Names;
        int mask = table.Length - 1;
        int shift = fields.Shift;
        // Which names were found (a bit each; sets of more than 64 names use values[i] == Unbound).
        ulong found = 0;
        bool wide = values.Length > 64;
        if (wide) values.Fill(Unbound);
        int remaining = values.Length;
        var members = _members.AsSpan(n.Start, n.Length);
        for (int m = 0; m < members.Length; m++)
        {
            uint tag = members[m].Index;
            uint hash = tag * 0x9E3779B1u;
            if ((filter & (1UL << (int)(hash >> 26))) == 0) continue;
            for (int at = (int)(hash >> shift); table[at] >= 0; at = (at + 1) & mask)
            {
                int slot = table[at];
                // The first member with the key, as FindMember (the parser merged repeated keys already).
                if (tags[slot] == tag
                    && (wide ? values[slot] == Unbound : (found & (1UL << slot)) == 0)
                    && KeyEquals(in members[m], names[slot]))
                {
                    values[slot] = members[m].Value;
                    found |= wide ? 0 : 1UL << slot;
                    remaining--;
                    break;
                }
            }

            if (remaining == 0) return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (wide ? values[i] == Unbound : (found & (1UL << i)) == 0)
            {
                values[i] = fields.Inherited[i] ? InheritedFromObject(names[i], JsType.Object) : Undefined;
            }
        }
    }
}
