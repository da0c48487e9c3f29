using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// The hot path allocates nothing per event once warm: after one pass over the corpora (which grows
/// every pooled buffer to its working size), a second pass over every success case allocates 0 bytes.
/// </summary>
public sealed class AllocationTests
{
    [Fact]
    public void Success_paths_allocate_nothing_once_warm()
    {
        var cases = ConformanceCases.Load("conformance/corpus/cases.jsonl")
            .Concat(ConformanceCases.Load("conformance/foreign/cases.jsonl"))
            .ToList();
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        var output = new ByteBuffer(1 << 20);

        // Warm-up: JIT, static tables, pooled buffers at their largest.
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (var c in cases)
            {
                output.Clear();
                transformer.TransformItem(c.Input.Span, output);
            }
        }

        var allocating = new List<string>();
        int measured = 0;
        foreach (var c in cases)
        {
            // The smallest of three measurements: a real per-event allocation shows up every time, a
            // one-off runtime effect (a pooled array trimmed by a GC that parallel tests triggered) does not.
            long allocated = long.MaxValue;
            var outcome = ItemOutcome.Succeeded;
            for (int attempt = 0; attempt < 3 && allocated != 0 && outcome == ItemOutcome.Succeeded; attempt++)
            {
                output.Clear();
                long before = GC.GetAllocatedBytesForCurrentThread();
                outcome = transformer.TransformItem(c.Input.Span, output);
                allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            if (outcome != ItemOutcome.Succeeded) continue; // error paths may allocate
            measured++;
            if (allocated != 0) allocating.Add($"{c} [{string.Join(",", c.Tags.Where(t => t.StartsWith("kind:")))}]: {allocated} bytes");
        }

        Assert.True(measured > 2000, $"only {measured} success cases were measured");
        Assert.True(allocating.Count == 0, $"{allocating.Count} of {measured} success events allocated:\n" + string.Join("\n", allocating.Take(30)));
    }

    [Fact]
    public void Many_events_of_each_kind_allocate_nothing_in_total()
    {
        var cases = ConformanceCases.Load("conformance/corpus/cases.jsonl");
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance);
        var output = new ByteBuffer(1 << 20);
        foreach (var kind in new[] { "kind:identify", "kind:track", "kind:page", "kind:screen", "kind:alias" })
        {
            var ofKind = cases.Where(c => c.Tags.Contains(kind)).ToList();
            // Keep only the ones that succeed.
            ofKind = ofKind.Where(c => { output.Clear(); return transformer.TransformItem(c.Input.Span, output) == ItemOutcome.Succeeded; }).ToList();
            Assert.NotEmpty(ofKind);
            for (int i = 0; i < 3; i++) foreach (var c in ofKind) { output.Clear(); transformer.TransformItem(c.Input.Span, output); }

            long allocated = long.MaxValue;
            for (int attempt = 0; attempt < 3 && allocated != 0; attempt++) // smallest of three, as above
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int round = 0; round < 20; round++)
                {
                    foreach (var c in ofKind)
                    {
                        output.Clear();
                        transformer.TransformItem(c.Input.Span, output);
                    }
                }
                allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.True(allocated == 0, $"{kind}: {20 * ofKind.Count} events allocated {allocated} bytes");
        }
    }
}
