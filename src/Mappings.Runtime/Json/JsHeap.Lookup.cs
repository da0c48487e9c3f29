using System.Runtime.CompilerServices;

namespace Mappings.Runtime.Json;

public sealed partial class JsHeap
{
    // The names values inherit from their prototypes (Node 20): functions, except __proto__ and
    // the "length" of strings and arrays, which are handled apart.
    private static readonly NameSet ObjectPrototypeNames = new(
        "constructor,__defineGetter__,__defineSetter__,hasOwnProperty,__lookupGetter__,__lookupSetter__,isPrototypeOf,propertyIsEnumerable,toString,valueOf,__proto__,toLocaleString");

    private static readonly NameSet ArrayPrototypeNames = new(
        "constructor,at,concat,copyWithin,fill,find,findIndex,findLast,findLastIndex,lastIndexOf,pop,push,reverse,shift,unshift,slice,sort,splice,includes,indexOf,join,keys,entries,values,forEach,filter,flat,flatMap,map,every,some,reduce,reduceRight,toLocaleString,toString,toReversed,toSorted,toSpliced,with");

    private static readonly NameSet StringPrototypeNames = new(
        "constructor,anchor,at,big,blink,bold,charAt,charCodeAt,codePointAt,concat,endsWith,fontcolor,fontsize,fixed,includes,indexOf,isWellFormed,italics,lastIndexOf,link,localeCompare,match,matchAll,normalize,padEnd,padStart,repeat,replace,replaceAll,search,slice,small,split,strike,sub,substr,substring,sup,startsWith,toString,toWellFormed,trim,trimStart,trimLeft,trimEnd,trimRight,toLocaleLowerCase,toLocaleUpperCase,toLowerCase,toUpperCase,valueOf");

    private static readonly NameSet NumberPrototypeNames = new("constructor,toExponential,toFixed,toPrecision,toString,valueOf,toLocaleString");

    private static readonly NameSet BooleanPrototypeNames = new("constructor,toString,valueOf");

    /// <summary>A fixed set of ASCII names, rejecting most keys by their length or signature alone.</summary>
    private sealed class NameSet
    {
        private readonly byte[][] _names;
        private readonly uint[] _tags;
        private readonly ulong _lengths;
        // A key filter of the names' signatures (see KeyFilterBit): most lookups miss the set, and
        // a clear bit says so without a scan.
        private readonly ulong _filter;

        public NameSet(string commaSeparated)
        {
            string[] names = commaSeparated.Split(',');
            _names = new byte[names.Length][];
            _tags = new uint[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                _names[i] = System.Text.Encoding.ASCII.GetBytes(names[i]);
                _tags[i] = JsKeys.Signature(_names[i]);
                _lengths |= 1UL << names[i].Length;
                _filter |= KeyFilterBit(_tags[i]);
            }
        }

        public bool Contains(ReadOnlySpan<byte> key)
        {
            if (key.Length >= 64 || ((_lengths >> key.Length) & 1) == 0) return false;
            return Contains(key, JsKeys.Signature(key));
        }

        /// <summary><see cref="Contains(ReadOnlySpan{byte})"/> with the key's signature already known.</summary>
        public bool Contains(ReadOnlySpan<byte> key, uint signature)
        {
            if (key.Length >= 64 || ((_lengths >> key.Length) & 1) == 0 || (_filter & KeyFilterBit(signature)) == 0) return false;
            uint[] tags = _tags;
            for (int i = 0; i < tags.Length; i++)
            {
                if (tags[i] == signature && key.SequenceEqual(_names[i])) return true;
            }
            return false;
        }
    }

    /// <summary>
    /// JavaScript's <c>value[key] !== undefined</c> for any value: own properties, array and string
    /// indices, <c>length</c>, and the members inherited from the value's prototype (string, number,
    /// boolean, array or object methods).
    /// </summary>
    public bool HasDefinedProperty(int value, ReadOnlySpan<byte> key)
    {
        switch (TypeOf(value))
        {
            case JsType.Object:
            case JsType.Array:
                return TryGetProperty(value, key, out int found) && found != Undefined;
            case JsType.String:
                if (JsKeys.TryGetArrayIndex(key, out uint index)) return index < (uint)Wtf8.Utf16Length(StringBytes(value));
                return key.SequenceEqual("length"u8) || StringPrototypeNames.Contains(key) || ObjectPrototypeNames.Contains(key);
            case JsType.Number:
                return NumberPrototypeNames.Contains(key) || ObjectPrototypeNames.Contains(key);
            case JsType.Boolean:
                return BooleanPrototypeNames.Contains(key) || ObjectPrototypeNames.Contains(key);
            default:
                return false;
        }
    }

