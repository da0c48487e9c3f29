using System.Collections.Immutable;
using CsCheck;
using Mappings.Testing.Json;

namespace Mappings.Testing.Generation;

/// <summary>Which items a generator makes.</summary>
public enum ItemMix
{
    /// <summary>Well-formed items (object with object message, destination and metadata, no <c>__proto__</c>) with hostile values: the adversarial set's kind.</summary>
    GoodOnly,

    /// <summary>Good items and, at <see cref="GeneratorOptions.BadItemPercent"/>, malformed ones (<see cref="BadItems"/> and <see cref="GeneratorOptions.ExtraFaults"/>).</summary>
    Mixed,
}

/// <summary>The knobs of <see cref="RequestGenerator"/>.</summary>
public sealed record GeneratorOptions
{
    public static readonly GeneratorOptions GoodOnly = new();

    public static readonly GeneratorOptions Mixed = new() { Mix = ItemMix.Mixed };

    public ItemMix Mix { get; init; } = ItemMix.GoodOnly;

    /// <summary>Share of malformed items in <see cref="ItemMix.Mixed"/> mode, in percent.</summary>
    public int BadItemPercent { get; init; } = 20;

    /// <summary>Mutations per good item: 0 (the seed as it is) to this many.</summary>
    public int MaxMutations { get; init; } = 4;

    /// <summary>
    /// Extension point: more kinds of malformed items for <see cref="ItemMix.Mixed"/>, each with a
    /// weight next to <see cref="BadItems.Any"/> (weight 10). E.g. a "deep" fault that wraps a field in
    /// 1,001 arrays (D7), or a "huge-output" fault that adds a key such as <c>x.80000000</c> to the
    /// traits (D8). A fault is a <see cref="Mutation"/> of the whole item.
    /// </summary>
    public ImmutableArray<(int Weight, Gen<Mutation> Fault)> ExtraFaults { get; init; } = [];
}

/// <summary>One generated processor request item: its JSON, how its text is laid out, and what was done to it.</summary>
public sealed record GeneratedItem(RawJson Json, JsonLayout Layout, ImmutableArray<string> Tags, bool IsGood)
{
    private byte[]? _utf8;

    /// <summary>The item's JSON text (UTF-8, one line).</summary>
    public byte[] Utf8 => _utf8 ??= Json.ToUtf8(Layout);

    public override string ToString() => $"[{string.Join(", ", Tags)}] {System.Text.Encoding.UTF8.GetString(Utf8)}";
}

/// <summary>A <c>/routerTransform</c> body built from generated items, with the job id each input was given.</summary>
public sealed record GeneratedRouterBody(ImmutableArray<GeneratedItem> Inputs, ImmutableArray<long?> JobIds)
{
    private byte[]? _utf8;

    /// <summary>
    /// Members of the body besides <c>input</c> and <c>destType</c>: odd keys (lone surrogates,
    /// escapes) with hostile values. rudder-server sends none; they must change nothing.
    /// </summary>
    public RawObject Extras { get; init; } = RawObject.Empty;

    /// <summary>
    /// <c>destType</c> first, the extras after <c>input</c> (the service's destType scan then takes
    /// its forward pass); else the extras, <c>input</c>, and <c>destType</c> last, as rudder-server writes it.
    /// </summary>
    public bool DestTypeFirst { get; init; }

    /// <summary>The same inputs as rudder-server writes them: no extras, destType last.</summary>
    public GeneratedRouterBody Plain() => new(Inputs, JobIds);

    /// <summary><c>{"input":[…],"destType":"CLEVERTAP"}</c>, the inputs' texts as they are, with <see cref="Extras"/>.</summary>
    public byte[] Utf8 => _utf8 ??= Write();

    private byte[] Write()
    {
        var body = new MemoryStream();
        // The extras' members, without their object's braces.
        byte[] extras = Extras.ToUtf8();
        var members = extras.AsSpan(1, extras.Length - 2);
        body.WriteByte((byte)'{');
        if (DestTypeFirst) body.Write("\"destType\":\"CLEVERTAP\","u8);
        else if (!members.IsEmpty)
        {
            body.Write(members);
            body.WriteByte((byte)',');
        }
        body.Write("\"input\":["u8);
        for (int i = 0; i < Inputs.Length; i++)
        {
            if (i > 0) body.WriteByte((byte)',');
            body.Write(Inputs[i].Utf8);
        }
        body.WriteByte((byte)']');
        if (!DestTypeFirst) body.Write(",\"destType\":\"CLEVERTAP\""u8);
        else if (!members.IsEmpty)
        {
            body.WriteByte((byte)',');
            body.Write(members);
        }
        body.WriteByte((byte)'}');
        return body.ToArray();
    }

    public override string ToString() => System.Text.Encoding.UTF8.GetString(Utf8);
}

/// <summary>
/// The random-request generator: CsCheck generators of processor request items, processor request
/// bodies and router bodies, made by mutating real-world seed items (<see cref="SeedCorpus"/>) the
/// way the adversarial set describes (<see cref="MessageMutations"/>, <see cref="DestinationMutations"/>),
/// and, in mixed mode, malformed items (<see cref="BadItems"/>). Everything is JSON text: duplicate
/// keys, escapes and number spellings reach the transformer as generated. Generators are pure:
/// the same PCG state gives the same item, so a case is replayed from its seed.
/// </summary>
public sealed class RequestGenerator
{
    public RequestGenerator(SeedCorpus seeds, GeneratorOptions? options = null)
    {
        Seeds = seeds;
        Options = options ?? GeneratorOptions.GoodOnly;
        GoodItem = BuildGoodItem();
        Item = Options.Mix == ItemMix.GoodOnly ? GoodItem : BuildMixedItem();
    }

    public SeedCorpus Seeds { get; }

