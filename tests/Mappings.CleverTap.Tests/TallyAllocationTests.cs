using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Outcomes;
using Mappings.Runtime.Router;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// With the metrics' <see cref="EntryTally"/> attached, as the service runs them, the transformers
/// still allocate nothing per event once warm, and a whole request (successes and errors, whose
/// messages may allocate) allocates exactly what it allocates without one; the tally counts every
/// entry.
/// </summary>
public sealed class TallyAllocationTests
{
    [Fact]
    public void Processor_items_with_a_tally_allocate_nothing_once_warm()
    {
        var cases = ConformanceCases.Load("conformance/corpus/cases.jsonl");
        var tally = new EntryTally();
        var transformer = new ProcessorTransformer(CleverTapMapper.Instance) { Tally = tally };
        var output = new ByteBuffer(1 << 20);
        var succeeding = cases.Where(c =>
        {
            output.Clear();
            tally.Reset();
            return transformer.TransformItem(c.Input.Span, output) == ItemOutcome.Succeeded;
        }).ToList();
        Assert.True(succeeding.Count > 500, $"only {succeeding.Count} success cases");
        for (int pass = 0; pass < 2; pass++) Run();

        long allocated = long.MaxValue;
        for (int attempt = 0; attempt < 3 && allocated != 0; attempt++) // the smallest of three (see AllocationTests)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Run();
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(allocated == 0, $"{succeeding.Count} events with a tally allocated {allocated} bytes");

        void Run()
        {
            foreach (var c in succeeding)
            {
                output.Clear();
                tally.Reset();
                transformer.TransformItem(c.Input.Span, output);
            }
        }
    }

    [Fact]
    public void Whole_requests_allocate_with_a_tally_what_they_allocate_without_and_every_entry_is_counted()
    {
        var cases = ConformanceCases.Load("conformance/corpus/cases.jsonl");
        byte[] processorBody = Body("[", cases.Take(300).Select(c => c.Input), "]");
        byte[] routerBody = Body("{\"destType\":\"CLEVERTAP\",\"input\":", [ConformanceCases.Load("conformance/corpus/router.jsonl")[3].Input], "}");
        var processorTally = new EntryTally();
        var routerTally = new EntryTally();
        var processor = new ProcessorTransformer(CleverTapMapper.Instance) { Tally = processorTally };
        var router = new RouterTransformer(CleverTapMapper.Instance) { Tally = routerTally };
        var output = new ByteBuffer(1 << 22);

        for (int pass = 0; pass < 3; pass++) Run();
        long with = Measure();
        processor.Tally = null;
        router.Tally = null;
        for (int pass = 0; pass < 3; pass++) Run();
        long without = Measure();
        Assert.True(with == without, $"a processor and a router request allocated {with} bytes with tallies, {without} without");
        processor.Tally = processorTally;
        router.Tally = routerTally;

        // Every entry of each answer is in its tally, once.
        output.Clear();
        Assert.Equal(200, processor.TransformRequest(processorBody, output));
        int processorEntries = System.Text.Json.JsonDocument.Parse(output.WrittenMemory).RootElement.GetArrayLength();
        Assert.Equal(processorEntries, processorTally.Entries);
        Assert.Equal(300, processorTally.Reports);
        Assert.Equal(processorEntries, Sum(processorTally));
        output.Clear();
        Assert.Equal(200, router.Transform(routerBody, output));
        int routerEntries = System.Text.Json.JsonDocument.Parse(output.WrittenMemory).RootElement.GetProperty("output").GetArrayLength();
        Assert.Equal(routerEntries, routerTally.Entries);
        Assert.Equal(routerEntries, Sum(routerTally));

        long Measure()
        {
            long allocated = long.MaxValue;
            for (int attempt = 0; attempt < 5; attempt++) // the smallest of five (see AllocationTests)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                Run();
                allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            return allocated;
        }

        void Run()
        {
            output.Clear();
            processor.TransformRequest(processorBody, output);
            output.Clear();
            router.Transform(routerBody, output);
        }
    }

    private static int Sum(EntryTally tally)
    {
        int sum = 0;
        for (int i = 0; i < tally.RowCount; i++)
        {
            ref readonly var row = ref tally.Row(i);
            sum += row.Succeeded + row.FailedInstrumentation + row.FailedConfiguration;
        }
        return sum;
    }

    private static byte[] Body(string open, IEnumerable<ReadOnlyMemory<byte>> items, string close)
    {
        var body = new ByteBuffer();
        body.Append(System.Text.Encoding.UTF8.GetBytes(open));
        bool first = true;
        foreach (var item in items)
        {
            if (!first) body.Append((byte)',');
            body.Append(item.Span);
            first = false;
        }
        body.Append(System.Text.Encoding.UTF8.GetBytes(close));
        return body.WrittenSpan.ToArray();
    }
}
