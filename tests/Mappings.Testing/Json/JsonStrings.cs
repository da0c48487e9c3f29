using System.Globalization;
using System.Text;

namespace Mappings.Testing.Json;

/// <summary>JSON string literals: writing them the way JavaScript's JSON.stringify does, escaping everything, and reading them back.</summary>
public static class JsonStrings
{
    /// <summary>
    /// The literal of <paramref name="value"/> with only the escapes JSON needs: <c>"</c>, <c>\</c>,
    /// control characters, and lone surrogates (which UTF-8 cannot carry) as <c>\uXXXX</c>.
    /// </summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        sb.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>The literal of <paramref name="value"/> with every UTF-16 unit as a <c>\uXXXX</c> escape.</summary>
    public static string QuoteAllEscaped(string value)
    {
        var sb = new StringBuilder(value.Length * 6 + 2);
        sb.Append('"');
        foreach (char c in value) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        return sb.Append('"').ToString();
    }

    /// <summary>The value of a literal (quotes included); lone surrogate escapes stay lone UTF-16 units.</summary>
    public static string Decode(string literal)
    {
        if (literal.Length < 2 || literal[0] != '"' || literal[^1] != '"') throw new FormatException("not a JSON string literal: " + literal);
        var s = literal.AsSpan(1, literal.Length - 2);
        if (s.IndexOf('\\') < 0) return s.ToString();
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            char e = s[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    sb.Append((char)int.Parse(s.Slice(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: sb.Append(e); break;
            }
        }
        return sb.ToString();
    }
}
