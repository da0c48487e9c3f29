using Mappings.Runtime.Outcomes;

namespace Mappings.Service.Metrics;

/// <summary>What the transformation endpoints record after a transformation, from the transformer's tally (in its turn, before the transformer goes back to its pool).</summary>
internal static class MetricsHooks
{
    /// <summary>A processor request: its entries when answered 200, its refusals whatever its status.</summary>
    public static void Processor(ServiceMetrics metrics, HttpContext context, EntryTally tally, int status)
    {
        Refusals(metrics, context, tally, ServiceMetrics.Feature.Processor);
        if (status != 200) return;
        string version = context.Request.Path.StartsWithSegments("/v1") ? "v1" : "v0";
        metrics.Processor(tally, version, tally.Reports);
    }

    /// <summary>A router request: its output entries when answered 200, its refusals whatever its status.</summary>
    public static void Router(ServiceMetrics metrics, HttpContext context, EntryTally tally, int status)
    {
        Refusals(metrics, context, tally, ServiceMetrics.Feature.Router);
        if (status == 200) metrics.Router(tally);
    }

    private static void Refusals(ServiceMetrics metrics, HttpContext context, EntryTally tally, ServiceMetrics.Feature feature)
    {
        if (tally.TooDeepRequest) RequestMetrics.Refused(context, RefusalLimit.NestingDepth);
        metrics.ItemRefusals(tally, feature);
    }
}
