using System.Collections.Generic;
using System.Linq;

namespace Mappings.Generators.Emitting;

/// <summary>
/// The static members a generated class declares — pre-encoded names, prepared paths, value and
/// key sets — each once however often it is used, named after what it holds
/// (<c>EmailKey</c>, <c>EnableObjectIdMapping</c>, <c>GenderFemaleValues</c>) and grouped by kind
/// in order of first use.
/// </summary>
internal sealed class Statics
{
    /// <summary>The groups, in the order the class declares them (Code.sbn-cs gives each its comment).</summary>
    public static readonly string[] GroupKinds = { "keys", "texts", "messages", "paths", "fields", "properties", "values", "keySets" };

    private readonly MemberNames _names;
    private readonly Dictionary<string, List<StaticView>> _groups = GroupKinds.ToDictionary(k => k, _ => new List<StaticView>());

    public Statics(MemberNames names) => _names = names;

    public List<StaticGroupView> Groups()
        => GroupKinds.Where(k => _groups[k].Count > 0).Select(k => new StaticGroupView { Title = k, Items = _groups[k] }).ToList();

    /// <summary>A destination key the class writes: <c>EmailKey</c>.</summary>
    public string Key(string key) => Add("keys", "key:" + key, Names.Pascal(key) + "Key", "name", key);

    /// <summary>A string constant the class writes: <c>ProfileText</c> (named after <paramref name="hint"/> when its words are many).</summary>
    public string Text(string text, string hint, string? preferred = null)
    {
        List<string> words = Names.Words(text);
        string stem = words.Count is > 0 and <= 3 && words.Sum(w => w.Length) <= 24 ? Names.Pascal(text) : hint;
        return Add("texts", "text:" + text, preferred ?? stem + "Text", "name", text);
    }

    /// <summary>
    /// The message of a failed event, named after its words (the first ten of a longer one):
    /// <c>UnableToProcessWithoutAnonymousIdOrUserIdError</c>; or <paramref name="preferred"/>.
    /// </summary>
    public string Message(string text, string? preferred = null)
        => Add("messages", "message:" + text, preferred ?? Names.Pascal(text, maxWords: 10) + "Error", "name", text);

    /// <summary>A property name (<c>$config.x</c>, <c>$name.x</c>): <c>EnableObjectIdMapping</c>.</summary>
    public string Property(string name) => Add("properties", "property:" + name, Names.Pascal(name), "name", name);

    /// <summary>A prepared message path: <c>ContextDeviceTokenPath</c>.</summary>
    public string Path(string path) => Add("paths", "path:" + path, Names.Pascal(path) + "Path", "path", path);

    /// <summary>A list of prepared message paths: <c>EmailOnlyPaths</c>.</summary>
    public string Paths(IReadOnlyList<string> paths, string hint)
        => Add("paths", "paths:" + string.Join("\u0001", paths), hint + "Paths", "paths", string.Empty, paths);

    /// <summary>Names read one after the other (direct property access): <c>MessageTraitsOverrideFields</c>.</summary>
    public string Chain(string names) => Add("paths", "chain:" + names, "Message" + Names.Pascal(names), "chain", names);

    /// <summary>The names read from one object in one pass, those of the struct <paramref name="type"/>: <c>TraitsNames</c>.</summary>
    public string Fields(string source, string type)
    {
        string name = Add("fields", "fields:" + source, Names.Pascal(source) + "Names", "fields", source);
        _groups["fields"].First(s => s.Name == name).Type = type;
        return name;
    }

    /// <summary>Strings a value is compared with: <c>GenderFemaleValues</c>.</summary>
    public string Strings(IReadOnlyList<string> values, string hint)
        => Add("values", "strings:" + string.Join("\u0001", values), hint + "Values", "strings", string.Empty, values);

    /// <summary>A set of keys: <c>ProfileDataExcludedKeys</c>.</summary>
    public string Keys(IReadOnlyList<string> keys, string preferred)
        => Add("keySets", "keys:" + string.Join("\u0001", keys), preferred, "keys", string.Empty, keys);

    private string Add(string group, string identity, string preferred, string kind, string text, IReadOnlyList<string>? items = null)
    {
        if (_names.Claim(identity, preferred, out string name))
        {
            _groups[group].Add(new StaticView { Kind = kind, Name = name, Text = text, Items = items?.ToList() ?? new List<string>() });
        }

        return name;
    }
}
