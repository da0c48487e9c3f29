using System.Text;
using System.Text.Json;
using CsCheck;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Testing.Generation;
using Mappings.Testing.Json;
using Mappings.Testing.Properties;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// The random-request generator and the invariant checks of tests/Mappings.Testing: the generator is
/// deterministic and replayable, writes valid one-line JSON text without re-serialising its seeds,
/// reaches the rules it is meant to reach; the checks catch what they are meant to catch.
/// </summary>
public sealed class GeneratorTests
{
    private static readonly RequestGenerator Good = PropertyCases.Good;

    [Fact]
    public void The_same_seed_gives_the_same_bytes_and_a_case_seed_replays_its_case()
    {
        var first = GeneratedCases.Generate(Good.Item, 300, 42, PropertyCases.ItemStream);
        var second = GeneratedCases.Generate(Good.Item, 300, 42, PropertyCases.ItemStream);
        for (int i = 0; i < first.Count; i++) Assert.Equal(first[i].Value.Utf8, second[i].Value.Utf8);
        var replayed = GeneratedCases.Generate(Good.Item, 1, 0, PropertyCases.ItemStream, replay: first[123].Seed);
        Assert.Equal(first[123].Value.Utf8, Assert.Single(replayed).Value.Utf8);
        Assert.Empty(GeneratedCases.Generate(Good.Item, 1, 0, PropertyCases.RouterStream, replay: first[123].Seed));
        Assert.NotEqual(first[0].Value.Utf8, GeneratedCases.Generate(Good.Item, 1, 43, PropertyCases.ItemStream)[0].Value.Utf8);
    }

    [Fact]
    public void Seeds_are_written_back_byte_for_byte()
    {
        // The foreign inputs are compact one-line JSON: reading and writing them changes no byte.
        foreach (var c in ConformanceCases.Load("conformance/foreign/cases.jsonl").Take(500))
        {
            Assert.Equal(c.Input.ToArray(), RawJson.Parse(c.Input.Span).ToUtf8());
        }
        Assert.True(SeedCorpus.Shared.Items.Count > 2_000, $"{SeedCorpus.Shared.Items.Count} seeds");
        Assert.Contains(SeedCorpus.Shared.Items, s => s.Source.StartsWith("reference:", StringComparison.Ordinal));
    }

    [Fact]
    public void Generated_text_is_one_line_of_valid_JSON_with_the_hostile_spellings()
    {
        var cases = PropertyCases.Items.Take(3_000).ToList();
        int duplicates = 0, escapes = 0, infinities = 0, loneSurrogates = 0, spaced = 0;
        foreach (var c in cases)
        {
            byte[] text = c.Value.Utf8;
            Assert.DoesNotContain((byte)'\n', text);
            var reader = new Utf8JsonReader(text, new JsonReaderOptions { MaxDepth = 10_000 });
            reader.Read();
            reader.Skip();
            Assert.Equal(text.Length, (int)reader.BytesConsumed);
            string s = Encoding.UTF8.GetString(text);
            if (c.Value.Tags.Any(t => t.StartsWith("dup-key", StringComparison.Ordinal))) duplicates++;
            if (s.Contains("\\u0061", StringComparison.Ordinal) || s.Contains("\\u0065", StringComparison.Ordinal)) escapes++;
            if (s.Contains("1e309", StringComparison.Ordinal)) infinities++;
            if (s.Contains("\\ud800", StringComparison.OrdinalIgnoreCase)) loneSurrogates++;
            if (c.Value.Layout.Spaced) spaced++;
        }
        Assert.True(duplicates > 30 && escapes > 30 && infinities > 30 && loneSurrogates > 30 && spaced > 100,
            $"duplicates {duplicates}, escapes {escapes}, 1e309 {infinities}, lone surrogates {loneSurrogates}, spaced {spaced}");
    }

    [Fact]
    public void Generated_items_reach_successes_errors_and_device_tokens()
    {
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        var buffer = new ByteBuffer();
        int ok = 0, failed = 0, twoEntries = 0;
        var tags = new HashSet<string>();
        foreach (var c in PropertyCases.Items.Take(3_000))
        {
            buffer.Clear();
            if (transformer.TransformItem(c.Value.Utf8, buffer) == ItemOutcome.Succeeded) ok++;
            else failed++;
            if (JsonSlices.Elements(buffer.WrittenMemory).Count == 2) twoEntries++;
            foreach (string tag in c.Value.Tags) tags.Add(tag.Split(':')[0]);
        }
        Assert.True(ok > 900 && failed > 300 && twoEntries > 30, $"{ok} succeeded, {failed} failed, {twoEntries} with two entries");
        foreach (string kind in new[] { "set", "ts", "type", "event", "products", "delete", "container", "custom", "dup-key", "literal-dotted",
            "json", "override", "device", "message", "cfg", "destination", "metadata" })
        {
            Assert.Contains(kind, tags);
        }
    }

    [Fact]
    public void Mixed_mode_makes_every_kind_of_bad_item()
    {
        var cases = GeneratedCases.Generate(PropertyCases.Mixed.Item, 2_000, 7, PropertyCases.MixedItemStream);
        var bad = cases.Where(c => !c.Value.IsGood).ToList();
        Assert.InRange(bad.Count, 250, 550);
        Assert.Contains(bad, c => c.Value.Json is not RawObject);
        Assert.Contains(bad, c => c.Value.Json is RawObject o && o.Get("metadata") is null);
        Assert.Contains(bad, c => c.Value.Json is RawObject o && o.Get("message") is RawToken);
        Assert.Contains(bad, c => Encoding.UTF8.GetString(c.Value.Utf8).Contains("\\u005f_proto__", StringComparison.Ordinal));
        Assert.DoesNotContain(cases.Where(c => c.Value.IsGood), c => Encoding.UTF8.GetString(c.Value.Utf8).Contains("proto__", StringComparison.Ordinal));
    }

