using System.Text;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;

namespace Mappings.CleverTap.Tests;

/// <summary>Every processor case of the shared corpora through the library API (one item in, its entries out).</summary>
public sealed class ProcessorConformanceTests
{
    public static TheoryData<string, int> Corpus() => Indexes("conformance/corpus/cases.jsonl");

    public static TheoryData<string, int> Foreign() => Indexes("conformance/foreign/cases.jsonl");

    public static TheoryData<string, int> Adversarial() => Indexes("conformance/adversarial/cases.jsonl");

    private static TheoryData<string, int> Indexes(string file)
    {
        var data = new TheoryData<string, int>();
        for (int i = 0; i < ConformanceCases.Load(file).Count; i++) data.Add(file, i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    [MemberData(nameof(Foreign))]
    [MemberData(nameof(Adversarial))]
    public void Case_matches_the_reference(string file, int index)
    {
        var c = ConformanceCases.Load(file)[index];
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        var output = new ByteBuffer();
        transformer.TransformItem(c.Input.Span, output);
        string? diff = new JsonComparer().CompareProcessorEntries(c.Expected.Span, output.WrittenSpan);
        Assert.True(diff is null, $"{c} [{string.Join(", ", c.Tags)}]\n{diff}\nactual: {Encoding.UTF8.GetString(output.WrittenSpan)}");
    }

    /// <summary>
    /// The service's way: one transformer for every item, so an item repeating the previous one's
    /// destination reuses its index (each case runs three times in a row: the first keeps the
    /// destination's bytes, the second its index, the third reuses it).
    /// </summary>
    [Theory]
    [InlineData("conformance/corpus/cases.jsonl")]
    [InlineData("conformance/foreign/cases.jsonl")]
    public void Cases_in_one_transformer_match_the_reference(string file)
    {
        var cases = ConformanceCases.Load(file);
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        var output = new ByteBuffer();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            for (int run = 0; run < 3; run++)
            {
                output.Clear();
                transformer.TransformItem(c.Input.Span, output);
                string? diff = new JsonComparer().CompareProcessorEntries(c.Expected.Span, output.WrittenSpan);
                if (diff is not null) failures.Add($"{c} (run {run + 1}): {diff}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures, first: {string.Join("\n", failures.Take(3))}");
        // Most items have an object destination without escapes: all of those reused it.
        Assert.True(transformer.Context.Heap.ReusedValues > cases.Count / 2, $"reused {transformer.Context.Heap.ReusedValues} of {cases.Count}");
    }
}
