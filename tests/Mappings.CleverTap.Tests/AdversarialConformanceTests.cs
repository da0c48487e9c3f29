using System.Text;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Router;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// The adversarial set (mutated real-world messages, conformance/README.md) through the library
/// API: its router bodies and the smallest reproducer of each difference found so far (the
/// processor cases run with the other corpora in <see cref="ProcessorConformanceTests"/>).
/// </summary>
public sealed class AdversarialConformanceTests
{
    private const string RouterFile = "conformance/adversarial/router.jsonl";

    public static TheoryData<int> RouterBodies()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < ConformanceCases.Load(RouterFile).Count; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(RouterBodies))]
    public void Router_body_matches_the_reference(int index)
    {
        var c = ConformanceCases.Load(RouterFile)[index];
        var body = new ByteBuffer();
        body.Append("{\"input\":"u8);
        body.Append(c.Input.Span);
        body.Append(",\"destType\":\"CLEVERTAP\"}"u8);
        var output = new ByteBuffer();
        int status = new RouterTransformer(CleverTapMapper.Instance).Transform(body.WrittenSpan, output);
        Assert.Equal(200, status);
        string? diff = RouterComparer.Compare(c.Expected, output.WrittenMemory.ToArray());
        Assert.True(diff is null, $"{c} [{string.Join(", ", c.Tags)}]: {diff}");
    }

    public static TheoryData<int> Reproducers()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Reproducer.All.Count; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Reproducers))]
    public void Reproducer_gets_the_reference_answer(int index)
    {
        var r = Reproducer.All[index];
        var output = new ByteBuffer();
        string? diff;
        if (r.Mode == "router")
        {
            int status = new RouterTransformer(CleverTapMapper.Instance).Transform(r.Input.Span, output);
            Assert.Equal(200, status);
            diff = RouterComparer.Compare(r.Expected, output.WrittenMemory.ToArray());
        }
        else
        {
            new ProcessorTransformer(CleverTapMapper.Instance).TransformItem(r.Input.Span, output);
            diff = new JsonComparer().CompareProcessorEntries(r.Expected.Span, output.WrittenSpan);
        }
        Assert.True(diff is null, $"reproducer {r.Id} ({r.Kind}): {diff}\nactual: {Encoding.UTF8.GetString(output.WrittenSpan)}");
    }
}
