using Mappings.Testing.Json;

namespace Mappings.Testing.Generation;

/// <summary>One change to a processor request item, named by a tag in the style of the adversarial set's tags.</summary>
public sealed record Mutation(string Tag, Func<RawJson, RawJson> Apply)
{
    public override string ToString() => Tag;

    /// <summary>Sets the value at a path of the item (steps that are missing or not objects become objects).</summary>
    public static Mutation Set(string tag, string[] itemPath, RawJson value) => new(tag, item => item.SetAt(itemPath, value));

    /// <summary>Removes the members at a path of the item.</summary>
    public static Mutation Remove(string tag, string[] itemPath) => new(tag, item => item.RemoveAt(itemPath));

    /// <summary>Changes the object at a path of the item (nothing happens when it is not an object).</summary>
    public static Mutation OnObject(string tag, string[] itemPath, Func<RawObject, RawJson> change) => new(tag, item =>
        item.At(itemPath) is RawObject o ? item.SetAt(itemPath, change(o)) : item);

    /// <summary>Path steps of a dotted path below <paramref name="root"/> (<c>"message", "traits.email"</c> → message/traits/email).</summary>
    public static string[] Steps(string root, string dotted) => [root, .. dotted.Split('.')];
}