    /// <summary>
    /// JavaScript's <c>value?.[key]</c> for any value: undefined through <c>undefined</c> and
    /// <c>null</c>; for objects, arrays and functions <see cref="TryGetProperty(int, ReadOnlySpan{byte}, uint, out int)"/>
    /// (own members, elements, <c>length</c>, inherited methods); for a string its UTF-16 code unit
    /// at an index (a one-unit string), its <c>length</c> and the methods it inherits; for numbers and
    /// booleans the methods they inherit (inherited methods are <see cref="Function"/>).
    /// </summary>
    public int GetProperty(int value, ReadOnlySpan<byte> key, uint tag)
    {
        switch (TypeOf(value))
        {
            case JsType.Object:
            case JsType.Array:
            case JsType.Function:
                return TryGetProperty(value, key, tag, out int found) ? found : Undefined;
            case JsType.String:
                if (JsKeys.TryGetArrayIndex(key, out uint index)) return StringCodeUnit(value, index);
                if (key.SequenceEqual("length"u8)) return NewNumber(Wtf8.Utf16Length(StringBytes(value)));
                return StringPrototypeNames.Contains(key) || ObjectPrototypeNames.Contains(key) ? Function : Undefined;
            case JsType.Number:
                return NumberPrototypeNames.Contains(key) || ObjectPrototypeNames.Contains(key) ? Function : Undefined;
            case JsType.Boolean:
                return BooleanPrototypeNames.Contains(key) || ObjectPrototypeNames.Contains(key) ? Function : Undefined;
            default:
                return Undefined;
        }
    }

    /// <summary><see cref="GetProperty(int, ReadOnlySpan{byte}, uint)"/> with a compile-time name.</summary>
    public int GetProperty(int value, JsName name) => GetProperty(value, name.Utf8, name.Tag);

    /// <summary>
    /// JavaScript's <c>key in target</c> followed by <c>target[key]</c>: own properties, array
    /// elements and <c>length</c>, and the members inherited from <c>Object.prototype</c>,
    /// <c>Array.prototype</c> and <c>Function.prototype</c> (functions, see <see cref="Js.JsFunctions"/>);
    /// a function's own <c>name</c> and <c>length</c>. Reading <c>caller</c> or <c>arguments</c>
    /// of a function throws, as in JavaScript.
    /// </summary>
    public bool TryGetProperty(int target, ReadOnlySpan<byte> key, out int value) =>
        TryGetProperty(target, key, JsKeys.Tag(key), out value);

    /// <summary><see cref="TryGetProperty(int, ReadOnlySpan{byte}, out int)"/> with the key's tag already known.</summary>
    public bool TryGetProperty(int target, ReadOnlySpan<byte> key, uint tag, out int value)
    {
        switch (TypeOf(target))
        {
            case JsType.Object:
            {
                int m = FindMember(target, key, tag);
                if (m >= 0)
                {
                    value = _members[m].Value;
                    return true;
                }
                break;
            }
            case JsType.Array:
            {
                if (JsKeys.TryGetArrayIndex(key, out uint index))
                {
                    value = ArrayElement(target, (int)index);
                    if (value != Undefined) return true;
                }
                else if (key.SequenceEqual("length"u8))
                {
                    value = NewNumber(ArrayLength(target));
                    return true;
                }
                else if ((_nodes[target].Flags & NodeFlags.Mutable) != 0 && FindMember(target, key, tag) is var own and >= 0)
                {
                    // A property a path write gave the array (JSON never shows it).
                    value = _members[own].Value;
                    return true;
                }
                else if (ArrayPrototypeNames.Contains(key))
                {
                    value = NewFunction(Js.JsFunctions.Inherited(key, Js.JsFunctions.ArrayConstructor));
                    return true;
                }
                break;
            }
            case JsType.Function:
                return TryGetFunctionProperty(target, key, tag, out value);
            default:
                value = Undefined;
                return false;
        }
        // A tag is the signature for every key that is not an array index (and no prototype name is one).
        if (ObjectPrototypeNames.Contains(key, tag))
        {
            value = InheritedFromObject(key, TypeOf(target));
            return true;
        }
        value = Undefined;
        return false;
    }

