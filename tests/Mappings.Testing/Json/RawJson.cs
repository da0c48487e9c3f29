using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace Mappings.Testing.Json;

/// <summary>
/// A JSON value kept as its text: scalars and keys hold their exact spelling (number forms such as
/// <c>1e309</c> or <c>-0</c>, escapes such as <c>\ud800</c> or <c>\u0061</c>), objects keep every
/// member in order, duplicate keys included. Immutable, so seeds can be shared by every generated
/// case; edits return new values that share the untouched parts. Written out as text by
/// <see cref="WriteTo"/> — nothing here goes through a JSON serializer, which would change exactly
/// what the generated cases are about.
/// </summary>
public abstract class RawJson
{
    private protected RawJson()
    {
    }

    /// <summary>Appends the value's text.</summary>
    public abstract void WriteTo(JsonTextWriter writer);

    /// <summary>The value as UTF-8 JSON text in the given layout (compact by default).</summary>
    public byte[] ToUtf8(JsonLayout layout = default)
    {
        var writer = new JsonTextWriter(layout);
        WriteTo(writer);
        return writer.ToArray();
    }

    public override string ToString() => Encoding.UTF8.GetString(ToUtf8());

    /// <summary>Reads JSON text keeping every spelling (any depth; duplicate keys kept).</summary>
    public static RawJson Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 100_000 });
        if (!reader.Read()) throw new JsonException("empty JSON text");
        var value = Read(ref reader);
        if (reader.Read()) throw new JsonException("more than one JSON value");
        return value;
    }

    private static RawJson Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var members = ImmutableArray.CreateBuilder<RawMember>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = new RawString("\"" + Encoding.UTF8.GetString(reader.ValueSpan) + "\"");
                    reader.Read();
                    members.Add(new RawMember(key, Read(ref reader)));
                }
                return new RawObject(members.ToImmutable());
            }
            case JsonTokenType.StartArray:
            {
                var items = ImmutableArray.CreateBuilder<RawJson>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(Read(ref reader));
                return new RawArray(items.ToImmutable());
            }
            case JsonTokenType.String:
                return new RawString("\"" + Encoding.UTF8.GetString(reader.ValueSpan) + "\"");
            case JsonTokenType.Number:
                return RawToken.Number(Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.True:
                return RawToken.True;
            case JsonTokenType.False:
                return RawToken.False;
            case JsonTokenType.Null:
                return RawToken.Null;
            default:
                throw new JsonException($"unexpected {reader.TokenType}");
        }
    }

    /// <summary>The member <paramref name="name"/> of an object (the last one, as JavaScript reads duplicates), else null.</summary>
    public RawJson? this[string name] => this is RawObject o ? o.Get(name) : null;

    /// <summary>The value at a path of member names, or null when a step is missing or not an object.</summary>
    public RawJson? At(params string[] path)
    {
        RawJson? value = this;
        foreach (string step in path)
        {
            value = value?[step];
            if (value is null) return null;
        }
        return value;
    }

    /// <summary>
    /// A copy with the value at <paramref name="path"/> replaced (the last member of that name keeps
    /// its place; a missing one is added at the end). Steps that are missing or not objects become
    /// objects.
    /// </summary>
    public RawJson SetAt(ReadOnlySpan<string> path, RawJson value)
    {
        if (path.IsEmpty) return value;
        var obj = this as RawObject ?? RawObject.Empty;
        var child = obj.Get(path[0]) ?? RawObject.Empty;
        return obj.Set(path[0], child.SetAt(path[1..], value));
    }

    /// <summary>A copy without the members at <paramref name="path"/> (all of that name); unchanged when absent.</summary>
    public RawJson RemoveAt(ReadOnlySpan<string> path)
    {
        if (path.IsEmpty || this is not RawObject obj) return this;
        if (path.Length == 1) return obj.Remove(path[0]);
        var child = obj.Get(path[0]);
        return child is null ? this : obj.Set(path[0], child.RemoveAt(path[1..]));
    }

    /// <summary>Number of values in the tree (a size measure for shrinking and reports).</summary>
    public abstract int Count { get; }
}

/// <summary>A scalar written exactly as its text: a number, <c>true</c>, <c>false</c>, <c>null</c> (strings: <see cref="RawString"/>).</summary>
public class RawToken : RawJson
{
    public static readonly RawToken True = new("true");
    public static readonly RawToken False = new("false");
    public static readonly RawToken Null = new("null");

