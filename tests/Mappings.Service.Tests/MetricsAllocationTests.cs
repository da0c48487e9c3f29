using System.Text;
using Mappings.Runtime.Json;
using Mappings.Runtime.Outcomes;
using Mappings.Service.Metrics;

namespace Mappings.Service.Tests;

/// <summary>
/// Recording a request allocates nothing once its series exist: the HTTP histograms, and a
/// processor or router answer's counts — here a tally as the load test's processor body leaves it
/// (100 entries with 100 different id pairs: 63 rows of their own, the rest under "other") and one
/// whose ids are all the same. The lookups of the series by label values allocate only the first
/// time a label set is seen.
/// </summary>
public sealed class MetricsAllocationTests
{
    [Theory]
    [InlineData(100)]
    [InlineData(1)]
    public void Recording_a_request_allocates_nothing_once_its_series_exist(int distinctIds)
    {
        using var metrics = new ServiceMetrics("CLEVERTAP", runtimeMetrics: false);
        var heap = new JsHeap();
        var tally = new EntryTally();
        var json = new StringBuilder("[");
        for (int i = 0; i < 100; i++)
        {
            if (i > 0) json.Append(',');
            int id = i % distinctIds;
            json.Append($$"""{"destinationId":"2Abc{{id}}DestinationKsuid","workspaceId":"ws{{id % 7}}","sourceType":"web","destinationType":"CLEVERTAP","namespace":"prod"}""");
        }
        json.Append(']');
        int items = heap.Parse(Encoding.UTF8.GetBytes(json.ToString()));
        for (int i = 0; i < 100; i++)
        {
            if (i % 10 == 0) tally.Failed(heap, heap.ArrayElement(items, i), Runtime.Protocol.EventError.Instrumentation("bad event"));
            else tally.Succeeded(heap, heap.ArrayElement(items, i), entries: 1 + i % 2);
        }

        void Record()
        {
            metrics.ObserveHttp(HttpRoute.ProcessorV0, "POST", 200, HttpDestType.Ours, 200_000, 100_000, 0.004);
            metrics.ItemRefusals(tally, ServiceMetrics.Feature.Processor);
            metrics.Processor(tally, "v0", items: 100);
            metrics.ObserveHttp(HttpRoute.Router, "POST", 200, HttpDestType.Ours, 2_000_000, 1_000_000, 0.04);
            metrics.ItemRefusals(tally, ServiceMetrics.Feature.Router);
            metrics.Router(tally);
        }

        // Warm: the first calls make the series and whatever they use lazily.
        for (int i = 0; i < 5; i++) Record();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Record();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
