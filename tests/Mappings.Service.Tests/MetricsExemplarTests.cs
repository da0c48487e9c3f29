using System.Diagnostics;
using System.Text;
using Mappings.Runtime.Json;
using Mappings.Runtime.Outcomes;
using Mappings.Service.Metrics;
using Prometheus;

namespace Mappings.Service.Tests;

/// <summary>
/// Observations made while a request's Activity is current record no exemplar (prometheus-net
/// would otherwise build one from the trace context on every observation, for a format that
/// /metrics never serves): even the OpenMetrics export, which would show them, has none.
/// </summary>
public sealed class MetricsExemplarTests
{
    [Fact]
    public async Task Observations_during_a_traced_request_record_no_exemplars()
    {
        using var metrics = new ServiceMetrics("CLEVERTAP", runtimeMetrics: false);
        var heap = new JsHeap();
        int metadata = heap.Parse("""{"destinationId":"d1","workspaceId":"w1","sourceType":"web"}"""u8);
        var tally = new EntryTally();
        tally.Succeeded(heap, metadata, entries: 2);

        using (var activity = new Activity("request").Start())
        {
            Assert.NotEqual(default, Activity.Current!.TraceId);
            metrics.ObserveHttp(HttpRoute.ProcessorV0, "POST", 200, HttpDestType.Ours, 100, 200, 0.01);
            metrics.Processor(tally, "v0", items: 1);
        }

        using var exported = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(exported, ExpositionFormat.OpenMetricsText);
        string text = Encoding.UTF8.GetString(exported.ToArray());
        Assert.Contains("event_transform_success", text);
        Assert.Contains("http_request_duration", text);
        Assert.DoesNotContain("trace_id", text);
        Assert.DoesNotContain("span_id", text);
    }
}
