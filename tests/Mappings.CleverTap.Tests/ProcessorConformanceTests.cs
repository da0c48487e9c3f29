using System.Text;
using Mappings.Generated;
using Mappings.Runtime.Dispatch;
using Mappings.Runtime.Json;

namespace Mappings.CleverTap.Tests;

/// <summary>Every processor case of the shared corpora through the library API (one item in, its entries out).</summary>
public sealed class ProcessorConformanceTests
{
    public static TheoryData<string, int> Corpus() => Indexes("conformance/corpus/cases.jsonl");

    public static TheoryData<string, int> Foreign() => Indexes("conformance/foreign/cases.jsonl");

    private static TheoryData<string, int> Indexes(string file)
    {
        var data = new TheoryData<string, int>();
        for (int i = 0; i < ConformanceCases.Load(file).Count; i++) data.Add(file, i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    [MemberData(nameof(Foreign))]
    public void Case_matches_the_reference(string file, int index)
    {
        var c = ConformanceCases.Load(file)[index];
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        var output = new ByteBuffer();
        transformer.TransformItem(c.Input.Span, output);
        string? diff = new JsonComparer().CompareProcessorEntries(c.Expected.Span, output.WrittenSpan);
        Assert.True(diff is null, $"{c} [{string.Join(", ", c.Tags)}]\n{diff}\nactual: {Encoding.UTF8.GetString(output.WrittenSpan)}");
    }
}
