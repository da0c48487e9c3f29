using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace Mappings.Generators.Emitting;

/// <summary>
/// The static members a generated class needs (pre-encoded names, paths, key sets, messages),
/// each declared once however often it is used. Names are short and numbered in order of first use,
/// so the output is deterministic.
/// </summary>
internal sealed class StaticTable
{
    private readonly Dictionary<string, string> _byKey = new();
    private readonly List<string> _declarations = new();

    public IReadOnlyList<string> Declarations => _declarations;

    /// <summary>A <c>JsName</c> (destination keys, constant strings, messages).</summary>
    public string Name(string value)
        => Get("N:" + value, "N", id => $"private static readonly JsName {id} = JsName.Of({Literal(value)});");

    /// <summary>A UTF-8 path or text (<c>ReadOnlySpan&lt;byte&gt;</c>, no allocation).</summary>
    public string Utf8(string value)
        => Get("U:" + value, "U", id => $"private static ReadOnlySpan<byte> {id} => {Literal(value)}u8;");

    /// <summary>A message path, prepared for fast lookups (<c>JsPath</c>).</summary>
    public string Path(string path)
        => Get("P:" + path, "P", id => $"private static readonly JsPath {id} = JsPath.Of({Literal(path)});");

    /// <summary>Property names read one after the other, prepared (<c>JsPropertyChain</c>: direct property access).</summary>
    public string Chain(string names)
        => Get("C:" + names, "C", id => $"private static readonly JsPropertyChain {id} = JsPropertyChain.Of({Literal(names)});");

    /// <summary>A list of prepared message paths (fallback lists).</summary>
    public string PathList(IEnumerable<string> paths)
    {
        var list = paths.ToList();
        string key = "Q:" + string.Join("\u0001", list);
        return Get(key, "Q", id => $"private static readonly JsPath[] {id} = JsPath.Of({string.Join(", ", list.Select(Literal))});");
    }

    /// <summary>A list of UTF-8 strings (string sets).</summary>
    public string Utf8List(IEnumerable<string> values)
    {
        var list = values.ToList();
        string key = "L:" + string.Join("\u0001", list);
        return Get(key, "L", id => $"private static readonly byte[][] {id} = [{string.Join(", ", list.Select(v => Literal(v) + "u8.ToArray()"))}];");
    }

    /// <summary>A set of keys (exclusions, exceptions).</summary>
    public string KeySet(IEnumerable<string> values)
    {
        var list = values.ToList();
        string key = "X:" + string.Join("\u0001", list);
        return Get(key, "X", id => list.Count == 0
            ? $"private static readonly KeySet {id} = KeySet.Empty;"
            : $"private static readonly KeySet {id} = new({string.Join(", ", list.Select(Literal))});");
    }

    private string Get(string key, string prefix, System.Func<string, string> declare)
    {
        if (_byKey.TryGetValue(key, out string? id))
        {
            return id;
        }

        id = prefix + _byKey.Count(k => k.Value.StartsWith(prefix, System.StringComparison.Ordinal));
        _byKey[key] = id;
        _declarations.Add(declare(id));
        return id;
    }

    /// <summary>A C# string literal.</summary>
    public static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
}
