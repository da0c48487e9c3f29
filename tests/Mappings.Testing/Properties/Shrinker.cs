using Mappings.Testing.Json;

namespace Mappings.Testing.Properties;

/// <summary>
/// Makes a failing JSON value smaller while it keeps failing: greedily drops object members and
/// array elements, empties containers and shortens strings, anywhere in the tree, until no single
/// step keeps the failure. CsCheck's own shrinking searches random smaller cases; this one works on
/// the case at hand, so the smallest input of a rare failure comes out too.
/// </summary>
public static class Shrinker
{
    /// <param name="fails">True while the value still shows the failure (must not throw).</param>
    /// <param name="maxTries">How many candidate values to try at most.</param>
    public static RawJson Shrink(RawJson value, Func<RawJson, bool> fails, int maxTries = 5_000)
    {
        int tries = 0;
        bool progress = true;
        while (progress && tries < maxTries)
        {
            progress = false;
            foreach (var candidate in Smaller(value))
            {
                if (++tries > maxTries) break;
                if (!fails(candidate)) continue;
                value = candidate;
                progress = true;
                break;
            }
        }
        return value;
    }

    /// <summary>Values one step smaller than <paramref name="value"/>, biggest steps first.</summary>
    public static IEnumerable<RawJson> Smaller(RawJson value)
    {
        switch (value)
        {
            case RawObject o:
                for (int i = 0; i < o.Members.Length; i++) yield return new RawObject(o.Members.RemoveAt(i));
                for (int i = 0; i < o.Members.Length; i++)
                {
                    foreach (var smaller in Smaller(o.Members[i].Value))
                    {
                        yield return new RawObject(o.Members.SetItem(i, o.Members[i] with { Value = smaller }));
                    }
                }
                break;
            case RawArray a:
                for (int i = 0; i < a.Items.Length; i++) yield return new RawArray(a.Items.RemoveAt(i));
                for (int i = 0; i < a.Items.Length; i++)
                {
                    foreach (var smaller in Smaller(a.Items[i])) yield return new RawArray(a.Items.SetItem(i, smaller));
                }
                break;
            case RawString s when s.Text.Length > 2:
                string text = s.Value;
                if (text.Length > 8) yield return RawString.Of(text[..(text.Length / 2)]);
                yield return RawString.Of("");
                break;
        }
    }
}
