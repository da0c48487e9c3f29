using CsCheck;
using Mappings.Testing.Json;

namespace Mappings.Testing.Generation;

/// <summary>
/// Values a hostile or careless sender puts where the mapping reads (conformance/README.md,
/// "adversarial"): every JSON type, edge numbers, unicode with lone surrogates, HTML, long strings,
/// date strings of many forms, numeric strings, JSON in strings, objects with their own
/// <c>toString</c>. Each generator yields JSON text (<see cref="RawJson"/>), spelled exactly.
/// </summary>
public static class HostileValues
{
    /// <summary>Numbers JavaScript reads lossily or prints in unusual forms.</summary>
    public static readonly Gen<RawJson> EdgeNumber = Gen.OneOf(
        "1e309", "-1e309", "-0", "0", "1", "-1", "0.1", "1.5", "4.99", "100", "10E-1", "1E+2", "2e-7", "1e-7", "1e21",
        "1e20", "9007199254740993", "9007199254740992", "-9007199254740993", "123456789012345678901", "5e-324",
        "1.7976931348623157e308", "0.000001", "-0.0", "1571043797", "1571043797123", "4294967295", "0.30000000000000004")
        .Select(t => (RawJson)RawToken.Number(t));

    /// <summary>Dates in ISO, legacy V8 and nonsense forms (spec dates.md), as strings.</summary>
    public static readonly Gen<RawJson> DateString = Gen.OneOf(
        "2020-03-23T03:41:46.122Z", "2020-03-23T09:11:46.243+05:30", "2019-10-14T09:03:17.562Z", "2020-01-01", "2020-1-1",
        "2020-02-30", "2020-13-45T25:61:61Z", "+275760-09-13T00:00:00.000Z", "+275760-09-13T00:00:00.001Z",
        "-000001-01-01T00:00:00Z", "-000000-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z", "Mon, 01 Jan 2024 00:00:00 GMT",
        "Thu Jan 01 1970 00:00:00 GMT+0000", "1/2/2020", "01/02/2020 10:00 PM", "Jan 5 2020", "5 Jan 2020 10:00:00 PM",
        "2020-03-23 03:41:46", "2020-03-23T03:41:46", "2020-03-23T03:41", "20200323", "1571043797", "1571043797123",
        "Thu1931, 017", "TApril/1015.56964-", "03 05  (Pacific Standard Time)", "2021-W01", "2020-03-23T03:41:46.1234567Z",
        "Sat, 31 Dec 1969 23:59:59 GMT", "12:00", "tomorrow", "", " ", "0", "-1")
        .Select(s => (RawJson)RawString.Of(s));

    /// <summary>Strings that look like numbers, booleans, JSON or JavaScript values.</summary>
    public static readonly Gen<RawJson> LookalikeString = Gen.OneOf(
        "5", " 5 ", "-0", "0x10", "0b1", "0o7", "1e3", "1e309", "Infinity", "-Infinity", "NaN", "9007199254740993",
        "true", "false", "null", "undefined", "[object Object]", "[]", "{}", "[1,2]", "{\"a\":1}", "[{\"sku\":\"s\",\"n\":1e21}]",
        "[{", "\"quoted\"", "function toString() { [native code] }", "constructor", "__defineGetter__", "f", "F", "Female", "MALE",
        "m", "\uff26", "in1", "us1", "none", "NONE", "android", "ANDROİD", "ios", "iOS", "watchos", "chrome", "fcm", "apns", "huawei")
        .Select(s => (RawJson)RawString.Of(s));

    /// <summary>Unicode edge cases, including lone surrogates, written as escapes or raw UTF-8.</summary>
    public static readonly Gen<RawJson> UnicodeString = Gen.OneOf(
        "\"\\ud800\"", "\"\\udc00z\"", "\"\\ud800\\udc00z\"", "\"a\\udfff\\ud800b\"", "\"\\ud83d\\ude00\"", "\"😀\"", "\"字\"",
        "\"\\u0000\"", "\"a\\u0000b\"", "\"\\u2028\\u2029\"", "\"\\u00a0\"", "\"\\u200b\"", "\"\\ufeff\"", "\"é\"", "\"e\\u0301\"",
        "\"\\u0130\"", "\"\\u0131\"", "\"\\u212a\"", "\"ß\"", "\"א ا\"", "\"\\/\"", "\"\\\\\"", "\"\\\"\"", "\"\\b\\f\\n\\r\\t\"",
        "\"\\u001f\"", "\"\\u007f\"", "\"\\uFFFF\"", "\"\\uFFFE\"")
        .Select(t => (RawJson)new RawString(t));