    private protected RawToken(string text)
    {
        Text = text;
    }

    /// <summary>The exact JSON text.</summary>
    public string Text { get; }

    public static RawToken Number(string text) => new(text);

    /// <summary>
    /// Any text written as it is, valid JSON or not (for bad items of the reliability tests). Keep
    /// LF out of it: the CLI reads one item per line.
    /// </summary>
    public static RawToken Verbatim(string text) => new(text);

    public override void WriteTo(JsonTextWriter writer) => writer.Append(Text);

    public override int Count => 1;
}

/// <summary>A JSON string literal, quotes included, spelled exactly (escapes kept as written).</summary>
public sealed class RawString : RawToken
{
    public RawString(string literal)
        : base(literal)
    {
    }

    /// <summary>The string's value (escapes decoded; a lone surrogate escape becomes that lone UTF-16 unit).</summary>
    public string Value => JsonStrings.Decode(Text);

    /// <summary>The literal of <paramref name="value"/> with only the escapes JSON requires (lone surrogates as <c>\uXXXX</c>).</summary>
    public static RawString Of(string value) => new(JsonStrings.Quote(value));

    /// <summary>The literal of <paramref name="value"/> with every UTF-16 unit written as a <c>\uXXXX</c> escape.</summary>
    public static RawString Escaped(string value) => new(JsonStrings.QuoteAllEscaped(value));
}

/// <summary>One member of an object: its key literal and its value.</summary>
public readonly record struct RawMember(RawString Key, RawJson Value)
{
    public string Name => Key.Value;
}

/// <summary>A JSON array.</summary>
public sealed class RawArray(ImmutableArray<RawJson> items) : RawJson
{
    public static readonly RawArray Empty = new([]);

    public ImmutableArray<RawJson> Items { get; } = items;

    public static RawArray Of(params RawJson[] items) => new([.. items]);

    public override void WriteTo(JsonTextWriter writer)
    {
        writer.Open('[');
        for (int i = 0; i < Items.Length; i++)
        {
            if (i > 0) writer.Comma();
            Items[i].WriteTo(writer);
        }
        writer.Close(']');
    }

    public override int Count => 1 + Items.Sum(i => i.Count);
}

/// <summary>A JSON object: its members in order, duplicate keys kept.</summary>
public sealed class RawObject(ImmutableArray<RawMember> members) : RawJson
{
    public static readonly RawObject Empty = new([]);

    public ImmutableArray<RawMember> Members { get; } = members;

    public static RawObject Of(params (string Name, RawJson Value)[] members) =>
        new([.. members.Select(m => new RawMember(RawString.Of(m.Name), m.Value))]);

    /// <summary>The last member named <paramref name="name"/> (JavaScript's reading of duplicates), else null.</summary>
    public RawJson? Get(string name)
    {
        int i = LastIndexOf(name);
        return i < 0 ? null : Members[i].Value;
    }

    public int LastIndexOf(string name)
    {
        for (int i = Members.Length - 1; i >= 0; i--)
        {
            if (Members[i].Name == name) return i;
        }
        return -1;
    }

    /// <summary>A copy with the last member of that name given the value, or with the member added at the end.</summary>
    public RawObject Set(string name, RawJson value)
    {
        int i = LastIndexOf(name);
        return i < 0 ? Add(RawString.Of(name), value) : new RawObject(Members.SetItem(i, Members[i] with { Value = value }));
    }

    /// <summary>A copy with one more member at the end (a duplicate when the key is already there).</summary>
    public RawObject Add(RawString key, RawJson value) => new(Members.Add(new RawMember(key, value)));

    /// <summary>A copy with one more member at <paramref name="index"/>.</summary>
    public RawObject Insert(int index, RawString key, RawJson value) => new(Members.Insert(index, new RawMember(key, value)));

    /// <summary>A copy without any member of that name.</summary>
    public RawObject Remove(string name) => new([.. Members.Where(m => m.Name != name)]);

    public override void WriteTo(JsonTextWriter writer)
    {
        writer.Open('{');
        for (int i = 0; i < Members.Length; i++)
        {
            if (i > 0) writer.Comma();
            Members[i].Key.WriteTo(writer);
            writer.Colon();
            Members[i].Value.WriteTo(writer);
        }
        writer.Close('}');
    }

    public override int Count => 1 + Members.Sum(m => m.Value.Count);
}