    /// <summary>
    /// <c>fn[key]</c> on a built-in function: its own <c>name</c> and <c>length</c>, the members of
    /// <c>Function.prototype</c> and <c>Object.prototype</c>; <c>caller</c>/<c>arguments</c> throw.
    /// (Properties a path write would add to a built-in are not kept: they would change the function
    /// for every later event of the reference's process.)
    /// </summary>
    private bool TryGetFunctionProperty(int function, ReadOnlySpan<byte> key, uint tag, out int value)
    {
        int id = FunctionId(function);
        if (key.SequenceEqual("name"u8))
        {
            value = NewString(Js.JsFunctions.Name(id));
            return true;
        }
        if (key.SequenceEqual("length"u8))
        {
            value = NewNumber(Js.JsFunctions.Length(id));
            return true;
        }
        if (Js.JsFunctions.IsRestricted(key)) throw new Js.JsTypeError(Js.JsFunctions.RestrictedPropertyMessage);
        if (Js.JsFunctions.IsConstructor(id))
        {
            // Object, Array and Function: their prototype (which JSON shows as {}, [] or nothing)
            // and their static methods (Object.keys …).
            if (key.SequenceEqual("prototype"u8))
            {
                value = id == Js.JsFunctions.ObjectConstructor ? NewObject() : id == Js.JsFunctions.ArrayConstructor ? NewArray() : Function;
                return true;
            }
            int method = Js.JsFunctions.Static(id, key);
            if (method != Js.JsFunctions.Anonymous)
            {
                value = NewFunction(method);
                return true;
            }
        }
        if (Js.JsFunctions.IsFunctionPrototypeMethod(key))
        {
            value = NewFunction(Js.JsFunctions.Inherited(key, Js.JsFunctions.FunctionConstructor));
            return true;
        }
        if (ObjectPrototypeNames.Contains(key, tag))
        {
            value = InheritedFromObject(key, JsType.Function);
            return true;
        }
        value = Undefined;
        return false;
    }

    /// <summary>
    /// A member every object, array or function inherits from <c>Object.prototype</c>: a method,
    /// the kind's constructor, or for <c>__proto__</c> the kind's prototype (which JSON shows as
    /// <c>{}</c>, <c>[]</c> or nothing: a value with no own keys of the same kind).
    /// </summary>
    private int InheritedFromObject(ReadOnlySpan<byte> key, JsType kind)
    {
        if (key.SequenceEqual("__proto__"u8)) return kind switch { JsType.Array => NewArray(), JsType.Function => Function, _ => NewObject() };
        int constructor = kind switch
        {
            JsType.Array => Js.JsFunctions.ArrayConstructor,
            JsType.Function => Js.JsFunctions.FunctionConstructor,
            _ => Js.JsFunctions.ObjectConstructor,
        };
        return NewFunction(Js.JsFunctions.Inherited(key, constructor));
    }

    private bool IsWalkable(int value)
    {
        var t = TypeOf(value);
        return t is JsType.Object or JsType.Array or JsType.Function;
    }

    /// <summary>
    /// Path lookup with the semantics of get-value 3.0.1 (spec §6.1): a value that is not an
    /// object, array or function is returned unchanged whatever the path; the whole path as one
    /// key is tried first; then the path is walked segment by segment (a segment ending in a
    /// backslash is joined with the next one, backslash removed), a missing segment is retried
    /// joined with the following ones, and a walk into a non-object ends in undefined.
    /// </summary>
    public int Get(int root, ReadOnlySpan<byte> path)
    {
        if (!IsWalkable(root)) return root;

        int dot = path.IndexOf((byte)'.');
        bool escaped = path.IndexOf((byte)'\\') >= 0;
        if (dot < 0 && !escaped)
        {
            return TryGetProperty(root, path, out int direct) ? direct : Undefined;
        }
        // The whole path as one key: only an object with a dotted key (or an inherited name,
        // which never holds a dot) can have it.
        if (dot < 0 || (TypeOf(root) == JsType.Object && HasDottedKeys(root)))
        {
            if (TryGetProperty(root, path, out int whole)) return whole;
        }
        return escaped ? WalkEscaped(root, path) : WalkPlain(root, path);
    }

