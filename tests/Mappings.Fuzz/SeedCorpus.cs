using System.Text;
using System.Text.Json;
using Mappings.Runtime.Json;

namespace Mappings.Fuzz;

/// <summary>
/// Seed inputs for each fuzz target, made from the conformance vectors in <c>shared/conformance</c>
/// (read as raw bytes and never re-serialised, as conformance/README.md asks): processor items
/// from the corpus, foreign and adversarial cases and the reproducers; processor bodies of a few
/// items sharing a destination (so the heap's reuse of repeated destinations is exercised);
/// compacted bodies made from those items; router bodies from the small router vectors and made
/// from items. The same files give the same seeds, in the same order.
/// </summary>
public static class SeedCorpus
{
    private static readonly string[] CaseFiles = ["corpus/cases.jsonl", "foreign/cases.jsonl", "adversarial/cases.jsonl"];
    private static readonly string[] RouterFiles = ["corpus/router.jsonl", "adversarial/router.jsonl"];
    private const string Reproducers = "adversarial/reproducers.jsonl";

    /// <summary>Router vectors larger than this are left out of the seeds (a fuzzer wants small inputs).</summary>
    public const int MaxRouterSeedBytes = 64 * 1024;

    /// <summary>
    /// The shared folder (with conformance/): <paramref name="explicitPath"/>, or the first
    /// <c>shared</c> folder found beside the working directory or the binaries or one of their parents.
    /// </summary>
    public static string FindShared(string? explicitPath = null)
    {
        if (explicitPath is not null) return Path.GetFullPath(explicitPath);
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared");
                if (Directory.Exists(Path.Combine(candidate, "conformance"))) return candidate;
            }
        }
        throw new DirectoryNotFoundException("The shared folder (with conformance/) was not found beside the repository; name it with --shared DIR.");
    }

    /// <summary>The seeds of a target: at most <paramref name="max"/>, spread over every source.</summary>
    public static IReadOnlyList<byte[]> For(string target, string sharedDir, int max = 300)
    {
        var seeds = target switch
        {
            FuzzTargets.Reader => Mix(max, Items(sharedDir), RequestBodies(sharedDir), RouterBodies(sharedDir)),
            FuzzTargets.Item => Items(sharedDir),
            FuzzTargets.Request => RequestBodies(sharedDir),
            FuzzTargets.RequestCompacted => ItemGroups(sharedDir).Select(g => Compacted(g, router: false)).ToList(),
            FuzzTargets.Router => RouterBodies(sharedDir),
            FuzzTargets.RouterCompacted => ItemGroups(sharedDir).Select(g => Compacted(g, router: true)).ToList(),
            _ => throw new ArgumentException($"Unknown fuzz target '{target}' (one of: {string.Join(", ", FuzzTargets.Names)})", nameof(target)),
        };
        return Spread(seeds, max);
    }

    // ------------------------------------------------------------------ sources

    /// <summary>Processor request items: every case of the case files, the processor reproducers and the reference's items.</summary>
    private static List<byte[]> Items(string shared)
    {
        var items = new List<byte[]>();
        foreach (var file in CaseFiles) items.AddRange(Lines(shared, file).Select(l => l.Input));
        items.AddRange(Lines(shared, Reproducers).Where(l => l.Mode != "router").Select(l => l.Input));
        foreach (var body in ReferenceBodies(shared, "processor")) items.AddRange(Elements(body));
        return items;
    }

    /// <summary>Processor bodies: the reference's, and arrays of 1–4 consecutive cases that share a destination.</summary>
    private static List<byte[]> RequestBodies(string shared)
    {
        var bodies = ReferenceBodies(shared, "processor").ToList();
        foreach (var group in ItemGroups(shared)) bodies.Add(Join("["u8, group, "]"u8));
        return bodies;
    }

    /// <summary>Router bodies: the small router vectors, the router reproducers, the reference's, and bodies made of 1–4 cases.</summary>
    private static List<byte[]> RouterBodies(string shared)
    {
        var bodies = new List<byte[]>();
        foreach (var file in RouterFiles)
        {
            bodies.AddRange(Lines(shared, file).Where(l => l.Input.Length <= MaxRouterSeedBytes).Select(l => RouterBody(l.Input)));
        }
        bodies.AddRange(Lines(shared, Reproducers).Where(l => l.Mode == "router").Select(l => l.Input));
        bodies.AddRange(ReferenceBodies(shared, "router"));
        foreach (var group in ItemGroups(shared)) bodies.Add(RouterBody(Join("["u8, group, "]"u8)));
        return bodies;
    }

    private static byte[] RouterBody(byte[] input) => Join("{\"input\":"u8, [input], ",\"destType\":\"CLEVERTAP\"}"u8);

    /// <summary>
    /// Groups of 1–4 cases of one case file: cases that share a destination (their bytes), as
    /// rudder-server sends them, and runs of consecutive cases whatever their destinations.
    /// </summary>
    private static List<List<byte[]>> ItemGroups(string shared)
    {
        var groups = new List<List<byte[]>>();
        foreach (var file in CaseFiles)
        {
            var lines = Lines(shared, file);
            var byDestination = new Dictionary<string, List<byte[]>>(StringComparer.Ordinal);
            var order = new List<List<byte[]>>();
            foreach (var line in lines)
            {
                string key = Convert.ToBase64String(RawMember(line.Input, "destination") ?? []);
                if (!byDestination.TryGetValue(key, out var list)) order.Add(byDestination[key] = list = []);
                list.Add(line.Input);
            }
            int size = 2;
            foreach (var list in order.Where(l => l.Count > 1))
            {
                for (int i = 0; i < list.Count; i += size, size = size % 4 + 1) groups.Add(list.GetRange(i, Math.Min(size, list.Count - i)));
            }
            for (int i = 0; i < lines.Count; i += size, size = size % 4 + 1)
            {
                groups.Add(lines.Skip(i).Take(size).Select(l => l.Input).ToList());
            }
        }
        return groups;
    }

    /// <summary>
    /// The compacted format of items: inputs <c>{message, metadata}</c>, their destinations in a
    /// map keyed by metadata.destinationId (spec §10.2), and an empty connections map.
    /// </summary>
    private static byte[] Compacted(List<byte[]> items, bool router)
    {
        var inputs = new List<byte[]>();
        var destinations = new List<byte[]>();
        var keys = new HashSet<string>();
        foreach (var item in items)
        {
            byte[] message = RawMember(item, "message") ?? "{}"u8.ToArray();
            byte[]? metadata = RawMember(item, "metadata");
            inputs.Add(metadata is null ? Join("{\"message\":"u8, [message], "}"u8) : Join("{\"message\":"u8, [message, ","u8.ToArray(), "\"metadata\":"u8.ToArray(), metadata], "}"u8));
            byte[]? destination = RawMember(item, "destination");
            byte[]? id = metadata is null ? null : RawMember(metadata, "destinationId");
            if (destination is null || id is null || id.Length == 0 || id[0] != (byte)'"' || !keys.Add(Encoding.UTF8.GetString(id))) continue;
            destinations.Add(Join(id, [":"u8.ToArray()], destination));
        }
        var body = new List<byte>();
        body.AddRange("{\"input\":"u8.ToArray());
        body.AddRange(Join("["u8, inputs, "]"u8));
        body.AddRange(",\"destinations\":"u8.ToArray());
        body.AddRange(Join("{"u8, destinations, "}"u8));
        body.AddRange(",\"connections\":{}"u8.ToArray());
        if (router) body.AddRange(",\"destType\":\"CLEVERTAP\""u8.ToArray());
        body.Add((byte)'}');
        return body.ToArray();
    }

    // ------------------------------------------------------------------ reading

    private readonly record struct Line(byte[] Input, string? Mode);

    private static readonly Dictionary<string, List<Line>> LineCache = new();

    /// <summary>The lines of a .jsonl vector file: the raw bytes of each line's <c>input</c>, and its <c>mode</c> when it has one.</summary>
    private static List<Line> Lines(string shared, string relative)
    {
        string path = Path.Combine(shared, "conformance", relative);
        lock (LineCache)
        {
            if (LineCache.TryGetValue(path, out var cached)) return cached;
        }
        var lines = new List<Line>();
        byte[] all = File.ReadAllBytes(path);
        int start = 0;
        while (start < all.Length)
        {
            int end = Array.IndexOf(all, (byte)'\n', start);
            if (end < 0) end = all.Length;
            var line = all.AsSpan(start, end - start);
            start = end + 1;
            byte[]? input = RawMember(line, "input");
            if (input is null) continue;
            byte[]? mode = RawMember(line, "mode");
            lines.Add(new Line(input, mode is null ? null : Encoding.UTF8.GetString(mode).Trim('"')));
        }
        lock (LineCache) LineCache[path] = lines;
        return lines;
    }

    /// <summary>The <c>input.request.body</c> of each reference case of a feature folder (reference/processor, reference/router).</summary>
    private static IEnumerable<byte[]> ReferenceBodies(string shared, string folder)
    {
        string dir = Path.Combine(shared, "conformance", "reference", folder);
        if (!Directory.Exists(dir)) yield break;
        foreach (string file in Directory.GetFiles(dir, "*.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            byte[]? input = RawMember(File.ReadAllBytes(file), "input");
            byte[]? request = input is null ? null : RawMember(input, "request");
            byte[]? body = request is null ? null : RawMember(request, "body");
            if (body is not null) yield return body;
        }
    }

    /// <summary>The raw bytes of a member of the JSON object <paramref name="json"/> (its last one, as JSON.parse keeps), or null.</summary>
    private static byte[]? RawMember(ReadOnlySpan<byte> json, string name)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = int.MaxValue });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            byte[]? found = null;
            byte[] utf8Name = System.Text.Encoding.UTF8.GetBytes(name);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool match = Wtf8.ValueEquals(ref reader, utf8Name);
                reader.Read();
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (match) found = json[start..(int)reader.BytesConsumed].ToArray();
            }
            return found;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The raw elements of a JSON array.</summary>
    private static List<byte[]> Elements(byte[] array)
    {
        var elements = new List<byte[]>();
        var reader = new Utf8JsonReader(array, new JsonReaderOptions { MaxDepth = int.MaxValue });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return elements;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            int start = (int)reader.TokenStartIndex;
            reader.Skip();
            elements.Add(array[start..(int)reader.BytesConsumed]);
        }
        return elements;
    }

    private static byte[] Join(ReadOnlySpan<byte> open, IReadOnlyList<byte[]> parts, ReadOnlySpan<byte> close)
    {
        var bytes = new List<byte>(open.ToArray());
        for (int i = 0; i < parts.Count; i++)
        {
            if (i > 0 && open.Length > 0 && open[^1] is (byte)'[' or (byte)'{' && parts[i - 1].Length > 0 && parts[i].Length > 0) bytes.Add((byte)',');
            bytes.AddRange(parts[i]);
        }
        bytes.AddRange(close.ToArray());
        return bytes.ToArray();
    }

    /// <summary>At most <paramref name="max"/> seeds taken at even steps over the list (so every source is represented).</summary>
    private static List<byte[]> Spread(List<byte[]> seeds, int max)
    {
        if (seeds.Count <= max) return seeds;
        var picked = new List<byte[]>(max);
        for (int i = 0; i < max; i++) picked.Add(seeds[(int)((long)i * seeds.Count / max)]);
        return picked;
    }

    /// <summary>At most <paramref name="max"/> seeds in all, shared evenly between the sources.</summary>
    private static List<byte[]> Mix(int max, params List<byte[]>[] sources)
    {
        var mixed = new List<byte[]>();
        for (int i = 0; i < sources.Length; i++) mixed.AddRange(Spread(sources[i], max / sources.Length + (i < max % sources.Length ? 1 : 0)));
        return mixed;
    }
}
