using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>
/// What happens to an item before the destination's mapping (processor and router alike):
/// finding its message, destination, config; a message that is not an object counts as an empty
/// one (spec §14.1); dynamic config templates are resolved (spec §10.5). A missing config is not
/// an error yet: the message type is checked first (spec §14.13.1), then the mapping asks for the
/// config (<see cref="EventContext.RequireConfig"/>).
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
        context.Config = heap.TypeOf(context.Destination) == JsType.Object
            ? heap.GetOwn(context.Destination, ProtocolNames.ConfigKey.Utf8)
            : JsHeap.Undefined;
        return DynamicConfig.Resolve(context, out error);
    }
}
