using Mappings.Runtime.Js;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Dispatch;

/// <summary>
/// Dynamic config templates (spec §10.5, §14.9): every string in <c>destination.Config</c> (at any
/// depth) of the form <c>{{ path || default }}</c>, path matching
/// <c>^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$</c>, is replaced by the event's value at that path
/// (<c>event.</c> means <c>message.</c>), and the path is deleted from the event; when the value
/// is null or absent the default is used, with every <c>"</c> removed and trimmed. Skipped when
/// <c>destination.hasDynamicConfig</c> is exactly false.
/// </summary>
public static class DynamicConfig
{
    private static ReadOnlySpan<byte> Open => "{{"u8;
    private static ReadOnlySpan<byte> EventPrefix => "event."u8;
    private static ReadOnlySpan<byte> MessagePrefix => "message."u8;

    /// <summary>Resolves the templates of the context's config, updating item, message, destination and config.</summary>
    public static void Resolve(EventContext context)
    {
        var heap = context.Heap;
        if (heap.TypeOf(context.Destination) != JsType.Object) return;
        if (heap.GetOwn(context.Destination, ProtocolNames.HasDynamicConfig.Utf8) == JsHeap.False) return;
        if (!heap.IsContainer(context.Config) || !MayHoldTemplate(heap, context.Config)) return;

        int config = ResolveValue(context, context.Config);
        if (config == context.Config) return;
        int destination = heap.MakeMutable(context.Destination);
        heap.Set(destination, ProtocolNames.ConfigKey, config);
        int item = heap.MakeMutable(context.Item);
        heap.Set(item, ProtocolNames.Destination, destination);
        context.Item = item;
        context.Destination = destination;
        context.Config = config;
    }

    private static bool MayHoldTemplate(JsHeap heap, int container)
    {
        var raw = heap.RawText(container);
        // Braces may also be written as \u escapes; then look value by value.
        return raw.IsEmpty || raw.IndexOf(Open) >= 0 || raw.IndexOf("\\u"u8) >= 0;
    }

    private static int ResolveValue(EventContext context, int value)
    {
        var heap = context.Heap;
        switch (heap.TypeOf(value))
        {
            case JsType.String:
                return TryResolveTemplate(context, value, out int resolved) ? resolved : value;
            case JsType.Object:
            case JsType.Array:
            {
                int copy = -1;
                var keys = heap.Keys(value);
                for (int i = 0; i < keys.Count; i++)
                {
                    int m = heap.KeyMember(in keys, i);
                    int child = heap.MemberValue(m);
                    int next = ResolveValue(context, child);
                    if (next == child) continue;
                    if (copy < 0) copy = heap.MakeMutable(value);
                    heap.Set(copy, heap.MemberKey(m), next);
                }
                heap.EndKeys(in keys);
                return copy < 0 ? value : copy;
            }
            default:
                return value;
        }
    }

    private static bool TryResolveTemplate(EventContext context, int value, out int resolved)
    {
        resolved = value;
        var heap = context.Heap;
        // The reference trims the string before testing its form.
        var text = JsConvert.Trim(heap.StringBytes(value));
        if (text.Length < 4 || !text.StartsWith(Open) || !text.EndsWith("}}"u8)) return false;
        var inner = text[2..^2];
        int bars = inner.IndexOf("||"u8);
        if (bars < 0) return false;
        var path = JsConvert.Trim(inner[..bars]);
        if (!IsPath(path)) return false;
        var fallback = JsConvert.Trim(inner[(bars + 2)..]);

        var scratch = heap.RentBuffer();
        if (path.StartsWith(EventPrefix))
        {
            scratch.Append(MessagePrefix);
            scratch.Append(path[EventPrefix.Length..]);
        }
        else
        {
            scratch.Append(path);
        }
        var lookup = scratch.WrittenSpan;
        int found = heap.Get(context.Item, lookup);
        // The path is deleted from the event only when its value "has values" (not null, not
        // empty, not made only of empty strings, arrays and objects).
        if (!heap.IsNullish(found) && HasValues(heap, found))
        {
            // The path may name any part of the event (message.x, metadata.x, even message).
            context.Item = DeletePath(heap, context.Item, lookup);
            int message = heap.GetOwn(context.Item, ProtocolNames.MessageKey.Utf8);
            context.Message = heap.TypeOf(message) == JsType.Object ? message : heap.NewObject();
            context.Metadata = heap.GetOwn(context.Item, ProtocolNames.Metadata.Utf8);
        }
        heap.ReturnBuffer();

        if (!heap.IsNullish(found))
        {
            resolved = found;
            return true;
        }
        // The default with every '"' removed, then trimmed.
        var cleaned = heap.RentBuffer();
        foreach (byte b in fallback)
        {
            if (b != (byte)'"') cleaned.Append(b);
        }
        resolved = heap.NewString(JsConvert.Trim(cleaned.WrittenSpan));
        heap.ReturnBuffer();
        return true;
    }

    /// <summary>
    /// The reference's "has values" test: true for booleans, numbers, null and functions; a string
    /// when non-empty; an array or object when one of its values has values.
    /// </summary>
    private static bool HasValues(JsHeap heap, int value)
    {
        switch (heap.TypeOf(value))
        {
            case JsType.Undefined:
                return false;
            case JsType.String:
                return heap.StringBytes(value).Length != 0;
            case JsType.Object:
            case JsType.Array:
            {
                var keys = heap.Keys(value);
                bool any = false;
                for (int i = 0; i < keys.Count && !any; i++) any = HasValues(heap, heap.MemberValue(heap.KeyMember(in keys, i)));
                heap.EndKeys(in keys);
                return any;
            }
            default:
                return true;
        }
    }

    /// <summary><c>^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$</c> with ASCII word characters.</summary>
    private static bool IsPath(ReadOnlySpan<byte> path)
    {
        bool atStart = true;
        foreach (byte b in path)
        {
            bool letter = b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or (byte)'_';
            bool digit = b is >= (byte)'0' and <= (byte)'9';
            if (atStart)
            {
                if (!letter) return false;
                atStart = false;
            }
            else if (b == '.')
            {
                atStart = true;
            }
            else if (!letter && !digit)
            {
                return false;
            }
        }
        return !atStart;
    }

    /// <summary>Deletes the property at a dotted path (copying the containers on the way). Returns the new root.</summary>
    private static int DeletePath(JsHeap heap, int container, ReadOnlySpan<byte> path)
    {
        if (!heap.IsContainer(container)) return container;
        int dot = path.IndexOf((byte)'.');
        if (dot < 0)
        {
            if (heap.GetOwn(container, path) == JsHeap.Undefined) return container;
            int copy = heap.MakeMutable(container);
            heap.Delete(copy, path);
            return copy;
        }
        var head = path[..dot];
        int child = heap.GetOwn(container, head);
        int next = DeletePath(heap, child, path[(dot + 1)..]);
        if (next == child) return container;
        int result = heap.MakeMutable(container);
        heap.Set(result, heap.NewKey(head), next);
        return result;
    }
}