    /// <summary>
    /// <see cref="Get(int, ReadOnlySpan{byte})"/> for a path prepared at compile time: its segments
    /// are known, and the end of a walk of each of its prefixes is remembered for the event, so
    /// paths sharing a prefix ("traits.email", "traits.name") walk it once.
    /// </summary>
    public int Get(int root, JsPath path)
    {
        // Fast paths, the usual cases: a one-segment path on an input object; or the walk to the
        // parent of the last segment is remembered and ended in an input object, and the root has
        // no key equal to the whole path.
        if ((uint)root < (uint)_nodeCount && path.Single)
        {
            ref Node o = ref _nodes[root];
            if ((o.Flags & NodeFlags.KeyFilter) != 0) return OwnOrInherited(ref o, path.Last, path.LastTag, path.LastBit, path.LastInherited);
        }
        else if (path.ParentId >= 0 && (uint)root < (uint)_nodeCount)
        {
            ref Node r = ref _nodes[root];
            int parentId = path.ParentId;
            if ((r.Flags & NodeFlags.KeyFilter) != 0 && (uint)parentId < (uint)_memo.Length)
            {
                ref Memo memo = ref _memo[parentId];
                if (memo.Epoch == _epoch && memo.Root == root)
                {
                    if ((KeyFilterOf(ref r) & path.WholeBit) != 0)
                    {
                        // The whole path may be one key of the root (or its bit is shared): look.
                        int whole = FindMember(root, path.Utf8, path.WholeTag);
                        if (whole >= 0) return _members[whole].Value;
                    }
                    int parent = memo.Value;
                    if (parent < 0) return Undefined;
                    ref Node p = ref _nodes[parent];
                    if ((p.Flags & NodeFlags.KeyFilter) != 0) return OwnOrInherited(ref p, path.Last, path.LastTag, path.LastBit, path.LastInherited);
                }
            }
        }
        return GetWalk(root, path);
    }

    /// <summary>
    /// <c>obj[key]</c> on an input object (one with a key filter): an own member, an inherited
    /// method, or undefined. <paramref name="bit"/>: the key's filter bit; <paramref name="inherited"/>:
    /// the key is a name objects inherit (both known when the path was prepared).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int OwnOrInherited(ref Node obj, byte[] key, uint tag, ulong bit, bool inherited)
    {
        if ((KeyFilterOf(ref obj) & bit) != 0)
        {
            var members = _members.AsSpan(obj.Start, obj.Length);
            for (int m = 0; m < members.Length; m++)
            {
                if (members[m].Index == tag && KeyEquals(in members[m], key)) return members[m].Value;
            }
        }
        return inherited ? InheritedFromObject(key, JsType.Object) : Undefined;
    }

    /// <summary>True when objects inherit a member of this name (from <c>Object.prototype</c>).</summary>
    internal static bool IsObjectPrototypeName(ReadOnlySpan<byte> key) => ObjectPrototypeNames.Contains(key);

