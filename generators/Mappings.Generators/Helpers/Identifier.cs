using System.Text;

namespace Mappings.Generators.Helpers;

/// <summary>C# identifiers derived from the names of mapping files and message types.</summary>
internal static class Identifier
{
    /// <summary>
    /// A type or method name from a name or relative path: each run of letters and digits becomes a
    /// capitalised word, everything else is dropped, the extension is ignored
    /// (<c>clevertap/placeholder.json</c> → <c>ClevertapPlaceholder</c>, <c>common.json</c> → <c>Common</c>,
    /// <c>order_completed</c> → <c>OrderCompleted</c>).
    /// </summary>
    public static string Pascal(string relativePath)
    {
        int dot = relativePath.LastIndexOf('.');
        string withoutExtension = dot > 0 ? relativePath.Substring(0, dot) : relativePath;

        var builder = new StringBuilder(withoutExtension.Length);
        bool startOfWord = true;
        foreach (char c in withoutExtension)
        {
            if (c < 128 && char.IsLetterOrDigit(c))
            {
                builder.Append(startOfWord ? char.ToUpperInvariant(c) : c);
                startOfWord = false;
            }
            else
            {
                startOfWord = true;
            }
        }

        if (builder.Length == 0 || char.IsDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
