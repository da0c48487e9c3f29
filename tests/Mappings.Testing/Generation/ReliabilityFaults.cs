using System.Collections.Immutable;
using CsCheck;
using Mappings.Testing.Json;

namespace Mappings.Testing.Generation;

/// <summary>
/// The faults of the reliability work, for <see cref="GeneratorOptions.ExtraFaults"/>: items nested
/// more than 1,000 levels deep (D7: in the message, a property, the Config, or through a key of more
/// than 1,000 dot-separated parts) and items whose output would be huge (D8: a key asking for a
/// sparse array of tens of millions of slots, or a length set that high). Each such item must fail
/// alone, with exactly one entry carrying its metadata. (Deep metadata is left to unit tests: its
/// echo holds an empty container where the parts too deep were.)
/// </summary>
public static class ReliabilityFaults
{
    private static RawJson Parse(string text) => RawJson.Parse(System.Text.Encoding.UTF8.GetBytes(text));

    private static string Nested(int levels, bool objects) =>
        objects
            ? string.Concat(Enumerable.Repeat("{\"n\":", levels)) + "1" + new string('}', levels)
            : new string('[', levels) + "1" + new string(']', levels);

    /// <summary>A value nested 1,000 to 1,500 levels deep (arrays or objects) at a path of the item: deep enough to pass the item's limit wherever it lands.</summary>
    public static readonly Gen<Mutation> Deep = Gen.Select(
        Gen.OneOf<string[]>(["message", "properties", "deep"], ["message", "traits", "deep"], ["destination", "Config", "deep"], ["message", "context", "deep"]),
        Gen.Int[1000, 1500],
        Gen.Bool,
        (path, levels, objects) => Mutation.Set($"deep:{string.Join('.', path)}:{levels}", path, Parse(Nested(levels, objects))));

    /// <summary>A trait whose key has more than 1,000 dot-separated parts: a path write that would nest the output too deep.</summary>
    public static readonly Gen<Mutation> LongKey = Gen.Int[1001, 1400].Select(parts =>
        Mutation.OnObject($"deep:key-parts:{parts}", ["message"], message =>
        {
            string key = string.Join(".", Enumerable.Range(0, parts).Select(i => "k" + (i % 10)));
            var traits = message["traits"] as RawObject ?? new RawObject([]);
            return message.SetAt(["traits"], traits.Add(new RawString(System.Text.Json.JsonSerializer.Serialize(key)), Parse("1")));
        }));

    /// <summary>Traits that ask for a huge sparse array (an index or a length in the tens of millions or more).</summary>
    public static readonly Gen<Mutation> HugeOutput = Gen.OneOf(
            "{\"x.80000000\":1}", "{\"x.0\":1,\"x.length\":3000000000}", "{\"a.b.20000000\":true}", "{\"x.4294967294\":1}")
        .Select(traits => Mutation.OnObject($"huge:{traits}", ["message"], message =>
            message.SetAt(["type"], Parse("\"identify\"")).SetAt(["traits"], Parse(traits))));

    /// <summary>The three, weighted for <see cref="GeneratorOptions.ExtraFaults"/>.</summary>
    public static readonly ImmutableArray<(int Weight, Gen<Mutation> Fault)> All = [(3, Deep), (1, LongKey), (2, HugeOutput)];
}
