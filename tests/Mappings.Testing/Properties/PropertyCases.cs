using Mappings.Testing.Generation;

namespace Mappings.Testing.Properties;

/// <summary>
/// The generated cases the property tests of every face share: the same settings give the same
/// items and bodies in the library, CLI and service tests, so each face is compared with the library
/// on identical inputs. PCG stream 1 generates processor items, stream 2 router bodies.
/// </summary>
public static class PropertyCases
{
    public const uint ItemStream = 1;
    public const uint RouterStream = 2;
    public const uint MixedItemStream = 3;

    /// <summary>Router bodies hold 1 to this many items (about 20 on average).</summary>
    public const int MaxRouterItems = 40;

    public static PropertySettings Settings { get; } = PropertySettings.FromEnvironment();

    public static RequestGenerator Good { get; } = new(SeedCorpus.Shared, GeneratorOptions.GoodOnly);

    public static RequestGenerator Mixed { get; } = new(SeedCorpus.Shared, GeneratorOptions.Mixed);

    /// <summary>
    /// Mixed items with the faults of the reliability work too (<see cref="ReliabilityFaults"/>:
    /// deep and huge-output items), a third of them malformed. Faces that run them set the event
    /// output limit to <see cref="ReliabilityEventOutputBytes"/> so that huge outputs fail fast.
    /// </summary>
    public static RequestGenerator Reliability { get; } = new(SeedCorpus.Shared, GeneratorOptions.Mixed with
    {
        BadItemPercent = 33,
        ExtraFaults = ReliabilityFaults.All,
    });

    /// <summary>The event output limit (D8) of the reliability cases: 1 MiB.</summary>
    public const long ReliabilityEventOutputBytes = 1024 * 1024;

    public const uint ReliabilityItemStream = 4;
    public const uint ReliabilityRouterStream = 5;

    private static readonly Lazy<List<GeneratedCase<GeneratedItem>>> ReliabilityItemCases =
        new(() => GeneratedCases.Generate(Reliability.Item, Math.Max(1, Settings.Cases / 5), ReliabilityItemStream, Settings));

    private static readonly Lazy<List<GeneratedCase<GeneratedRouterBody>>> ReliabilityRouterCases =
        new(() => GeneratedCases.Generate(Reliability.RouterBody(1, MaxRouterItems, duplicateJobIds: true), Math.Max(1, RouterBodyCount / 4), ReliabilityRouterStream, Settings));

    /// <summary>Good, malformed, deep and huge-output items (a fifth of <see cref="PropertySettings.Cases"/>).</summary>
    public static IReadOnlyList<GeneratedCase<GeneratedItem>> ReliabilityItems => ReliabilityItemCases.Value;

    /// <summary>Router bodies of such items, some inputs sharing a job id.</summary>
    public static IReadOnlyList<GeneratedCase<GeneratedRouterBody>> ReliabilityRouterBodies => ReliabilityRouterCases.Value;

    private static readonly Lazy<List<GeneratedCase<GeneratedItem>>> ItemCases =
        new(() => GeneratedCases.Generate(Good.Item, Settings.Cases, ItemStream, Settings));

    private static readonly Lazy<List<GeneratedCase<GeneratedRouterBody>>> RouterCases =
        new(() => GeneratedCases.Generate(Good.RouterBody(1, MaxRouterItems), RouterBodyCount, RouterStream, Settings));

    /// <summary><see cref="PropertySettings.Cases"/> good processor items.</summary>
    public static IReadOnlyList<GeneratedCase<GeneratedItem>> Items => ItemCases.Value;

    /// <summary>Router bodies of about as many items in all as <see cref="Items"/> holds (one body per 20 items).</summary>
    public static IReadOnlyList<GeneratedCase<GeneratedRouterBody>> RouterBodies => RouterCases.Value;

    public static int RouterBodyCount => Math.Max(1, Settings.Cases / 20);

    /// <summary>
    /// Request sizes for cutting <see cref="Items"/> into processor requests: 1, 2, 3, 5, 8, … up to
    /// 233 items, then again (so small and large requests both occur, deterministically).
    /// </summary>
    public static IEnumerable<(int Start, int Count)> Requests(int total)
    {
        int[] sizes = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233];
        int start = 0, k = 0;
        while (start < total)
        {
            int count = Math.Min(sizes[k++ % sizes.Length], total - start);
            yield return (start, count);
            start += count;
        }
    }
}