    [Fact]
    public void Router_bodies_give_their_inputs_unique_job_ids_or_duplicates_when_asked()
    {
        var body = PropertyCases.Good.RouterBody(30, 30).Generate(new PCG(2, 5), null, out _);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long?)i), body.JobIds);
        var withDuplicates = Enumerable.Range(0, 20).Select(i => PropertyCases.Good.RouterBody(30, 30, duplicateJobIds: true).Generate(new PCG(2, (ulong)i), null, out _));
        Assert.Contains(withDuplicates, b => b.JobIds.Distinct().Count() < b.JobIds.Length);
        using var doc = JsonDocument.Parse(body.Utf8);
        Assert.Equal(30, doc.RootElement.GetProperty("input").GetArrayLength());
    }

    [Theory]
    [InlineData("""[{"statusCode":200,"output":{},"metadata":{"jobId":2}}]""", "metadata")]
    [InlineData("""[{"statusCode":200,"output":{}}]""", "metadata missing")]
    [InlineData("""[]""", "expected 1 entry")]
    [InlineData("""[{"statusCode":400,"error":"e","statTags":{},"metadata":{"jobId":1}},{"statusCode":400,"error":"e","statTags":{},"metadata":{"jobId":1}}]""", "not both 200")]
    [InlineData("""[{"statusCode":400,"error":"","statTags":{},"metadata":{"jobId":1}}]""", "non-empty error")]
    [InlineData("""[{"statusCode":400,"error":"e","metadata":{"jobId":1}}]""", "statTags")]
    [InlineData("""[{"statusCode":"200","output":{},"metadata":{"jobId":1}}]""", "numeric statusCode")]
    [InlineData("""[{"statusCode":200,"output":{},"error":"x","metadata":{"jobId":1}}]""", "with an error")]
    [InlineData("""{"statusCode":200}""", "not a JSON array")]
    public void The_outcome_check_catches_a_wrong_answer(string answer, string expected)
    {
        var item = RawJson.Parse("""{"message":{},"metadata":{"jobId":1},"destination":{}}"""u8);
        string? problem = ProcessorInvariants.CheckOutcome(item, Encoding.UTF8.GetBytes(answer));
        Assert.NotNull(problem);
        Assert.Contains(expected, problem);
    }

    [Theory]
    [InlineData("""{"message":{},"metadata":{"jobId":1,"w":1e309,"a":1,"a":2},"destination":{}}""", """[{"statusCode":200,"output":{},"metadata":{"a":2,"w":null,"jobId":1}}]""")]
    [InlineData("""{"message":{},"metadata":{"jobId":1,"workspaceId":"w"},"destination":{"Config":{"x":"{{ metadata.workspaceId || d }}"}}}""", """[{"statusCode":400,"error":"e","statTags":{},"metadata":{"jobId":1}}]""")]
    [InlineData("""{"message":{},"destination":{}}""", """[{"statusCode":400,"error":"e","statTags":{}}]""")]
    [InlineData("""5""", """[{"statusCode":400,"error":"e","statTags":{}}]""")]
    public void The_outcome_check_reads_metadata_as_JavaScript_does(string item, string answer) =>
        Assert.Null(ProcessorInvariants.CheckOutcome(RawJson.Parse(Encoding.UTF8.GetBytes(item)), Encoding.UTF8.GetBytes(answer)));

    [Fact]
    public void The_router_check_catches_a_lost_or_repeated_job()
    {
        var body = new GeneratedRouterBody([], [1, 2, null]);
        const string ok = """{"output":[{"statusCode":200,"metadata":[{"jobId":1},{"jobId":2}]},{"statusCode":400,"error":"e","metadata":[]}]}""";
        Assert.Null(RouterInvariants.CheckJobs(body, Encoding.UTF8.GetBytes(ok)));
        Assert.Contains("job 2 appears 0", RouterInvariants.CheckJobs(body, """{"output":[{"statusCode":200,"metadata":[{"jobId":1}]},{"statusCode":400,"error":"e","metadata":[]}]}"""u8.ToArray()));
        Assert.Contains("job 1 appears 2", RouterInvariants.CheckJobs(body, """{"output":[{"statusCode":200,"metadata":[{"jobId":1},{"jobId":2}]},{"statusCode":400,"error":"e","metadata":[{"jobId":1}]},{"statusCode":400,"error":"e","metadata":[]}]}"""u8.ToArray()));
        Assert.Contains("empty metadata", RouterInvariants.CheckJobs(body, """{"output":[{"statusCode":200,"metadata":[{"jobId":1},{"jobId":2}]}]}"""u8.ToArray()));
    }

    [Fact]
    public void The_shrinker_keeps_only_what_the_failure_needs()
    {
        var value = RawJson.Parse("""{"a":{"b":1,"c":"a long string here"},"d":[1,2,{"e":3}],"f":"g"}"""u8);
        var smallest = Shrinker.Shrink(value, v => v.At("a", "b") is not null);
        Assert.Equal("""{"a":{"b":1}}""", smallest.ToString());
    }
}