    private int GetWalk(int root, JsPath path)
    {
        var rootType = TypeOf(root);
        if (rootType is not (JsType.Object or JsType.Array)) return rootType == JsType.Function ? Get(root, path.Utf8) : root;
        if (!path.Plain) return Get(root, path.Utf8);
        ReadOnlySpan<byte> text = path.Utf8;
        int n = path.SegmentCount;
        if (n == 1) return TryGetProperty(root, text, path.Tags[0], out int direct) ? direct : Undefined;
        if (rootType == JsType.Object)
        {
            // The whole path as one key (an own property: no inherited name has a dot).
            int whole = FindMember(root, text, path.WholeTag);
            if (whole >= 0) return _members[whole].Value;
        }

        int target = root;
        int segment = 0;
        for (int k = n - 1; k >= 1; k--)
        {
            if (TryRecall(path.Prefixes[k - 1].Id, root, out int known))
            {
                if (!IsWalkable(known)) return Undefined;
                target = known;
                segment = k;
                break;
            }
        }

        bool straight = true;
        // A walk is remembered only through containers whose members cannot change unseen: input
        // containers, and input containers made mutable in place (a write to those forgets every
        // walk). A container the mapper built may get a member replaced at any time.
        bool watched = true;
        while (true)
        {
            int start = segment == 0 ? 0 : path.Ends[segment - 1] + 1;
            watched &= (_nodes[target].Flags & (NodeFlags.Mutable | NodeFlags.Promoted)) != NodeFlags.Mutable;
            if (TryGetProperty(target, text[start..path.Ends[segment]], path.Tags[segment], out int next))
            {
                target = next;
            }
            else
            {
                // Missing. When no joined retry can match, the path is undefined. Every path
                // through this prefix retries keys starting with "segment.": when the target has
                // none, they are all undefined too: remember that.
                if (!JoinedKeyMayExist(target, path, segment))
                {
                    if (straight && watched && segment < n - 1 && KnownWithoutKeysStartingWith(target, text[start..(path.Ends[segment] + 1)]))
                    {
                        Remember(path.Prefixes[segment].Id, root, Undefined);
                    }
                    return Undefined;
                }

                // Retry joined with the following segments ("b" → "b.c" → …).
                straight = false;
                bool found = false;
                while (segment + 1 < n)
                {
                    segment++;
                    if (TryGetProperty(target, text[start..path.Ends[segment]], out next))
                    {
                        target = next;
                        found = true;
                        break;
                    }
                }
                if (!found) return Undefined;
            }
            if (segment == n - 1) return target;
            if (straight && watched) Remember(path.Prefixes[segment].Id, root, target);
            if (!IsWalkable(target)) return Undefined;
            segment++;
        }
    }

    /// <summary>
    /// The walk of a path without backslashes: every joined candidate ("b.c") is a slice of the
    /// path itself, so nothing is copied.
    /// </summary>
    private int WalkPlain(int target, ReadOnlySpan<byte> path)
    {
        int start = 0;
        while (true)
        {
            int end = NextDot(path, start);
            if (TryGetProperty(target, path[start..end], out int next))
            {
                target = next;
            }
            else
            {
                // Missing: retry the segment joined with the following ones ("b" → "b.c" → …),
                // which only an object with a dotted key can have (no scan of every candidate).
                if (!MayHaveDottedKey(target)) return Undefined;
                bool found = false;
                while (end < path.Length)
                {
                    end = NextDot(path, end + 1);
                    if (TryGetProperty(target, path[start..end], out next))
                    {
                        target = next;
                        found = true;
                        break;
                    }
                }
                if (!found) return Undefined;
            }
            if (end >= path.Length) return target;
            if (!IsWalkable(target)) return Undefined;
            start = end + 1;
        }
    }

    /// <summary>False when no key of the value can hold a dot: not an object, or an object without one.</summary>
    private bool MayHaveDottedKey(int value) => TypeOf(value) == JsType.Object && HasDottedKeys(value);

    private static int NextDot(ReadOnlySpan<byte> path, int from)
    {
        int k = path[from..].IndexOf((byte)'.');
        return k < 0 ? path.Length : from + k;
    }

    /// <summary>True when an object has a key containing '.' (computed once per input object).</summary>
    /// <summary>
    /// False when none of the keys a missing segment is retried as ("b.c", "b.c.d" …) can be an own
    /// key of <paramref name="container"/>: an input object's key filter rules them out, or the
    /// container has no dotted key (an input array has index keys only).
    /// </summary>
    private bool JoinedKeyMayExist(int container, JsPath path, int segment)
    {
        ref Node n = ref _nodes[container];
        if ((n.Flags & NodeFlags.KeyFilter) != 0)
        {
            ulong filter = KeyFilterOf(ref n);
            foreach (uint tag in path.JoinedTags[segment])
            {
                if ((filter & KeyFilterBit(tag)) != 0) return true;
            }
            return false;
        }
        if (n.Type == JsType.Object || (n.Flags & NodeFlags.Mutable) != 0) return HasDottedKeys(container);
        return n.Type != JsType.Array;
    }

