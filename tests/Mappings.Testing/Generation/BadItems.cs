using CsCheck;
using Mappings.Testing.Json;

namespace Mappings.Testing.Generation;

/// <summary>
/// Faults that make an item malformed rather than hostile (the "mixed" mode of
/// <see cref="GeneratorOptions"/>): not an object, message, destination or metadata missing or of
/// another type, a <c>__proto__</c> key somewhere in the item (D6), any spelling. Every such item
/// must still get exactly its one outcome. More kinds (deep items, huge-output items) are added in
/// <see cref="GeneratorOptions.ExtraFaults"/> — see README.md.
/// </summary>
public static class BadItems
{
    private static RawJson Parse(string text) => RawJson.Parse(System.Text.Encoding.UTF8.GetBytes(text));

    public static readonly Gen<Mutation> NotAnObject = Gen.OneOf("5", "\"item\"", "null", "true", "[]", "[{}]", "{}", "-0", "\"\\ud800\"")
        .Select(text => new Mutation("item:" + text, _ => Parse(text)));

    public static readonly Gen<Mutation> MissingPart = Gen.OneOf("message", "destination", "metadata")
        .Select(part => Mutation.Remove("item:no-" + part, [part]));

    public static readonly Gen<Mutation> PartOfAnotherType = Gen.Select(
        Gen.OneOf("message", "destination", "metadata"), Gen.OneOf("null", "5", "\"x\"", "[]", "[{}]", "true", "{}"),
        (part, text) => Mutation.Set($"item:{part}={text}", [part], Parse(text)));

    /// <summary>A <c>__proto__</c> key (plain or escaped) in the message, its traits, the metadata, the Config or the item itself.</summary>
    public static readonly Gen<Mutation> ProtoKey = Gen.Select(
        Gen.OneOf<string[]>(["message"], ["message", "traits"], ["metadata"], ["destination", "Config"], []),
        Gen.OneOf("\"__proto__\"", "\"\\u005f_proto__\"", "\"__proto\\u005f_\""),
        Gen.OneOf("{}", "{\"polluted\":1}", "null", "[]"),
        (path, key, value) => new Mutation($"proto:{string.Join('.', path)}", item =>
        {
            var member = new RawString(key);
            if (path.Length == 0) return item is RawObject o ? o.Add(member, Parse(value)) : item;
            return item.At(path) is RawObject target ? item.SetAt(path, target.Add(member, Parse(value))) : item.SetAt(path, new RawObject([new RawMember(member, Parse(value))]));
        }));

    /// <summary>Every fault above, weighted.</summary>
    public static readonly Gen<Mutation> Any = Gen.Frequency((2, NotAnObject), (3, MissingPart), (3, PartOfAnotherType), (2, ProtoKey));
}
