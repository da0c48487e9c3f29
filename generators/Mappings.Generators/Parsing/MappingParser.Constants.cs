using System.Globalization;
using System.Text;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;

namespace Mappings.Generators.Parsing;

// JSON constants as the model keeps them.
internal static partial class MappingParser
{
    /// <summary>A JSON constant of the file, as the model keeps it.</summary>
    internal static JsonConst Constant(JNode node) => node switch
    {
        JString s => new JsonConst(ConstKind.String, s.Value, 0, ToJson(node)),
        JNumber n => new JsonConst(ConstKind.Number, string.Empty, n.Value, n.Text),
        JBoolean { Value: true } => new JsonConst(ConstKind.True, string.Empty, 0, "true"),
        JBoolean => new JsonConst(ConstKind.False, string.Empty, 0, "false"),
        JNull => new JsonConst(ConstKind.Null, string.Empty, 0, "null"),
        JObject => new JsonConst(ConstKind.Object, string.Empty, 0, ToJson(node)),
        _ => new JsonConst(ConstKind.Array, string.Empty, 0, ToJson(node)),
    };

    /// <summary>A string constant (the outputs of a value map are its keys).</summary>
    internal static JsonConst Constant(string value) => new(ConstKind.String, value, 0, JsonText.Quote(value));

    /// <summary>Compact JSON text of a constant.</summary>
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
                builder.Append(JsonText.Quote(s.Value));
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

                    builder.Append(JsonText.Quote(o.Properties[i].Name)).Append(':');
                    WriteJson(builder, o.Properties[i].Value);
                }

                builder.Append('}');
                break;
        }
    }
}
