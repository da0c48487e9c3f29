using System.Collections.Generic;
using System.Text;
using Mappings.Generators.Helpers;
using Mappings.Generators.Parsing.Jsonc;

namespace Mappings.Generators.Parsing;

/// <summary>
/// An entry of a mapping file shown on one line, as generated code quotes it in a comment:
/// <c>{ "key": "Email", "paths": "@emailOnly" }</c>. Comments and line breaks of the file are gone;
/// when the entry is longer than <see cref="Budget"/> characters, its longest nested objects and
/// arrays are shown as <c>{ … }</c> and <c>[ … ]</c> until it fits.
/// </summary>
internal static class EntryText
{
    public const int Budget = 110;

    /// <summary>A value: <c>{ "key": "Email", … }</c>.</summary>
    public static string Of(JNode node) => Shorten((abbreviated, shown) => Render(node, abbreviated, shown), node);

    /// <summary>A property with its value: <c>"customFields": { … }</c>.</summary>
    public static string Of(JProperty property)
        => Shorten((abbreviated, shown) => JsonText.Quote(property.Name) + ": " + Render(property.Value, abbreviated, shown), property.Value);

    /// <summary>
    /// Renders with more and more of the longest nested containers elided; if that is not enough,
    /// with fewer and fewer of the root object's properties (the rest as <c>…</c>).
    /// </summary>
    private static string Shorten(System.Func<HashSet<JNode>, int, string> render, JNode root)
    {
        var abbreviated = new HashSet<JNode>();
        int shown = root is JObject o ? o.Properties.Count : int.MaxValue;
        string text = render(abbreviated, shown);
        while (text.Length > Budget)
        {
            // The longest nested container still shown in full (the root itself stays open).
            JNode? longest = null;
            int longestLength = 0;
            foreach (JNode candidate in Containers(root, abbreviated, isRoot: true))
            {
                int length = Render(candidate, abbreviated, int.MaxValue).Length;
                if (length > longestLength && length > 5)
                {
                    longest = candidate;
                    longestLength = length;
                }
            }

            if (longest is not null)
            {
                abbreviated.Add(longest);
            }
            else if (shown > 1 && shown != int.MaxValue)
            {
                shown--;
            }
            else
            {
                text = text.Substring(0, Budget - 2) + " …";
                break;
            }

            text = render(abbreviated, shown);
        }

        return Safe(text);
    }

    private static IEnumerable<JNode> Containers(JNode node, HashSet<JNode> abbreviated, bool isRoot)
    {
        if (abbreviated.Contains(node))
        {
            yield break;
        }

        if (!isRoot && node is JObject or JArray)
        {
            yield return node;
        }

        IEnumerable<JNode> children = node switch
        {
            JObject o => Values(o),
            JArray a => a.Items,
            _ => System.Array.Empty<JNode>(),
        };
        foreach (JNode child in children)
        {
            foreach (JNode nested in Containers(child, abbreviated, isRoot: false))
            {
                yield return nested;
            }
        }
    }

    private static IEnumerable<JNode> Values(JObject o)
    {
        foreach (JProperty p in o.Properties)
        {
            yield return p.Value;
        }
    }

    /// <param name="shown">How many properties of <paramref name="node"/> (an object) to show; the rest become <c>…</c>.</param>
    private static string Render(JNode node, HashSet<JNode> abbreviated, int shown)
    {
        var builder = new StringBuilder();
        Render(builder, node, abbreviated, shown);
        return builder.ToString();
    }

    private static void Render(StringBuilder builder, JNode node, HashSet<JNode> abbreviated, int shown = int.MaxValue)
    {
        switch (node)
        {
            case JObject o when o.Properties.Count == 0:
                builder.Append("{}");
                break;
            case JObject when abbreviated.Contains(node):
                builder.Append("{ … }");
                break;
            case JObject o:
                builder.Append("{ ");
                for (int i = 0; i < o.Properties.Count && i < shown; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    builder.Append(JsonText.Quote(o.Properties[i].Name)).Append(": ");
                    Render(builder, o.Properties[i].Value, abbreviated);
                }

                builder.Append(shown < o.Properties.Count ? ", … }" : " }");
                break;
            case JArray a when a.Items.Count == 0:
                builder.Append("[]");
                break;
            case JArray when abbreviated.Contains(node):
                builder.Append("[ … ]");
                break;
            case JArray a:
                builder.Append('[');
                for (int i = 0; i < a.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    Render(builder, a.Items[i], abbreviated);
                }

                builder.Append(']');
                break;
            case JString s:
                builder.Append(JsonText.Quote(s.Value));
                break;
            case JNumber n:
                builder.Append(n.Text);
                break;
            case JBoolean b:
                builder.Append(b.Value ? "true" : "false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    /// <summary>No character C# reads as the end of a line (the text goes into a <c>//</c> comment).</summary>
    private static string Safe(string text)
        => text.Replace("\u0085", "\\u0085").Replace("\u2028", "\\u2028").Replace("\u2029", "\\u2029");
}
