using CsCheck;
using Mappings.CleverTap.Tests;
using Mappings.Testing.Json;

namespace Mappings.Testing.Generation;

/// <summary>A processor request item the generator starts from, and where it came from.</summary>
public sealed record SeedItem(string Source, RawObject Item);

/// <summary>
/// The real-world items the adversarial set mutates: the inputs of conformance/foreign/cases.jsonl
/// (messages written for other destinations, under four CleverTap configs) and the request items of
/// conformance/reference/processor/*.json. Read as raw text (<see cref="RawJson.Parse"/>), so their
/// spellings survive. Only items that are objects with an object message are kept.
/// </summary>
public sealed class SeedCorpus
{
    private static readonly Lazy<SeedCorpus> SharedCorpus = new(() => Load(SharedFiles.SharedDirectory));

    private SeedCorpus(IReadOnlyList<SeedItem> items)
    {
        Items = items;
        Item = Gen.Int[0, items.Count - 1].Select(i => items[i]);
    }

    /// <summary>The seeds of the shared folder beside the repository (see <see cref="SharedFiles"/>).</summary>
    public static SeedCorpus Shared => SharedCorpus.Value;

    public IReadOnlyList<SeedItem> Items { get; }

    /// <summary>One seed, uniformly (shrinks towards the first seeds).</summary>
    public Gen<SeedItem> Item { get; }

    public static SeedCorpus Load(string sharedDirectory)
    {
        var items = new List<SeedItem>();
        string reference = Path.Combine(sharedDirectory, "conformance", "reference", "processor");
        foreach (string file in Directory.GetFiles(reference, "*.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            var body = RawJson.Parse(File.ReadAllBytes(file)).At("input", "request", "body");
            if (body is not RawArray array) continue;
            foreach (var item in array.Items) Add(items, "reference:" + Path.GetFileNameWithoutExtension(file), item);
        }
        foreach (string line in File.ReadLines(Path.Combine(sharedDirectory, "conformance", "foreign", "cases.jsonl")))
        {
            if (line.Length == 0) continue;
            var c = RawJson.Parse(System.Text.Encoding.UTF8.GetBytes(line));
            if (c.At("input") is { } input) Add(items, "foreign:" + (c.At("id")?.ToString() ?? "?"), input);
        }
        return new SeedCorpus(items);
    }

    private static void Add(List<SeedItem> items, string source, RawJson item)
    {
        if (item is RawObject o && o.Get("message") is RawObject) items.Add(new SeedItem(source, o));
    }
}
