using CsCheck;
using Mappings.Testing.Json;

namespace Mappings.Testing.Generation;

/// <summary>
/// Keys that path writes and lookups treat specially: dotted, integer-like, inherited JavaScript
/// names, empty, unicode and lone surrogates — as key literals (<see cref="RawString"/>), sometimes
/// written fully escaped. Integer-like steps after a dot stay small: a key such as
/// <c>x.80000000</c> makes a huge output (D8), which belongs to the "huge-output" items
/// (see README.md), not to ordinary cases.
/// </summary>
public static class OddKeys
{
    public static readonly string[] Names =
    [
        "a.b", "a..b", ".a", "a.", "x.0", "x.1", "x.0.y", "x.length.0", "x.map.name", "007", "0", "1", "10", "-1", "01",
        "4294967294", "4294967295", "1e21", "NaN", "toString", "valueOf", "toHTML", "toJSON", "toString.name", "valueOf.length",
        "toString.caller", "constructor", "constructor.name", "prototype", "hasOwnProperty", "isPrototypeOf", "length",
        "__defineGetter__", "", " ", "ü", "😀", "字.字", "a b", "a/b", "a\\.b", "Items", "Items.0", "d", "category-unsubscribe",
        "category-resubscribe", "identity", "ts", "overrideFields", "email", "Email", "Name", "name", "userId", "id",
    ];

    /// <summary>A key literal: one of <see cref="Names"/>, a lone surrogate, or a plain word; now and then fully escaped.</summary>
    public static readonly Gen<RawString> Key = Gen.Frequency(
        (8, Gen.OneOf(Names).Select(RawString.Of)),
        (1, Gen.OneOf("\"k\\ud800\"", "\"\\udc00\"", "\"a.\\ud800\"", "\"\\u0061.b\"", "\"x\\u002e0\"").Select(t => new RawString(t))),
        (3, Gen.String[Gen.Char["abcxyz_"], 1, 8].Select(RawString.Of)),
        (1, Gen.OneOf(Names).Select(RawString.Escaped)));
}
