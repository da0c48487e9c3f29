using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Parsing;

// Fields: a key, its value source and its modifiers; "use" and "fail" entries.
internal static partial class MappingParser
{
    private static EquatableArray<FieldSpec> ParseFieldList(FileContext file, ObjectReader owner, string name, Scope scope)
    {
        JArray? array = owner.Array(name);
        if (array is null)
        {
            return EquatableArray<FieldSpec>.Empty;
        }

        var fields = ImmutableArray.CreateBuilder<FieldSpec>();
        foreach (JNode item in array.Items)
        {
            if (item is not JObject obj)
            {
                file.WrongType(name + " item", item, "an object (a field)");
                continue;
            }

            FieldSpec? field = ParseField(file, obj, scope);
            if (field is not null)
            {
                fields.Add(field);
            }
        }

        return fields.ToImmutable();
    }

    private static readonly string[] FieldProperties =
    {
        "key", "when", "valueMap", "default", "required", "emit", "convert", "stringifyValues",
        "path", "paths", "firstTruthy", "const", "template", "values", "escape", "trim", "require", "otherwise", "object", "cases", "lower",
    };

    private static FieldSpec? ParseField(FileContext file, JObject node, Scope scope)
    {
        if (node.Find("use") is { } use)
        {
            using ObjectReader ur = file.Read(node, "a field group reference", "use");
            if (use.Value is JString s)
            {
                file.Refer(ReferenceKind.FieldGroup, s.Value, s.Span);
                return new UseField(s.Value) { Source = file.Source(node) };
            }

            file.WrongType("use", use.Value, "the name of a field group");
            return null;
        }

        if (node.Find("fail") is { } fail)
        {
            using ObjectReader fr = file.Read(node, "a failure rule", "fail", "when");
            string? message = fr.String("fail");
            Condition? failWhen = fr.Value("when") is { } w ? ParseCondition(file, w, scope) : null;
            return message is null ? null : new FailField(message, failWhen) { Source = file.Source(node) };
        }

        using ObjectReader r = file.Read(node, "a field", FieldProperties);
        string? key = r.RequiredString("key", "Name the destination key the field writes, e.g. \"key\": \"Email\".");
        if (key is { Length: 0 })
        {
            file.Report(DiagnosticDescriptors.InvalidValue, r.Value("key")!.Span, "An empty string", "key", "a non-empty key");
        }

        Condition? condition = r.Value("when") is { } when ? ParseCondition(file, when, scope) : null;
        ValueExpr? value = ParseValueSources(file, r, scope, objectPlace: null);

        var valueMap = ImmutableArray.CreateBuilder<ValueMapping>();
        if (r.Object("valueMap") is { } vm)
        {
            using ObjectReader vr = file.Read(vm, "valueMap", vm.Properties.Select(p => p.Name).ToArray());
            foreach (JProperty p in vm.Properties)
            {
                if (p.Value is not JArray inputNodes)
                {
                    file.WrongType(p.Name, p.Value, "an array of the input values that map to '" + p.Name + "'");
                    continue;
                }

                var inputs = ImmutableArray.CreateBuilder<JsonConst>();
                foreach (JNode input in inputNodes.Items)
                {
                    if (input is JObject or JArray)
                    {
                        file.WrongType(p.Name + " item", input, "a string, number, boolean or null");
                        continue;
                    }

                    inputs.Add(Constant(input));
                }

                valueMap.Add(new ValueMapping(Constant(p.Name), inputs.ToImmutable()));
            }
        }

        JsonConst? defaultValue = r.Value("default") is { } d ? Constant(d) : null;

        string? required = null;
        if (r.Value("required") is { } req)
        {
            if (req is JBoolean b)
            {
                // The message is derived once the source is resolved (see Resolving/Resolver).
                required = b.Value ? string.Empty : null;
            }
            else if (req is JString rs)
            {
                required = rs.Value;
            }
            else
            {
                file.WrongType("required", req, "true or the error message");
            }
        }

        EmitRule emit = EmitRule.Valid;
        if (r.Value("emit") is { } e)
        {
            emit = e switch
            {
                JString { Value: "valid" } => EmitRule.Valid,
                JString { Value: "defined" } => EmitRule.Defined,
                JString { Value: "present" } => EmitRule.Present,
                _ => ReportInvalid(file, e, "emit", "\"valid\", \"defined\", \"present\"", EmitRule.Valid),
            };
        }

        Conversion convert = Conversion.None;
        if (r.Value("convert") is { } c)
        {
            if (c is JString { Value: "unixSeconds" })
            {
                convert = Conversion.UnixSeconds;
            }
            else if (c is JString cs)
            {
                file.Report(DiagnosticDescriptors.UnknownReference, c.Span, "Primitive", cs.Value, "unixSeconds");
            }
            else
            {
                file.WrongType("convert", c, "the name of a conversion");
            }
        }

        StringifySpec? stringify = r.Object("stringifyValues") is { } sv ? ParseStringify(file, sv, scope) with { Source = file.Source(r.Property("stringifyValues")!) } : null;

        if (key is null || value is null)
        {
            return null;
        }

        return new ValueField(key, value, condition, valueMap.ToImmutable(), defaultValue, required, emit, convert, stringify) { Source = file.Source(node) };
    }

    private static void CheckDuplicateKeys(FileContext file, ObjectReader r, IEnumerable<FieldSpec> fields)
    {
        // Keys written by fields without a condition; a second one always overwrites the first.
        var unconditional = new Dictionary<string, TextSpan>();
        JArray? fieldArray = r.Array("fields");
        JArray? finalArray = r.Array("finally");
        IEnumerable<JNode> nodes = (fieldArray?.Items ?? new List<JNode>()).Concat(finalArray?.Items ?? new List<JNode>());
        foreach (JNode node in nodes)
        {
            if (node is not JObject obj || obj.Find("key") is not { Value: JString key } || obj.Find("when") is not null || obj.Find("use") is not null || obj.Find("fail") is not null)
            {
                continue;
            }

            if (unconditional.TryGetValue(key.Value, out TextSpan first))
            {
                file.Report(DiagnosticDescriptors.DuplicateKey, key.Span, key.Value, file.LineOf(first).ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                unconditional[key.Value] = key.Span;
            }
        }
    }
}
