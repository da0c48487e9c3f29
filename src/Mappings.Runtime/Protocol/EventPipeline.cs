using Mappings.Runtime.Js;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>
/// One event's way through a destination, shared by the processor and the router: the D6 check,
/// preparation (message, config, dynamic config), the generated mapping, and the endpoint of its
/// requests. Every failure becomes the context's error; nothing escapes as an exception.
/// </summary>
public static class EventPipeline
{
    /// <summary>Maps the context's item; true with records (and <see cref="EventContext.Endpoint"/>) or false with an error.</summary>
    public static bool Run(EventContext context, DestinationMapper destination) => Run(context, destination, entries: null);

    /// <summary>
    /// <see cref="Run(EventContext, DestinationMapper)"/> for the processor: when <paramref name="entries"/>
    /// already holds the request head of this config, whose endpoint was computed from the same
    /// config without failing, the endpoint is not computed again (it is left undefined).
    /// </summary>
    internal static bool Run(EventContext context, DestinationMapper destination, ProcessorEntryWriter? entries)
    {
        var heap = context.Heap;
        context.Metadata = heap.TypeOf(context.Item) == JsType.Object ? heap.GetOwn(context.Item, ProtocolNames.Metadata.Utf8) : JsHeap.Undefined;
        if (heap.IsTooDeep(context.Item))
        {
            // D7: the parts nested too deep were not read (empty containers stand in for them);
            // the metadata is echoed all the same, so that the job is answered.
            return context.Fail(EventError.Instrumentation(ProtocolNames.TooDeepError));
        }
        if (context.HasForbiddenKey) return context.Fail(EventError.Instrumentation(ProtocolNames.ProtoError));
        if (heap.TypeOf(context.Item) != JsType.Object) return context.Fail(EventError.Instrumentation("The request item must be a JSON object"));
        if (!EventPreparation.Prepare(context, out var error)) return context.Fail(error);
        try
        {
            if (!destination.Map(context)) return false;
            if (entries is null || !entries.HasHeadFor(heap, context.Config)) context.Endpoint = destination.Endpoint(heap, context.Config);
            return true;
        }
        catch (JsTypeError e)
        {
            return context.Fail(EventError.Instrumentation(e.Message));
        }
    }
}