    public GeneratorOptions Options { get; }

    /// <summary>A well-formed item with 0 to <see cref="GeneratorOptions.MaxMutations"/> mutations.</summary>
    public Gen<GeneratedItem> GoodItem { get; }

    /// <summary>An item as the options say (good only, or mixed).</summary>
    public Gen<GeneratedItem> Item { get; }

    /// <summary>Mutations of a good item: message (most), destination and metadata.</summary>
    public static readonly Gen<Mutation> Mutation = Gen.Frequency(
        (12, MessageMutations.Any), (4, DestinationMutations.Any), (1, DestinationMutations.Metadata));

    /// <summary>Compact text mostly; sometimes spaces and tabs between tokens.</summary>
    public static readonly Gen<JsonLayout> Layout = Gen.Frequency(
        (5, Gen.Const(JsonLayout.Compact)), (1, Gen.Int.Select(seed => new JsonLayout(true, seed))));

    private Gen<GeneratedItem> BuildGoodItem() =>
        from seed in Seeds.Item
        from mutations in Mutation.Array[0, Options.MaxMutations]
        from layout in Layout
        select new GeneratedItem(
            mutations.Aggregate((RawJson)seed.Item, (item, m) => m.Apply(item)),
            layout,
            [seed.Source, .. mutations.Select(m => m.Tag)],
            IsGood: true);

    private Gen<GeneratedItem> BuildMixedItem()
    {
        var faults = Gen.Frequency([(10, (IGen<Mutation>)BadItems.Any), .. Options.ExtraFaults.Select(f => (f.Weight, (IGen<Mutation>)f.Fault))]);
        var bad =
            from good in GoodItem
            from fault in faults
            select good with { Json = fault.Apply(good.Json), Tags = good.Tags.Add(fault.Tag), IsGood = false };
        return Gen.Frequency((100 - Options.BadItemPercent, GoodItem), (Options.BadItemPercent, bad));
    }

    /// <summary>A processor request body's items (<see cref="ProcessorBody"/> writes them).</summary>
    public Gen<GeneratedItem[]> Items(int min, int max) => Item.Array[min, max];

    /// <summary><c>[item, …]</c>: a processor request body of the items' texts.</summary>
    public static byte[] ProcessorBody(IEnumerable<GeneratedItem> items)
    {
        var body = new MemoryStream();
        body.WriteByte((byte)'[');
        bool first = true;
        foreach (var item in items)
        {
            if (!first) body.WriteByte((byte)',');
            body.Write(item.Utf8);
            first = false;
        }
        body.WriteByte((byte)']');
        return body.ToArray();
    }

    /// <summary>
    /// A router body of <paramref name="min"/> to <paramref name="max"/> generated items spread over
    /// 1–5 destinations (taken from the items themselves, so groups form), some with a top-level
    /// <c>context.sources.job_id</c> (a grouping-key part). Every input whose metadata is an object
    /// gets <c>metadata.jobId</c> = its position + 1 (unique), or, with
    /// <paramref name="duplicateJobIds"/>, sometimes the id of an earlier input.
    /// </summary>
    public Gen<GeneratedRouterBody> RouterBody(int min, int max, bool duplicateJobIds = false) =>
        from items in Item.Array[min, max]
        from destinationCount in Gen.Int[1, 5]
        from choices in Gen.Int[0, 7].Array[items.Length]
        from jobSources in Gen.Int[0, 9].Array[items.Length]
        from jobIdPicks in Gen.Int[0, 100].Array[items.Length]
        from extras in Gen.Select(OddKeys.Key, Gen.Frequency((3, HostileValues.ShortScalar), (1, HostileValues.Container))).Array[0, 3]
        from layout in Gen.Int[0, 3]
        select Spread(items, destinationCount, choices, jobSources, duplicateJobIds ? jobIdPicks : null) with
        {
            // One body in four as rudder-server writes it; else with extra members, destType last or first.
            Extras = layout == 0 ? RawObject.Empty : new RawObject([.. extras.Select(m => new RawMember(m.Item1, m.Item2))]),
            DestTypeFirst = layout == 3,
        };

    private static GeneratedRouterBody Spread(GeneratedItem[] items, int destinationCount, int[] choices, int[] jobSources, int[]? duplicates)
    {
        var pool = items.Select(i => i.Json["destination"]).Where(d => d is not null).Take(destinationCount).ToList();
        var inputs = ImmutableArray.CreateBuilder<GeneratedItem>(items.Length);
        var jobIds = ImmutableArray.CreateBuilder<long?>(items.Length);
        for (int i = 0; i < items.Length; i++)
        {
            var item = items[i];
            var json = item.Json;
            var tags = item.Tags;
            // Items keep their own destination 3 times in 8, else take one of the pool's.
            if (json is RawObject && json["destination"] is not null && pool.Count > 0 && choices[i] >= 3)
            {
                json = json.SetAt(["destination"], pool[choices[i] % pool.Count]!);
            }
            if (json is RawObject && jobSources[i] == 0)
            {
                json = json.SetAt(["context", "sources", "job_id"], RawString.Of(i % 2 == 0 ? "job-a" : "job-a,default"));
                tags = tags.Add("router:context.sources.job_id");
            }
            long? jobId = null;
            if (json is RawObject && json["metadata"] is RawObject)
            {
                jobId = duplicates is not null && i > 0 && duplicates[i] < 10 ? jobIds[duplicates[i] % i] ?? i + 1 : i + 1;
                json = json.SetAt(["metadata", "jobId"], RawToken.Number(jobId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            jobIds.Add(jobId);
            inputs.Add(item with { Json = json, Tags = tags });
        }
        return new GeneratedRouterBody(inputs.ToImmutable(), jobIds.ToImmutable());
    }
}