    /// <summary>HTML and Handlebars-looking text (page names are HTML-escaped).</summary>
    public static readonly Gen<RawJson> HtmlString = Gen.OneOf(
        "<b>Click</b> & \"go\"", "Tom & Jerry's \"Show\" = <fun>", "a`b", "{{name}}", "{{{raw}}}", "&amp;", "&lt;script&gt;",
        "<script>alert(1)</script>", "'", "=", "  padded  ", "\t tab", "x\ny", "\u00a0nbsp\u00a0")
        .Select(s => (RawJson)RawString.Of(s));

    /// <summary>Plain printable strings of any length up to a few hundred characters.</summary>
    public static readonly Gen<RawJson> PlainString =
        Gen.String[Gen.Char["abcxyzABC019 ._-/:@&<>'\"\\é字😀"], 0, 40].Select(s => (RawJson)RawString.Of(s));

    /// <summary>
    /// Long strings (1,000 to 8,000 characters). Longer ones belong to the "huge" items of the
    /// mixed mode (README.md): a string spread into keys (a string <c>traits</c>, or a string
    /// <c>overrideFields</c>) makes one key per character, and the output grows with the square of
    /// the length (D8), the time too.
    /// </summary>
    public static readonly Gen<RawJson> LongString =
        Gen.Select(Gen.OneOf("a", "ab ", "😀", "é&<", "\\u0041"), Gen.Int[1_000, 8_000], (unit, length) =>
            (RawJson)new RawString("\"" + string.Concat(Enumerable.Repeat(unit, Math.Max(1, length / unit.Length))) + "\""));

    public static readonly Gen<RawJson> Boolean = Gen.OneOf<RawJson>(RawToken.True, RawToken.False);

    public static readonly Gen<RawJson> Null = Gen.Const<RawJson>(RawToken.Null);

    /// <summary>Any scalar of the kinds above.</summary>
    public static readonly Gen<RawJson> Scalar = Gen.Frequency(
        (4, EdgeNumber), (3, DateString), (4, LookalikeString), (3, UnicodeString), (2, HtmlString), (4, PlainString),
        (1, LongString), (2, Boolean), (2, Null));

    /// <summary>Scalars without the long strings (for keys' values deep inside containers).</summary>
    public static readonly Gen<RawJson> ShortScalar = Gen.Frequency(
        (4, EdgeNumber), (2, DateString), (4, LookalikeString), (3, UnicodeString), (2, HtmlString), (4, PlainString), (2, Boolean), (2, Null));

    /// <summary>Objects that JavaScript treats specially where a string is needed.</summary>
    public static readonly Gen<RawJson> ObjectWithOwnMethods = Gen.Select(
        Gen.OneOf("toString", "valueOf", "toHTML", "toJSON", "length", "0", "constructor", "hasOwnProperty"), ShortScalar,
        (key, value) => (RawJson)RawObject.Of((key, value)));

    /// <summary>Small containers of hostile scalars and odd keys, at most three levels deep.</summary>
    public static readonly Gen<RawJson> Container = Gen.Recursive<RawJson>((depth, inner) =>
    {
        var element = depth >= 2 ? ShortScalar : Gen.Frequency((4, ShortScalar), (1, inner));
        return Gen.Frequency(
            (2, Gen.Const<RawJson>(RawArray.Empty)),
            (2, Gen.Const<RawJson>(RawObject.Empty)),
            (3, element.Array[1, 4].Select(items => (RawJson)RawArray.Of(items))),
            (4, Gen.Select(OddKeys.Key, element).Array[1, 4].Select(members =>
                (RawJson)new RawObject([.. members.Select(m => new RawMember(m.Item1, m.Item2))]))),
            (2, ObjectWithOwnMethods));
    });

    /// <summary>Any value: mostly scalars, sometimes containers.</summary>
    public static readonly Gen<RawJson> Any = Gen.Frequency((5, Scalar), (2, Container));
}