    /// <summary>
    /// True when an input container has no key starting with <paramref name="prefix"/> (a segment
    /// and its dot), so no joined retry of that segment ever matches in it (a container built by
    /// the mapper may change, so it never qualifies; an input array has index keys only).
    /// </summary>
    private bool KnownWithoutKeysStartingWith(int container, ReadOnlySpan<byte> prefix)
    {
        ref Node n = ref _nodes[container];
        if ((n.Flags & NodeFlags.Mutable) != 0) return false;
        if (n.Type == JsType.Array) return true;
        if (n.Type != JsType.Object) return false;
        if ((n.Flags & NodeFlags.DottedKnown) != 0 && (n.Flags & NodeFlags.DottedKey) == 0) return true;
        byte first = prefix[0];
        foreach (ref readonly Member m in _members.AsSpan(n.Start, n.Length))
        {
            // ">=": the key may be the prefix itself ("a." is "a" joined with an empty segment).
            if (m.KeyLength >= prefix.Length && _text[m.KeyStart] == first && _text.AsSpan(m.KeyStart, prefix.Length).SequenceEqual(prefix)) return false;
        }
        return true;
    }

    private bool HasDottedKeys(int obj)
    {
        ref Node n = ref _nodes[obj];
        // A built object flags a dotted key when it is given one (kept after a delete: "may have").
        if ((n.Flags & NodeFlags.Mutable) != 0) return (n.Flags & NodeFlags.DottedKey) != 0;
        if ((n.Flags & NodeFlags.DottedKnown) == 0)
        {
            bool dotted = false;
            int end = n.Start + n.Length;
            for (int m = n.Start; m < end && !dotted; m++) dotted = JsKeys.HasDot(KeyBytes(in _members[m]));
            n.Flags |= dotted ? NodeFlags.DottedKnown | NodeFlags.DottedKey : NodeFlags.DottedKnown;
        }
        return (n.Flags & NodeFlags.DottedKey) != 0;
    }

    /// <summary>The general walk (a segment ending in '\\' is joined with the next, backslash removed).</summary>
    private int WalkEscaped(int target, ReadOnlySpan<byte> path)
    {
        // Segments of the path split on '.', as [start, end) pairs.
        int segmentCount = path.Count((byte)'.') + 1;
        Span<int> bounds = segmentCount <= 32 ? stackalloc int[64] : new int[segmentCount * 2];
        int s = 0;
        int at = 0;
        for (int i = 0; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == '.')
            {
                bounds[s++] = at;
                bounds[s++] = i;
                at = i + 1;
            }
        }
        Span<byte> joined = path.Length <= 256 ? stackalloc byte[path.Length] : new byte[path.Length];

        int idx = 0;
        do
        {
            // prop = segment idx; while it ends with '\', drop the '\' and join the next segment.
            int propLength = AppendSegment(joined, 0, path, bounds, idx);
            while (propLength > 0 && joined[propLength - 1] == '\\')
            {
                propLength--;
                joined[propLength++] = (byte)'.';
                idx++;
                if (idx < segmentCount) propLength = AppendSegment(joined, propLength, path, bounds, idx);
            }
            var prop = joined[..propLength];
            if (TryGetProperty(target, prop, out int next))
            {
                target = next;
            }
            else
            {
                if (!MayHaveDottedKey(target)) return Undefined;
                bool found = false;
                int n = idx + 1;
                while (n < segmentCount)
                {
                    joined[propLength++] = (byte)'.';
                    propLength = AppendSegment(joined, propLength, path, bounds, n++);
                    if (TryGetProperty(target, joined[..propLength], out next))
                    {
                        target = next;
                        idx = n - 1;
                        found = true;
                        break;
                    }
                }
                if (!found) return Undefined;
            }
        }
        while (++idx < segmentCount && IsWalkable(target));

        // A last segment ending in '\' moves idx past the end: get-value then answers undefined.
        return idx == segmentCount ? target : Undefined;
    }

    private static int AppendSegment(Span<byte> destination, int at, ReadOnlySpan<byte> path, ReadOnlySpan<int> bounds, int segment)
    {
        var seg = path[bounds[segment * 2]..bounds[segment * 2 + 1]];
        seg.CopyTo(destination[at..]);
        return at + seg.Length;
    }
}
