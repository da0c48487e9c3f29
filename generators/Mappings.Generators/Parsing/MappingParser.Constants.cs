using System.Globalization;
using System.Text;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;

namespace Mappings.Generators.Parsing;

// JSON constants as the model keeps them.
internal static partial class MappingParser
{
    /// <summary>Compact JSON text of a constant, as the model keeps it.</summary>
    internal static string ToJson(JNode node)
    {
        var builder = new StringBuilder();
        WriteJson(builder, node);
        return builder.ToString();
    }

    private static void WriteJson(StringBuilder builder, JNode node)
    {
        switch (node)
        {
            case JString s:
                builder.Append(JsonString(s.Value));
                break;
            case JNumber n:
                builder.Append(n.Text);
                break;
            case JBoolean b:
                builder.Append(b.Value ? "true" : "false");
                break;
            case JNull:
                builder.Append("null");
                break;
            case JArray a:
                builder.Append('[');
                for (int i = 0; i < a.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    WriteJson(builder, a.Items[i]);
                }

                builder.Append(']');
                break;
            case JObject o:
                builder.Append('{');
                for (int i = 0; i < o.Properties.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    builder.Append(JsonString(o.Properties[i].Name)).Append(':');
                    WriteJson(builder, o.Properties[i].Value);
                }

                builder.Append('}');
                break;
        }
    }

    /// <summary>A JSON string literal (escaped as JSON.stringify escapes).</summary>
    internal static string JsonString(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
