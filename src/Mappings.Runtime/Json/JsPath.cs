using System.Text;

namespace Mappings.Runtime.Json;

/// <summary>
/// A message path known when the program is compiled (<c>"context.traits.email"</c>), prepared for
/// fast get-value lookups: its segments and their key tags are computed once, and each prefix
/// (<c>"context"</c>, <c>"context.traits"</c>) has a process-wide id under which the heap remembers,
/// for the current event, where a walk of that prefix ended. Paths with the same text are the same
/// object (<see cref="Of"/> interns them), so prefixes shared between paths share their memo.
/// </summary>
public sealed class JsPath
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, JsPath> Interned = new(StringComparer.Ordinal);
    private static int s_count;

    private JsPath(string text)
    {
        Text = text;
        Utf8 = Encoding.UTF8.GetBytes(text);
        Plain = Utf8.AsSpan().IndexOf((byte)'\\') < 0;
        var ends = new List<int>();
        for (int i = 0; i < Utf8.Length; i++)
        {
            if (Utf8[i] == '.') ends.Add(i);
        }
        ends.Add(Utf8.Length);
        Ends = ends.ToArray();
        Tags = new uint[Ends.Length];
        int start = 0;
        for (int s = 0; s < Ends.Length; s++)
        {
            Tags[s] = JsKeys.Tag(Utf8.AsSpan(start, Ends[s] - start));
            start = Ends[s] + 1;
        }
        WholeTag = JsKeys.Tag(Utf8);
        JoinedTags = new uint[Ends.Length][];
        start = 0;
        for (int s = 0; s < Ends.Length; s++)
        {
            JoinedTags[s] = new uint[Ends.Length - s - 1];
            for (int j = s + 1; j < Ends.Length; j++) JoinedTags[s][j - s - 1] = JsKeys.Tag(Utf8.AsSpan(start, Ends[j] - start));
            start = Ends[s] + 1;
        }
        Id = s_count++;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>Its UTF-8 bytes.</summary>
    public byte[] Utf8 { get; }

    /// <summary>No backslash: the fast walk applies (a backslash escapes a dot in get-value).</summary>
    internal bool Plain { get; }

    /// <summary>End offset of each segment (the position of the following '.', or the length).</summary>
    internal int[] Ends { get; }

    /// <summary>The key tag of each segment (see <see cref="JsKeys.Tag"/>).</summary>
    internal uint[] Tags { get; }

    /// <summary>The key tag of the whole path taken as one key.</summary>
    internal uint WholeTag { get; }

    /// <summary>
    /// For each segment s, the key tags of the keys a missing segment s is retried as: segment s
    /// joined with the following ones ("b.c", "b.c.d", …).
    /// </summary>
    internal uint[][] JoinedTags { get; }

    /// <summary>Process-wide id (memo slot) of this path.</summary>
    internal int Id { get; }

    /// <summary>Prefix k (the first k segments) as a path, for k in 1 … segments − 1 (index k − 1).</summary>
    internal JsPath[] Prefixes { get; private set; } = [];

    /// <summary>One segment, no backslash: a plain property read.</summary>
    internal bool Single => Plain && Ends.Length == 1;

    /// <summary>The memo id of the path without its last segment (−1 for a one-segment or escaped path).</summary>
    internal int ParentId = -1;

    /// <summary>The key tag of the last segment.</summary>
    internal uint LastTag;

    /// <summary>The last segment's bytes (plain paths; the whole path when it has one segment).</summary>
    internal byte[] Last = [];

    /// <summary>The key-filter bits of the last segment and of the whole path (see <c>JsHeap.KeyFilterBit</c>).</summary>
    internal ulong LastBit;

    internal ulong WholeBit;

    /// <summary>The last segment is a name objects inherit from <c>Object.prototype</c> (a function).</summary>
    internal bool LastInherited;

    internal int SegmentCount => Ends.Length;

    /// <summary>Number of path ids handed out (memo arrays size themselves from it).</summary>
    internal static int Count => Volatile.Read(ref s_count);

    /// <summary>The interned path for a text. Call from static initialisers, not per event.</summary>
    public static JsPath Of(string text)
    {
        lock (Gate)
        {
            return OfLocked(text);
        }
    }

    private static JsPath OfLocked(string text)
    {
        if (Interned.TryGetValue(text, out var existing)) return existing;
        var path = new JsPath(text);
        Interned[text] = path;
        if (path.Plain && path.SegmentCount > 1)
        {
            var prefixes = new JsPath[path.SegmentCount - 1];
            for (int k = 1; k < path.SegmentCount; k++) prefixes[k - 1] = OfLocked(text.Substring(0, path.Ends[k - 1]));
            path.Prefixes = prefixes;
            path.ParentId = prefixes[^1].Id;
        }
        if (path.Plain)
        {
            // What the fast lookups of the last segment need (for a one-segment path, the path).
            int lastStart = path.SegmentCount > 1 ? path.Ends[^2] + 1 : 0;
            path.Last = path.Utf8.AsSpan(lastStart).ToArray();
            path.LastTag = path.Tags[^1];
            path.LastBit = JsHeap.KeyFilterBit(path.LastTag);
            path.LastInherited = JsHeap.IsObjectPrototypeName(path.Last);
        }
        path.WholeBit = JsHeap.KeyFilterBit(path.WholeTag);
        return path;
    }

    /// <summary>Paths for a list of texts.</summary>
    public static JsPath[] Of(params string[] texts)
    {
        var paths = new JsPath[texts.Length];
        for (int i = 0; i < texts.Length; i++) paths[i] = Of(texts[i]);
        return paths;
    }

    public override string ToString() => Text;
}
