using System.Text;

namespace Mappings.Runtime.Js;

/// <summary>
/// The built-in functions a lookup can find on JSON values (Node 20): the methods objects, arrays
/// and functions inherit, and the constructors their <c>constructor</c> names. A function value
/// holds one of these ids. What JavaScript can observe of them here: the name and the
/// <c>length</c> (arity), both own, read-only properties; <c>String(f)</c>, which is
/// <c>function NAME() { [native code] }</c>; the members of <c>Function.prototype</c>; and that
/// <c>caller</c> and <c>arguments</c> throw when read or written (spec §14.13.2, §14.13.6).
/// </summary>
public static class JsFunctions
{
    /// <summary>A function whose name is unknown (written <c>function () { [native code] }</c>).</summary>
    public const int Anonymous = 0;

    private static readonly List<byte[]> Names = [];
    private static readonly List<int> Lengths = [];
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal);

    /// <summary><c>Object</c>, the <c>constructor</c> objects inherit.</summary>
    public static readonly int ObjectConstructor;

    /// <summary><c>Array</c>, the <c>constructor</c> arrays inherit.</summary>
    public static readonly int ArrayConstructor;

    /// <summary><c>Function</c>, the <c>constructor</c> functions inherit.</summary>
    public static readonly int FunctionConstructor;

    /// <summary>The strict-mode TypeError that reading or writing <c>caller</c>/<c>arguments</c> of a built-in function throws.</summary>
    public const string RestrictedPropertyMessage =
        "'caller', 'callee', and 'arguments' properties may not be accessed on strict mode functions or the arguments objects for calls to them";

    static JsFunctions()
    {
        Add("", 0);
        ObjectConstructor = Add("Object", 1);
        ArrayConstructor = Add("Array", 1);
        FunctionConstructor = Add("Function", 1);
        // Object.prototype
        AddAll("__defineGetter__:2 __defineSetter__:2 hasOwnProperty:1 __lookupGetter__:1 __lookupSetter__:1 isPrototypeOf:1 propertyIsEnumerable:1 toString:0 valueOf:0 toLocaleString:0");
        // Array.prototype
        AddAll("at:1 concat:1 copyWithin:2 fill:1 find:1 findIndex:1 findLast:1 findLastIndex:1 lastIndexOf:1 pop:0 push:1 reverse:0 shift:0 unshift:1 slice:2 sort:1 splice:2 includes:1 indexOf:1 join:1 keys:0 entries:0 values:0 forEach:1 filter:1 flat:0 flatMap:1 map:1 every:1 some:1 reduce:1 reduceRight:1 toReversed:0 toSorted:1 toSpliced:2 with:2");
        // Function.prototype
        AddAll("apply:2 bind:1 call:1");
        // The statics of Object and Array (Node 20).
        FirstStatic = Names.Count;
        AddStatics(ObjectStatics, "assign:2 create:2 defineProperties:2 defineProperty:3 entries:1 freeze:1 fromEntries:1 getOwnPropertyDescriptor:2 getOwnPropertyDescriptors:1 getOwnPropertyNames:1 getOwnPropertySymbols:1 getPrototypeOf:1 hasOwn:2 is:2 isExtensible:1 isFrozen:1 isSealed:1 keys:1 preventExtensions:1 seal:1 setPrototypeOf:2 values:1");
        AddStatics(ArrayStatics, "from:1 isArray:1 of:0");
    }

    private static readonly int FirstStatic;
    private static readonly Dictionary<string, int> ObjectStatics = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, int> ArrayStatics = new(StringComparer.Ordinal);

    private static void AddStatics(Dictionary<string, int> into, string namesAndLengths)
    {
        foreach (string entry in namesAndLengths.Split(' '))
        {
            int colon = entry.IndexOf(':');
            string name = entry[..colon];
            into[name] = Add(name, int.Parse(entry[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>True for the constructors a lookup can reach (<c>Object</c>, <c>Array</c>, <c>Function</c>): they have a <c>prototype</c>, which cannot be deleted.</summary>
    public static bool IsConstructor(int id) => id == ObjectConstructor || id == ArrayConstructor || id == FunctionConstructor;

    /// <summary>
    /// A static method of a constructor (<c>Object.keys</c>, <c>Array.isArray</c> …) by name, or
    /// <see cref="Anonymous"/> when it has none of that name. Rare: a scan of the few names.
    /// </summary>
    public static int Static(int constructor, ReadOnlySpan<byte> key)
    {
        var statics = constructor == ObjectConstructor ? ObjectStatics : constructor == ArrayConstructor ? ArrayStatics : null;
        if (statics is null) return Anonymous;
        foreach (var (name, id) in statics)
        {
            if (key.Length == name.Length && key.SequenceEqual(Names[id])) return id;
        }
        return Anonymous;
    }

    private static void AddAll(string namesAndLengths)
    {
        foreach (string entry in namesAndLengths.Split(' '))
        {
            int colon = entry.IndexOf(':');
            string name = entry[..colon];
            if (!Known.Contains(name)) Add(name, int.Parse(entry[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static int Add(string name, int length)
    {
        int id = Names.Count;
        Names.Add(Encoding.ASCII.GetBytes(name));
        Lengths.Add(length);
        Known.Add(name);
        return id;
    }

    /// <summary>The function's name (<c>f.name</c>).</summary>
    public static ReadOnlySpan<byte> Name(int id) => Names[id];

    /// <summary>The function's arity (<c>f.length</c>).</summary>
    public static int Length(int id) => Lengths[id];

    /// <summary>
    /// The method a value of the given kind inherits under <paramref name="key"/> (a name the
    /// caller knows it inherits): <c>constructor</c> is the kind's constructor, anything else the
    /// method of that name.
    /// </summary>
    public static int Inherited(ReadOnlySpan<byte> key, int constructor)
    {
        if (key.SequenceEqual("constructor"u8)) return constructor;
        // Rare (a lookup found an inherited method): a scan of the few names is enough.
        for (int id = FunctionConstructor + 1; id < FirstStatic; id++)
        {
            if (key.SequenceEqual(Names[id])) return id;
        }
        return Anonymous;
    }

    /// <summary>True for the members of <c>Function.prototype</c> that are functions (besides those of <c>Object.prototype</c>).</summary>
    public static bool IsFunctionPrototypeMethod(ReadOnlySpan<byte> key) =>
        key.SequenceEqual("apply"u8) || key.SequenceEqual("bind"u8) || key.SequenceEqual("call"u8) || key.SequenceEqual("toString"u8);

    /// <summary>True for <c>caller</c> and <c>arguments</c>, whose accessors throw on built-in functions.</summary>
    public static bool IsRestricted(ReadOnlySpan<byte> key) => key.SequenceEqual("caller"u8) || key.SequenceEqual("arguments"u8);

    /// <summary>True for <c>name</c> and <c>length</c>, a function's own read-only properties.</summary>
    public static bool IsReadOnlyOwn(ReadOnlySpan<byte> key) => key.SequenceEqual("name"u8) || key.SequenceEqual("length"u8);

    /// <summary>Appends <c>String(f)</c>: <c>function NAME() { [native code] }</c>.</summary>
    public static void AppendSource(int id, Json.ByteBuffer output)
    {
        output.Append("function "u8);
        output.Append(Name(id));
        output.Append("() { [native code] }"u8);
    }

    /// <summary><c>String(f)</c> as a .NET string (for error messages).</summary>
    public static string Source(int id) => "function " + Encoding.ASCII.GetString(Names[id]) + "() { [native code] }";
}
