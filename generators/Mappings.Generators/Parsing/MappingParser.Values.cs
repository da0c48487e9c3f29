using System.Collections.Immutable;
using System.Linq;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Parsing;

// Value sources: path, paths, firstTruthy, const, lower, object, cases.
internal static partial class MappingParser
{
    /// <summary>Reads the value source of a field (exactly one of <see cref="SourceNames"/>).</summary>
    private static ValueExpr? ParseValueSources(FileContext file, ObjectReader r, Scope scope, string? objectPlace)
    {
        var present = SourceNames.Where(r.Has).ToList();
        if (present.Count != 1)
        {
            string description = present.Count == 0 ? "no value source" : present.Count + " value sources (" + string.Join(", ", present) + ")";
            file.Report(DiagnosticDescriptors.ValueSources, new TextSpan(r.Node.Span.Start, 1), description);
            return null;
        }

        string source = present[0];
        JProperty property = r.Property(source)!;
        JNode node = property.Value;
        if (source != "template")
        {
            foreach (string templateOnly in new[] { "values", "escape", "trim", "require", "otherwise" })
            {
                if (r.Property(templateOnly) is { } stray)
                {
                    file.Report(DiagnosticDescriptors.TemplatePropertyWithoutTemplate, stray.NameSpan, templateOnly);
                }
            }
        }

        switch (source)
        {
            case "path":
                return node is JString p ? ParsePathValue(file, p, scope) : WrongTypeNull(file, source, node, "a path string");
            case "paths":
                return ParsePathsValue(file, node, scope);
            case "firstTruthy":
                return ParseFirstTruthy(file, node, scope);
            case "const":
                return new ConstValue(Constant(node));
            case "lower":
                if (!scope.Lower)
                {
                    file.Report(DiagnosticDescriptors.LowerOutsideNamedValue, property.NameSpan);
                    return null;
                }

                if (node is not JString lp)
                {
                    return WrongTypeNull(file, source, node, "a path string");
                }

                return ParsePathValue(file, lp, scope) is PathValue pv ? new LowerValue(pv.Path) : null;
            case "template":
                return node is JString t ? ParseTemplate(file, r, t, scope) : WrongTypeNull(file, source, node, "a template string");
            case "object":
                if (!scope.Message)
                {
                    // Request settings are single values (a URL, a header); the code written for them
                    // has no event to fail, so an object's 'fail' or 'required' could not compile.
                    file.Report(DiagnosticDescriptors.RequestSettingsReadConfigOnly, property.NameSpan, "An object");
                    return null;
                }

                if (objectPlace is not null)
                {
                    file.Report(DiagnosticDescriptors.ObjectNotAllowedHere, property.NameSpan, objectPlace);
                    return null;
                }

                return node is JObject o ? new ObjectValue(ParseObjectSpec(file, o, scope, "an object")) : WrongTypeNull(file, source, node, "an object");
            case "cases":
                return ParseCases(file, node, scope, objectPlace);
            default:
                return null;
        }
    }

    private static ValueExpr? WrongTypeNull(FileContext file, string name, JNode node, string expected)
    {
        file.WrongType(name, node, expected);
        return null;
    }

    /// <summary>A value given as an object with one source (lets, assign, template values, operands).</summary>
    private static ValueExpr? ParseValueObject(FileContext file, JObject node, Scope scope, string what, string objectPlace)
    {
        using ObjectReader r = file.Read(node, what, SourceNames.Concat(new[] { "values", "escape", "trim", "require", "otherwise" }).ToArray());
        return ParseValueSources(file, r, scope, objectPlace);
    }

    private static ValueExpr? ParsePathValue(FileContext file, JString node, Scope scope)
    {
        ValuePath? path = ParseValuePath(file, node.Value, node.Span, scope);
        return path is null ? null : new PathValue(path);
    }

    private static ValueExpr? ParsePathsValue(FileContext file, JNode node, Scope scope)
    {
        if (node is JString s)
        {
            if (!s.Value.StartsWith("@", System.StringComparison.Ordinal))
            {
                file.Report(DiagnosticDescriptors.InvalidPath, s.Span, s.Value, "'paths' takes a list of message paths or the name of a path list written as @name");
                return null;
            }

            string name = s.Value.Substring(1);
            if (!IsIdentifier(name))
            {
                file.Report(DiagnosticDescriptors.InvalidPath, s.Span, s.Value, "a path list is named with letters, digits and '_'");
                return null;
            }

            CheckMessageScope(file, s.Span, scope, "The path list '" + s.Value + "'");
            file.Refer(ReferenceKind.PathList, name, s.Span);
            return new FirstValidValue(EquatableArray<ValuePath>.Empty, name);
        }

        if (node is JArray)
        {
            CheckMessageScope(file, node.Span, scope, "'paths'");
            return new FirstValidValue(ParseMessagePathArray(file, "paths", node), null);
        }

        return WrongTypeNull(file, "paths", node, "an array of message paths or \"@listName\"");
    }

    private static ValueExpr? ParseFirstTruthy(FileContext file, JNode node, Scope scope)
    {
        if (node is not JArray)
        {
            return WrongTypeNull(file, "firstTruthy", node, "an array of message paths");
        }

        CheckMessageScope(file, node.Span, scope, "'firstTruthy'");
        return new FirstTruthyValue(ParseMessagePathArray(file, "firstTruthy", node));
    }

    /// <summary>Request settings have no message: <paramref name="what"/> (which reads it) is MAP013 there.</summary>
    private static void CheckMessageScope(FileContext file, TextSpan span, Scope scope, string what)
    {
        if (!scope.Message)
        {
            file.Report(DiagnosticDescriptors.RequestSettingsReadConfigOnly, span, what);
        }
    }

    /// <summary>
    /// The cases of a value. Their values are refused an object wherever the cases themselves are
    /// (<paramref name="objectPlace"/>): a named value built from cases is still a named value.
    /// </summary>
    private static ValueExpr? ParseCases(FileContext file, JNode node, Scope scope, string? objectPlace)
    {
        const string InACase = ", even in one of its cases";
        if (objectPlace is not null && !objectPlace.EndsWith(InACase, System.StringComparison.Ordinal))
        {
            objectPlace += InACase;
        }

        if (node is not JArray array || array.Items.Count == 0)
        {
            return WrongTypeNull(file, "cases", node, "a non-empty array of cases");
        }

        var cases = ImmutableArray.CreateBuilder<Case>();
        for (int i = 0; i < array.Items.Count; i++)
        {
            if (array.Items[i] is not JObject c)
            {
                file.WrongType("cases item", array.Items[i], "an object (a case)");
                continue;
            }

            using ObjectReader r = file.Read(c, "a case", SourceNames.Concat(new[] { "when", "values", "escape", "trim", "require", "otherwise" }).ToArray());
            Condition? caseWhen = r.Value("when") is { } w ? ParseCondition(file, w, scope) : null;
            if (caseWhen is null && i < array.Items.Count - 1 && !r.Has("when"))
            {
                file.Report(DiagnosticDescriptors.CaseWithoutWhenBeforeLast, new TextSpan(c.Span.Start, 1));
            }

            ValueExpr? value = ParseValueSources(file, r, scope, objectPlace);
            if (value is not null)
            {
                cases.Add(new Case(caseWhen, value));
            }
        }

        return new CasesValue(cases.ToImmutable());
    }
}
