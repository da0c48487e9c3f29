using System.Collections.Generic;
using System.Text;

namespace Mappings.Generators.Emitting;

/// <summary>
/// The last step of rendering: indentation and blank lines. Templates write each line's text;
/// here every line is indented by the brackets open before it (<c>{</c>, <c>(</c>, <c>[</c>
/// outside strings and comments, four spaces each), trailing white space goes, blank lines
/// collapse to one, and none follows an opening brace or precedes a closing one. So nested
/// template functions need not know how deep they are, and the output's layout does not depend on
/// how a template is indented.
/// </summary>
internal static class Layout
{
    public static string Format(string text)
    {
        var output = new StringBuilder(text.Length + text.Length / 4);
        var lines = new List<string>();
        foreach (string raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            lines.Add(raw.Trim());
        }

        int depth = 0;
        bool pendingBlank = false;
        bool afterOpen = true;
        foreach (string line in lines)
        {
            if (line.Length == 0)
            {
                pendingBlank = !afterOpen;
                continue;
            }

            (int leadingClosers, int net) = Brackets(line);
            bool closes = leadingClosers > 0 && line[0] == '}';
            if (pendingBlank && !closes)
            {
                output.Append('\n');
            }

            pendingBlank = false;
            int indent = depth - leadingClosers;
            output.Append(' ', (indent < 0 ? 0 : indent) * 4).Append(line).Append('\n');
            depth += net;
            afterOpen = line[line.Length - 1] == '{';
        }

        return output.ToString();
    }

    /// <summary>How many brackets close at the start of the line, and the net number it opens.</summary>
    private static (int LeadingClosers, int Net) Brackets(string line)
    {
        int net = 0;
        int leading = 0;
        bool atStart = true;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            switch (c)
            {
                case '/' when i + 1 < line.Length && line[i + 1] == '/':
                    return (leading, net);
                case '"' when i + 2 < line.Length && line[i + 1] == '"' && line[i + 2] == '"':
                    // A raw string literal on one line ("""{"kind":"field"}"""): nothing inside counts.
                    int end = line.IndexOf("\"\"\"", i + 3, System.StringComparison.Ordinal);
                    i = end < 0 ? line.Length - 1 : end + 2;
                    atStart = false;
                    break;
                case '"':
                    i = EndOfString(line, i);
                    atStart = false;
                    break;
                case '\'':
                    i = EndOfChar(line, i);
                    atStart = false;
                    break;
                case '{' or '(' or '[':
                    net++;
                    atStart = false;
                    break;
                case '}' or ')' or ']':
                    net--;
                    if (atStart)
                    {
                        leading++;
                    }

                    break;
                case ' ':
                    break;
                default:
                    atStart = false;
                    break;
            }
        }

        return (leading, net);
    }

    private static int EndOfString(string line, int start)
    {
        for (int i = start + 1; i < line.Length; i++)
        {
            if (line[i] == '\\')
            {
                i++;
            }
            else if (line[i] == '"')
            {
                return i;
            }
        }

        return line.Length - 1;
    }

    private static int EndOfChar(string line, int start)
    {
        for (int i = start + 1; i < line.Length; i++)
        {
            if (line[i] == '\\')
            {
                i++;
            }
            else if (line[i] == '\'')
            {
                return i;
            }
        }

        return line.Length - 1;
    }
}
