using System.Buffers;
using Mappings.Runtime.Js;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Dispatch;

/// <summary>
/// Dynamic config templates (spec §10.5, §14.9, §14.13.5–8): every string in
/// <c>destination.Config</c> (at any depth, or the Config itself) of the form
/// <c>{{ path || default }}</c>, path matching <c>^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$</c>, is replaced
/// by the event's value at that path (get-value, <c>event.</c> meaning <c>message.</c>), and the
/// path is then deleted from the event the way unset-value does it; when the value is null or
/// absent the default is used, with every <c>"</c> removed and trimmed. Skipped when
/// <c>destination.hasDynamicConfig</c> is exactly false.
/// </summary>
/// <remarks>
/// As in the reference, the keys are resolved in their own order, in place, on a copy of the
/// Config that is also what <c>destination.Config</c> means while they are resolved: a template
/// reading <c>destination.Config.x</c> sees the keys before it already resolved, and deleting it
/// removes <c>x</c> from the Config. The JavaScript runtime errors this can cause (a path found
/// through a literal dotted key cannot be deleted; a Config that ends up containing itself; a
/// template that removes the event's destination or message) fail the event (D1).
/// </remarks>
public static class DynamicConfig
{
    private static ReadOnlySpan<byte> Open => "{{"u8;
    private static ReadOnlySpan<byte> EventPrefix => "event."u8;
    private static ReadOnlySpan<byte> MessagePrefix => "message."u8;
    private static ReadOnlySpan<byte> HasOwnPropertyKey => "hasOwnProperty"u8;

    /// <summary>
    /// Resolves the templates of the context's config, updating item, message, metadata,
    /// destination and config. False (with <paramref name="error"/>) when resolving them makes
    /// the reference throw (D1).
    /// </summary>
    public static bool Resolve(EventContext context, out EventError error)
    {
        error = default;
        var heap = context.Heap;
        if (heap.TypeOf(context.Destination) != JsType.Object) return true;
        if (heap.GetOwn(context.Destination, ProtocolNames.HasDynamicConfig.Utf8) == JsHeap.False) return true;
        int config = context.Config;
        if (heap.TypeOf(config) == JsType.String ? !MayBeTemplate(heap, config) : !heap.IsContainer(config) || !MayHoldTemplate(heap, config)) return true;

        int messageBefore = heap.GetOwn(context.Item, ProtocolNames.MessageKey.Utf8);
        int itemBefore = context.Item, destinationBefore = context.Destination, configBefore = context.Config;
        bool done = false;
        try
        {
            // The event's copy, whose destination.Config is the Config being resolved.
            int item = heap.MakeMutable(context.Item);
            int destination = heap.MakeMutable(context.Destination);
            heap.Set(item, ProtocolNames.Destination, destination);
            context.Item = item;
            context.Destination = destination;
            bool placedContainer = false;
            if (heap.TypeOf(config) == JsType.String)
            {
                if (TryResolveTemplate(context, config, out int resolved)) config = resolved;
                placedContainer = heap.IsContainer(config);
            }
            else
            {
                config = heap.MakeMutable(config);
                heap.Set(destination, ProtocolNames.ConfigKey, config);
                context.Config = config;
                ResolveInPlace(context, config, 0, ref placedContainer);
            }
            // The reference assigns the result to the destination it held before resolving.
            heap.Set(destination, ProtocolNames.ConfigKey, config);
            context.Config = config;

            if (heap.GetOwn(context.Item, ProtocolNames.Destination.Utf8) == JsHeap.Undefined)
            {
                error = EventError.Instrumentation("a dynamic config template removed the event's destination");
                return false;
            }
            if (messageBefore != JsHeap.Undefined && heap.GetOwn(context.Item, ProtocolNames.MessageKey.Utf8) == JsHeap.Undefined)
            {
                // The reference then reads message.type of undefined.
                error = EventError.Instrumentation("a dynamic config template removed the event's message");
                return false;
            }
            if (placedContainer && IsCyclic(heap, config))
            {
                error = EventError.Instrumentation("a dynamic config template made destination.Config contain itself");
                return false;
            }
            done = true;
            return true;
        }
        catch (JsTypeError e)
        {
            error = EventError.Instrumentation(e.Message);
            return false;
        }
        finally
        {
            if (!done)
            {
                // The event fails (D1): it is answered as it came, and nothing uses the
                // half-resolved copies (a Config holding itself has no end to walk).
                context.Item = itemBefore;
                context.Destination = destinationBefore;
                context.Config = configBefore;
            }
            int message = heap.TypeOf(context.Item) == JsType.Object ? heap.GetOwn(context.Item, ProtocolNames.MessageKey.Utf8) : JsHeap.Undefined;
            context.Message = heap.TypeOf(message) == JsType.Object ? message : heap.NewObject();
            context.Metadata = heap.TypeOf(context.Item) == JsType.Object ? heap.GetOwn(context.Item, ProtocolNames.Metadata.Utf8) : JsHeap.Undefined;
        }
    }

