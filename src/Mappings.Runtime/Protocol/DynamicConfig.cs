using System.Buffers;
using Mappings.Runtime.Js;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>
/// Dynamic config templates (spec §10.5, §14.9, §14.13.5–8): every string in
/// <c>destination.Config</c> (at any depth, or the Config itself) of the form
/// <c>{{ path || default }}</c>, path matching <c>^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$</c>, is replaced
/// by the event's value at that path (get-value, <c>event.</c> meaning <c>message.</c>), and the
/// path is then deleted from the event the way unset-value does it; when the value is null or
/// absent the default is used, with every <c>"</c> removed and trimmed. Skipped when
/// <c>destination.hasDynamicConfig</c> is exactly false.
/// <para>
/// The form is tested as the reference tests it, by slicing rather than by a pattern: the string,
/// trimmed as JavaScript's <c>trim</c> trims (white space and line terminators), starts with
/// <c>{{</c> and ends with <c>}}</c>; the first <c>||</c> inside splits it into path and default,
/// each trimmed. A line terminator inside the default is kept like any other character.
/// </para>
/// <para>
/// The deletion is unset-value's (2.0.1, the reference's <c>^2.0.1</c>): its walk refuses the
/// segments <c>__proto__</c>, <c>constructor</c> and <c>prototype</c>, and it deletes with
/// strict-mode <c>delete</c>, which throws for a property that cannot be deleted (an array's
/// <c>length</c>); both fail the event (D1).
/// </para>
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
            if (placedContainer && ShapeError(heap, config, context.EchoesDestination) is { } shapeError)
            {
                error = EventError.Instrumentation(shapeError);
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
    /// unset-value 2's <c>unset(event, path)</c> (the reference's ^2.0.1): an own key equal to the
    /// whole path is deleted; otherwise, when the value found "has values", the path is walked
    /// with plain property access (no joined retry, unlike the lookup; a segment
    /// <c>__proto__</c>, <c>constructor</c> or <c>prototype</c> on the way is refused) and its last
    /// key is deleted from where the walk ends, in strict mode. What JavaScript throws there (a
    /// walk through undefined or null, an unsafe segment, deleting a property that cannot be
    /// deleted) fails the event (D1).
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
        var last = dot < 0 ? path : path[(dot + 1)..];
        int container = item;
        bool ownChain = true;
        var rest = dot < 0 ? default : path[..dot];
        while (!rest.IsEmpty)
        {
            int next = rest.IndexOf((byte)'.');
            var segment = next < 0 ? rest : rest[..next];
            rest = next < 0 ? default : rest[(next + 1)..];
            if (segment.SequenceEqual("__proto__"u8) || segment.SequenceEqual("constructor"u8) || segment.SequenceEqual("prototype"u8))
            {
                throw new JsTypeError($"Cannot set unsafe key: \"{System.Text.Encoding.ASCII.GetString(segment)}\" (a dynamic config template's path)");
            }
            if (heap.IsNullish(container))
            {
                throw new JsTypeError("a dynamic config template cannot be resolved: its path passes through undefined or null");
            }
            ownChain &= heap.IsContainer(container) && heap.GetOwn(container, segment) != JsHeap.Undefined;
            container = heap.GetProperty(container, segment, JsKeys.Tag(segment));
        }
        if (heap.IsNullish(container))
        {
            // delete undefined[key]: "Cannot convert undefined or null to object".
            throw new JsTypeError("a dynamic config template cannot be resolved: its value was found through a key holding a dot, which cannot be deleted");
        }
        if (CannotDelete(heap, container, last))
        {
            throw new JsTypeError($"Cannot delete property '{System.Text.Encoding.ASCII.GetString(last)}' (a dynamic config template's path)");
        }
        if (ownChain && heap.IsContainer(container) && heap.GetOwn(container, last) != JsHeap.Undefined)
        {
            DeleteCopyingOnWrite(context, path);
        }
    }

    /// <summary>
    /// What strict-mode <c>delete value[key]</c> refuses: an array's <c>length</c>, a string's
    /// <c>length</c> and characters, a built-in constructor's <c>prototype</c>. (Everything else a
    /// template can reach is configurable; deleting from a number, a boolean or a built-in method
    /// changes nothing Mappings keeps.)
    /// </summary>
    private static bool CannotDelete(JsHeap heap, int value, ReadOnlySpan<byte> key) => heap.TypeOf(value) switch
    {
        JsType.Array => key.SequenceEqual("length"u8),
        JsType.String => key.SequenceEqual("length"u8) || (JsKeys.TryGetArrayIndex(key, out uint index) && index < (uint)Wtf8.Utf16Length(heap.StringBytes(value))),
        JsType.Function => key.SequenceEqual("prototype"u8) && JsFunctions.IsConstructor(heap.FunctionId(value)),
        _ => false,
    };

    /// <summary>
    /// Deletes the last key of a path of own members from the item. Input containers are never
    /// changed: each container on the way that is one is replaced by a copy first (in the item's
    /// copy, or a copy already made), so an event whose templates fail is answered as it came.
    /// </summary>
    private static void DeleteCopyingOnWrite(EventContext context, ReadOnlySpan<byte> path)
    {
        var heap = context.Heap;
        int parent = context.Item;
        var rest = path;
        while (true)
        {
            int next = rest.IndexOf((byte)'.');
            if (next < 0) break;
            var segment = rest[..next];
            rest = rest[(next + 1)..];
            int child = heap.GetOwn(parent, segment);
            int copy = heap.MakeMutable(child);
            if (copy != child) heap.Set(parent, heap.NewKey(segment), copy);
            parent = copy;
        }
        heap.Delete(parent, rest);
    }

    // Has-values answers per container for one value (shared containers are asked once), and the
    // shape of a Config per container (depth, size): both walk a Config that templates may have
    // turned into a graph where containers are shared (or hold themselves).
    [ThreadStatic]
    private static Dictionary<int, bool>? t_hasValues;

    [ThreadStatic]
    private static Dictionary<int, (int Depth, long Size)>? t_shapes;

    /// <summary>
    /// The reference's "has values" test (has-values 2): true for booleans, numbers, null and
    /// functions; a string when non-empty; an array or object when one of its values has values.
    /// Each shared container is asked once; one nested more than 1,000 levels deep fails the
    /// event (D7: a Config chained that deep by templates).
    /// </summary>
    private static bool HasValues(JsHeap heap, int value)
    {
        if (!heap.IsContainer(value)) return HasValues(heap, value, null, 0);
        var memo = t_hasValues ??= new Dictionary<int, bool>();
        memo.Clear();
        return HasValues(heap, value, memo, 0);
    }

    private static bool HasValues(JsHeap heap, int value, Dictionary<int, bool>? memo, int level)
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
                if (memo!.TryGetValue(value, out bool known)) return known; // a container on the way back to itself counts as none
                if (level >= JsHeap.MaxDepth) throw new JsTypeError(TooDeep);
                memo[value] = false;
                var keys = heap.Keys(value);
                bool any = false;
                for (int i = 0; i < keys.Count && !any; i++) any = HasValues(heap, heap.MemberValue(heap.KeyMember(in keys, i)), memo, level + 1);
                heap.EndKeys(in keys);
                memo[value] = any;
                return any;
            }
            default:
                return true;
        }
    }

    private const string TooDeep = "a dynamic config template made destination.Config nested more than 1000 levels deep";

    /// <summary>
    /// After templates placed containers in the Config: null when it can be written, else why not
    /// — it holds itself (JSON.stringify fails in the reference), it is nested more than 1,000
    /// levels deep (D7), or written out (containers placed twice are written twice) it would be
    /// larger than an event's output may be, where the answer echoes it (the router: D8), or
    /// longer than JavaScript's longest string, where it does not (the processor: the reference's
    /// JSON.stringify of it fails, as for a Config holding itself).
    /// </summary>
    private static string? ShapeError(JsHeap heap, int config, bool echoed)
    {
        var memo = t_shapes ??= new Dictionary<int, (int, long)>();
        memo.Clear();
        if (!Shape(heap, config, 0, memo, out int depth, out long size)) return "a dynamic config template made destination.Config contain itself";
        if (depth > JsHeap.MaxDepth) return TooDeep;
        if (echoed && size > heap.EventOutputLimit) return Limits.EventOutputTooLarge(heap.EventOutputLimit) + " (destination.Config, as templates made it)";
        if (!echoed && size > MaxJsStringLength) return "a dynamic config template made destination.Config longer, written out, than a JavaScript string can be";
        return null;
    }

    /// <summary>V8's longest string (2^29 − 24 code units on 64-bit hosts).</summary>
    private const long MaxJsStringLength = (1L << 29) - 24;

    private const int InProgress = -1;
    private const long SizeCap = long.MaxValue / 4;

    /// <summary>The depth (capped past 1,000) and written size (saturating) of a value; false when it holds itself.</summary>
    private static bool Shape(JsHeap heap, int value, int level, Dictionary<int, (int Depth, long Size)> memo, out int depth, out long size)
    {
        depth = 0;
        switch (heap.TypeOf(value))
        {
            case JsType.String:
                size = heap.StringBytes(value).Length + 2L;
                return true;
            case JsType.Object:
            case JsType.Array:
                break;
            default:
                size = 24;
                return true;
        }
        if (memo.TryGetValue(value, out var known))
        {
            (depth, size) = known;
            return known.Depth != InProgress;
        }
        size = 0;
        if (level > JsHeap.MaxDepth)
        {
            depth = JsHeap.MaxDepth + 1;
            return true;
        }
        memo[value] = (InProgress, 0);
        var keys = heap.Keys(value);
        int deepest = 0;
        long total = 2;
        bool ok = true;
        for (int i = 0; i < keys.Count && ok; i++)
        {
            int m = heap.KeyMember(in keys, i);
            ok = Shape(heap, heap.MemberValue(m), level + 1, memo, out int d, out long s);
            deepest = Math.Max(deepest, d);
            total = Math.Min(SizeCap, total + s + heap.KeyBytes(heap.MemberKey(m)).Length + 4);
        }
        heap.EndKeys(in keys);
        if (!ok) return false;
        depth = Math.Min(JsHeap.MaxDepth + 1, deepest + 1);
        size = total;
        memo[value] = (depth, size);
        return true;
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
}
