using System.Text;

namespace Mappings.Runtime.Json;

/// <summary>
/// An object a mapping reads several names from — <c>traits</c> in <c>traits.email</c>,
/// <c>traits.phone</c>, … — and those names, known when the program is compiled and prepared so
/// that <see cref="JsHeap.Bind(int, JsFieldSet, Span{int})"/> finds all of them in one pass over
/// the object's members, with exactly the results of a get-value lookup per path
/// (<see cref="JsHeap.Get(int, JsPath)"/>).
/// </summary>
public sealed class JsFieldSet
{
    private JsFieldSet(string source, string[] names)
    {
        Source = source;
        SourcePath = source.Length == 0 ? null : JsPath.Of(source);
        SegmentsWithDot = source.Length == 0 ? [] : source.Split('.').Select(segment => Encoding.UTF8.GetBytes(segment + ".")).ToArray();
        Names = new byte[names.Length][];
        Tags = new uint[names.Length];
        Inherited = new bool[names.Length];
        Paths = new JsPath[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            Names[i] = Encoding.UTF8.GetBytes(names[i]);
            Tags[i] = JsKeys.Tag(Names[i]);
            Inherited[i] = JsHeap.IsObjectPrototypeName(Names[i]);
            Filter |= JsHeap.KeyFilterBit(Tags[i]);
            Paths[i] = JsPath.Of(source.Length == 0 ? names[i] : source + "." + names[i]);
            WholeFilter |= JsHeap.KeyFilterBit(Paths[i].WholeTag);
        }

        // Open addressing from a key tag to the slots of the names with that tag (names may share one).
        int size = 8;
        while (size < names.Length * 2) size *= 2;
        Shift = 32 - System.Numerics.BitOperations.Log2((uint)size);
        Table = new int[size];
        Array.Fill(Table, -1);
        for (int i = 0; i < names.Length; i++)
        {
            int at = Home(Tags[i]);
            while (Table[at] >= 0) at = (at + 1) & (size - 1);
            Table[at] = i;
        }
    }

    /// <summary>The path of the object (<c>"context.traits"</c>); empty for the root itself.</summary>
    public string Source { get; }

    /// <summary>How many names (the length of the values <see cref="JsHeap.Bind(int, JsFieldSet, Span{int})"/> fills).</summary>
    public int Count => Names.Length;

    internal JsPath? SourcePath { get; }

    /// <summary>Each segment of the source path and a dot: what the keys a missing segment is retried as start with.</summary>
    internal byte[][] SegmentsWithDot { get; }

    /// <summary>The UTF-8 bytes of each name.</summary>
    internal byte[][] Names { get; }

    /// <summary>The key tag of each name (<see cref="JsKeys.Tag"/>).</summary>
    internal uint[] Tags { get; }

    /// <summary>Each name is one objects inherit from <c>Object.prototype</c> (<c>toString</c>, <c>constructor</c>…).</summary>
    internal bool[] Inherited { get; }

    /// <summary>The whole path of each name (<c>source.name</c>), for the objects one pass cannot read exactly.</summary>
    internal JsPath[] Paths { get; }

    /// <summary>The key-filter bits of every name (see <c>JsHeap.KeyFilterBit</c>): a member without one of them is none of the names.</summary>
    internal ulong Filter { get; }

    /// <summary>The key-filter bits of every whole path (<c>source.name</c> taken as one key of the root).</summary>
    internal ulong WholeFilter { get; }

    /// <summary>Slots of the names by the home position of their tag (−1: empty).</summary>
    internal int[] Table { get; }

    internal int Shift { get; }

    internal int Home(uint tag) => (int)((tag * 0x9E3779B1u) >> Shift);

    /// <summary>
    /// The names read from the object at <paramref name="source"/> (a message path without
    /// backslashes; empty for the root), each a single property name (no '.' or '\').
    /// Call from static initialisers, not per event.
    /// </summary>
    public static JsFieldSet Of(string source, params string[] names)
    {
        if (source.IndexOf('\\') >= 0 || (source.Length > 0 && source.Split('.').Any(s => s.Length == 0)))
        {
            throw new ArgumentException($"'{source}' is not a plain message path.", nameof(source));
        }

        foreach (string name in names)
        {
            if (name.IndexOf('.') >= 0 || name.IndexOf('\\') >= 0)
            {
                throw new ArgumentException($"'{name}' is not a single property name.", nameof(names));
            }
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new ArgumentException("The names repeat.", nameof(names));
        }

        return new JsFieldSet(source, names);
    }

    public override string ToString() => Source + ": " + string.Join(", ", Names.Select(n => Encoding.UTF8.GetString(n)));
}
