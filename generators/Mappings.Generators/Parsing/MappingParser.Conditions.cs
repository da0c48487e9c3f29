using System.Collections.Immutable;
using System.Linq;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Parsing;

// Conditions ("when") and their operands.
internal static partial class MappingParser
{
    private static readonly string[] ConditionNames = { "truthy", "falsy", "equals", "in", "all", "any", "not" };

    private static Condition? ParseCondition(FileContext file, JNode node, Scope scope)
    {
        if (node is not JObject obj)
        {
            file.WrongType("when", node, "a condition object such as {\"truthy\": \"$config.flag\"}");
            return null;
        }

        using ObjectReader r = file.Read(obj, "a condition", ConditionNames);
        var present = ConditionNames.Where(r.Has).ToList();
        if (present.Count != 1)
        {
            file.Report(DiagnosticDescriptors.MissingProperty, new TextSpan(obj.Span.Start, 1), "A condition", "exactly one of " + string.Join(", ", ConditionNames), present.Count == 0 ? "It has none." : "It has " + string.Join(" and ", present) + "; combine them with \"all\".");
            return null;
        }

        string kind = present[0];
        JNode value = r.Value(kind)!;
        switch (kind)
        {
            case "truthy":
            case "falsy":
                ValueExpr? operand = ParseOperand(file, value, scope);
                return operand is null ? null : new TruthyCondition(operand, Negated: kind == "falsy");
            case "equals":
            case "in":
            {
                if (value is not JArray pair || pair.Items.Count != 2)
                {
                    file.WrongType(kind, value, kind == "equals" ? "[value, constant]" : "[value, [constants]]");
                    return null;
                }

                ValueExpr? left = ParseOperand(file, pair.Items[0], scope);
                if (kind == "equals")
                {
                    if (pair.Items[1] is JObject or JArray)
                    {
                        file.WrongType("equals constant", pair.Items[1], "a string, number, boolean or null");
                        return null;
                    }

                    return left is null ? null : new EqualsCondition(left, Constant(pair.Items[1]));
                }

                if (pair.Items[1] is not JArray constants)
                {
                    file.WrongType("in constants", pair.Items[1], "an array of constants");
                    return null;
                }

                var values = ImmutableArray.CreateBuilder<JsonConst>();
                foreach (JNode c in constants.Items)
                {
                    if (c is JObject or JArray)
                    {
                        file.WrongType("in constant", c, "a string, number, boolean or null");
                        continue;
                    }

                    values.Add(Constant(c));
                }

                return left is null ? null : new InCondition(left, values.ToImmutable());
            }

            case "all":
            case "any":
            {
                if (value is not JArray items || items.Items.Count == 0)
                {
                    file.WrongType(kind, value, "a non-empty array of conditions");
                    return null;
                }

                var conditions = ImmutableArray.CreateBuilder<Condition>();
                foreach (JNode item in items.Items)
                {
                    Condition? c = ParseCondition(file, item, scope);
                    if (c is not null)
                    {
                        conditions.Add(c);
                    }
                }

                return kind == "all" ? new AllCondition(conditions.ToImmutable()) : new AnyCondition(conditions.ToImmutable());
            }

            default:
            {
                Condition? inner = ParseCondition(file, value, scope);
                return inner is null ? null : new NotCondition(inner);
            }
        }
    }

    /// <summary>An operand: a path string, or an object with one value source or {"field": key}.</summary>
    private static ValueExpr? ParseOperand(FileContext file, JNode node, Scope scope)
    {
        if (node is JString s)
        {
            return ParsePathValue(file, s, scope);
        }

        if (node is JObject obj)
        {
            if (obj.Find("field") is { } field)
            {
                using ObjectReader fr = file.Read(obj, "a field reference", "field");
                if (!scope.Fields)
                {
                    file.Report(DiagnosticDescriptors.FieldReferenceOutsideObject, field.NameSpan, field.Value is JString named ? named.Value : "…");
                    return null;
                }

                if (field.Value is not JString key)
                {
                    return WrongTypeNull(file, "field", field.Value, "a destination key");
                }

                return new PathValue(new ValuePath(PathRoot.Field, key.Value, string.Empty));
            }

            // 'lower' defines a named value; an operand compares one (even in a named value's case).
            return ParseValueObject(file, obj, scope.WithoutLower(), "an operand", objectPlace: "as a condition operand");
        }

        return WrongTypeNull(file, "operand", node, "a path string or a value object");
    }
}
