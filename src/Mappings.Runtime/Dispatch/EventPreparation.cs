using Mappings.Runtime.Json;

namespace Mappings.Runtime.Dispatch;

/// <summary>
/// What happens to an item before the destination's mapping (processor and router alike):
/// finding its message, destination, config; a message that is not an object counts as an empty
/// one (spec §14.1); a missing config fails the event (D1, configuration error); dynamic config
/// templates are resolved (spec §10.5).
/// </summary>
public static class EventPreparation
{
    public static bool Prepare(EventContext context, out EventError error)
    {
        var heap = context.Heap;
        int root = context.Item;
        int message = heap.GetOwn(root, ProtocolNames.MessageKey.Utf8);
        context.Message = heap.TypeOf(message) == JsType.Object ? message : heap.NewObject();
        context.Destination = heap.GetOwn(root, ProtocolNames.Destination.Utf8);
        int config = heap.TypeOf(context.Destination) == JsType.Object
            ? heap.GetOwn(context.Destination, ProtocolNames.ConfigKey.Utf8)
            : JsHeap.Undefined;
        if (heap.IsNullish(config))
        {
            error = EventError.Configuration("destination.Config is required: the event's destination has no Config object");
            return false;
        }
        context.Config = config;
        DynamicConfig.Resolve(context);
        error = default;
        return true;
    }
}
