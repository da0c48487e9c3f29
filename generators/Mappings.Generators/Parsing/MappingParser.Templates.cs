using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;

namespace Mappings.Generators.Parsing;

// Templates: "template" with its values, escaping, trimming and fallback.
internal static partial class MappingParser
{
    private static ValueExpr? ParseTemplate(FileContext file, ObjectReader r, JString node, Scope scope)
    {
        var values = ImmutableArray.CreateBuilder<NamedValue>();
        var names = new HashSet<string>();
        if (r.Object("values") is { } valuesNode)
        {
            using ObjectReader vr = file.Read(valuesNode, "values", valuesNode.Properties.Select(p => p.Name).ToArray());
            foreach (JProperty p in valuesNode.Properties)
            {
                if (p.Value is not JObject vo)
                {
                    file.WrongType(p.Name, p.Value, "a value (an object such as {\"path\": \"name\"})");
                    continue;
                }

                ValueExpr? value = ParseValueObject(file, vo, scope, "a template value", objectPlace: "as a template value");
                if (value is not null)
                {
                    values.Add(new NamedValue(p.Name, value));
                }

                names.Add(p.Name);
            }
        }

        bool trim = r.Boolean("trim") ?? false;
        string text = trim ? JsTrim(node.Value) : node.Value;
        ImmutableArray<TemplatePart>? parts = SplitTemplate(text, out string? error, out HashSet<string> used);
        if (parts is null)
        {
            file.Report(DiagnosticDescriptors.InvalidTemplate, node.Span, node.Value, error!);
            return null;
        }

        foreach (string name in used)
        {
            if (!names.Contains(name))
            {
                file.Report(DiagnosticDescriptors.InvalidTemplate, node.Span, node.Value, "{{" + name + "}} has no entry in 'values'");
            }
        }

        foreach (string name in names)
        {
            if (!used.Contains(name))
            {
                file.Report(DiagnosticDescriptors.InvalidTemplate, r.Value("values")!.Span, node.Value, "the value '" + name + "' is never used in the template");
            }
        }

        bool html = false;
        if (r.Value("escape") is { } e)
        {
            html = e switch
            {
                JString { Value: "html" } => true,
                JString { Value: "none" } => false,
                _ => ReportInvalid(file, e, "escape", "\"html\", \"none\"", false),
            };
        }

        bool requireTruthy = false;
        if (r.Value("require") is { } req)
        {
            requireTruthy = req switch
            {
                JString { Value: "truthy" } => true,
                JString { Value: "valid" } => false,
                _ => ReportInvalid(file, req, "require", "\"valid\", \"truthy\"", false),
            };
        }

        JsonConst? otherwise = r.Value("otherwise") is { } o ? Constant(o) : null;
        return new TemplateValue(parts.Value, values.ToImmutable(), html, trim, requireTruthy, otherwise);
    }

    /// <summary>JavaScript's <c>String.prototype.trim</c> (its white space differs from .NET's: U+FEFF yes, U+0085 no).</summary>
    internal static string JsTrim(string text)
    {
        int start = 0;
        int end = text.Length;
        while (start < end && IsJsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsJsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return text.Substring(start, end - start);
    }

    private static bool IsJsWhiteSpace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' or '\uFEFF' => true,
        _ => c >= '\u2000' && c <= '\u200A',
    };

    /// <summary>Splits "a {{x}} b" into parts; null (with an error) when braces do not pair up.</summary>
    internal static ImmutableArray<TemplatePart>? SplitTemplate(string text, out string? error, out HashSet<string> used)
    {
        used = new HashSet<string>();
        var parts = ImmutableArray.CreateBuilder<TemplatePart>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '{')
            {
                int close = text.IndexOf("}}", i + 2, System.StringComparison.Ordinal);
                if (close < 0)
                {
                    error = "'{{' at position " + (i + 1) + " is never closed with '}}'";
                    return null;
                }

                string name = text.Substring(i + 2, close - i - 2).Trim();
                if (!IsIdentifier(name))
                {
                    error = "'{{" + text.Substring(i + 2, close - i - 2) + "}}' must name a value with letters, digits and '_'";
                    return null;
                }

                if (literal.Length > 0)
                {
                    parts.Add(new TemplatePart(literal.ToString(), null));
                    literal.Clear();
                }

                parts.Add(new TemplatePart(null, name));
                used.Add(name);
                i = close + 2;
                continue;
            }

            if (text[i] == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                error = "'}}' at position " + (i + 1) + " closes nothing";
                return null;
            }

            literal.Append(text[i]);
            i++;
        }

        if (literal.Length > 0)
        {
            parts.Add(new TemplatePart(literal.ToString(), null));
        }

        error = null;
        return parts.ToImmutable();
    }
}