    private static bool MayHoldTemplate(JsHeap heap, int container)
    {
        var raw = heap.RawText(container);
        // Braces may also be written as \u escapes; then look value by value.
        return raw.IsEmpty || raw.IndexOf(Open) >= 0 || raw.IndexOf("\\u"u8) >= 0;
    }

    private static bool MayBeTemplate(JsHeap heap, int text) => heap.StringBytes(text).IndexOf(Open) >= 0;

    /// <summary>
    /// <c>configureVal</c> on a mutable container of the Config: each of the keys it has now, in
    /// order, gets its resolved value; nested containers are resolved in place (a copy is put in
    /// their place first, so lookups through <c>destination.Config</c> see it change).
    /// </summary>
    private static void ResolveInPlace(EventContext context, int container, int depth, ref bool placedContainer)
    {
        var heap = context.Heap;
        // Object.keys(...) is taken before the first template runs: keys a template deletes are
        // still visited (undefined, left alone), keys added later are not.
        var keys = heap.Keys(container);
        int count = keys.Count;
        int[] members = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        try
        {
            for (int i = 0; i < count; i++) members[i] = heap.KeyMember(in keys, i);
            heap.EndKeys(in keys);
            for (int i = 0; i < count; i++)
            {
                var key = heap.MemberKey(members[i]);
                int child = heap.GetOwn(container, heap.KeyBytes(in key));
                if (!heap.IsTruthy(child)) continue;
                if (heap.TypeOf(child) == JsType.String)
                {
                    if (!TryResolveTemplate(context, child, out int resolved)) continue;
                    heap.Set(container, in key, resolved);
                    placedContainer |= heap.IsContainer(resolved);
                }
                else if (heap.IsContainer(child) && MayHoldTemplate(heap, child) && depth < JsHeap.MaxDepth)
                {
                    int copy = heap.MakeMutable(child);
                    heap.Set(container, in key, copy);
                    ResolveInPlace(context, copy, depth + 1, ref placedContainer);
                    // value[key] = configureVal(value[key]): assigned again after, even if a
                    // template inside deleted it meanwhile.
                    heap.Set(container, in key, copy);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(members);
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
        // The reference's pattern reads the default with ".*", which stops at a line terminator.
        if (HasLineTerminator(fallback)) return false;

        var scratch = heap.RentBuffer();
        try
        {
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
            if (!heap.IsNullish(found))
            {
                Unset(context, lookup, found);
                resolved = found;
                return true;
            }
        }
        finally
        {
            heap.ReturnBuffer();
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
    /// unset-value's <c>unset(event, path)</c>: an own key equal to the whole path is deleted;
    /// otherwise, when the value found "has values", the path is walked with plain property
    /// access (no joined retry, unlike the lookup) and its last key deleted from where the walk
    /// ends. A walk that reaches undefined or null throws, as JavaScript does.
    /// </summary>
    private static void Unset(EventContext context, ReadOnlySpan<byte> path, int found)
    {
        var heap = context.Heap;
        int item = context.Item;
        // obj.hasOwnProperty(prop): an own "hasOwnProperty" key shadows the method.
        if (heap.GetOwn(item, HasOwnPropertyKey) != JsHeap.Undefined)
        {
            throw new JsTypeError("a dynamic config template cannot be resolved: the event has its own \"hasOwnProperty\" key");
        }
        if (heap.GetOwn(item, path) != JsHeap.Undefined)
        {
            heap.Delete(item, path);
            return;
        }
        if (!HasValues(heap, found)) return;

        int dot = path.LastIndexOf((byte)'.');
        int container = item;
        var rest = dot < 0 ? default : path[..dot];
        while (!rest.IsEmpty)
        {
            int next = rest.IndexOf((byte)'.');
            var segment = next < 0 ? rest : rest[..next];
            rest = next < 0 ? default : rest[(next + 1)..];
            if (heap.IsNullish(container))
            {
                throw new JsTypeError("a dynamic config template cannot be resolved: its path passes through undefined or null");
            }
            if (!heap.TryGetProperty(container, segment, out int child)) child = PrimitiveProperty(heap, container, segment);
            container = child;
        }
        if (heap.IsNullish(container))
        {
            // delete undefined[key]: "Cannot convert undefined or null to object".
            throw new JsTypeError("a dynamic config template cannot be resolved: its value was found through a key holding a dot, which cannot be deleted");
        }
        var last = dot < 0 ? path : path[(dot + 1)..];
        DeleteOwn(context, container, last);
    }

    /// <summary>A property of a string, number or boolean as plain access reads it (only the ones a walk can go on from matter).</summary>
    private static int PrimitiveProperty(JsHeap heap, int value, ReadOnlySpan<byte> key) =>
        heap.HasDefinedProperty(value, key) ? JsHeap.Function : JsHeap.Undefined;

    /// <summary>
    /// Deletes an own key of a container reached from the item. Input containers are never
    /// changed where they lie: the container and those holding it are made mutable in place
    /// (values are shared by reference, so every holder sees the deletion, as in JavaScript).
    /// Deleting from a function or a primitive changes nothing here.
    /// </summary>
    private static void DeleteOwn(EventContext context, int container, ReadOnlySpan<byte> key)
    {
        var heap = context.Heap;
        if (!heap.IsContainer(container) || heap.GetOwn(container, key) == JsHeap.Undefined) return;
        heap.MakeMutableInPlace(container);
        heap.Delete(container, key);
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

    /// <summary>True when the Config holds itself (a template placed one of its own holders in it).</summary>
    private static bool IsCyclic(JsHeap heap, int config)
    {
        Span<int> path = stackalloc int[JsHeap.MaxDepth + 2];
        return Reaches(heap, config, path, 0);
    }

    private static bool Reaches(JsHeap heap, int value, Span<int> holders, int depth)
    {
        if (!heap.IsContainer(value)) return false;
        for (int i = 0; i < depth; i++)
        {
            if (holders[i] == value) return true;
        }
        if (depth >= JsHeap.MaxDepth) return false;
        holders[depth] = value;
        var keys = heap.Keys(value);
        bool found = false;
        for (int i = 0; i < keys.Count && !found; i++) found = Reaches(heap, heap.MemberValue(heap.KeyMember(in keys, i)), holders, depth + 1);
        heap.EndKeys(in keys);
        return found;
    }

    /// <summary>True when the text holds \n, \r, U+2028 or U+2029 (what a regular expression's "." does not match).</summary>
    private static bool HasLineTerminator(ReadOnlySpan<byte> text) =>
        text.IndexOfAny((byte)'\n', (byte)'\r') >= 0 || text.IndexOf("\u2028"u8) >= 0 || text.IndexOf("\u2029"u8) >= 0;

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
}
