using System.Collections.Immutable;
using System.Linq;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Parsing;

// Record mapping files: the record, its extra records, and the objects they build.
internal static partial class MappingParser
{
    private static MappingFileModel? ParseMapping(FileContext file, JObject root)
    {
        using ObjectReader r = file.Read(root, "a mapping file", "$schema", "record", "extraRecords");
        string name = MappingName(file.RelativePath);
        if (!IsIdentifier(name))
        {
            file.Report(DiagnosticDescriptors.InvalidValue, new TextSpan(0, 0), "'" + name + "'", "the mapping file name", "a name of letters, digits and '_' (not starting with a digit), e.g. track.json");
        }

        JObject? record = r.Object("record");
        ObjectSpec? spec = null;
        if (record is null)
        {
            if (!r.Has("record"))
            {
                r.Missing("record", "Describe the record this mapping builds: \"record\": {\"fields\": [...]}.");
            }
        }
        else
        {
            spec = ParseObjectSpec(file, record, Scope.Mapping, "the record") with { Source = file.Source(r.Property("record")!) };
        }

        var extras = ImmutableArray.CreateBuilder<ExtraRecordSpec>();
        JArray? extraArray = r.Array("extraRecords");
        if (extraArray is not null)
        {
            foreach (JNode item in extraArray.Items)
            {
                if (item is not JObject extra)
                {
                    file.WrongType("extraRecords item", item, "an object");
                    continue;
                }

                using ObjectReader er = file.Read(extra, "an extra record", "when", "record");
                Condition? when = er.Value("when") is { } w ? ParseCondition(file, w, Scope.Mapping) : null;
                JObject? extraRecord = er.Object("record");
                if (extraRecord is null)
                {
                    er.Missing("record", "Describe the extra record: \"record\": {\"fields\": [...]}.");
                    continue;
                }

                extras.Add(new ExtraRecordSpec(when, ParseObjectSpec(file, extraRecord, Scope.Mapping, "the extra record")) { Source = file.Source(extra) });
            }
        }

        return spec is null ? null : new MappingFileModel(file.Destination, name, file.RelativePath, spec, extras.ToImmutable());
    }

    private static ObjectSpec ParseObjectSpec(FileContext file, JObject node, Scope scope, string what)
    {
        using ObjectReader r = file.Read(node, what, "fields", "customFields", "stringifyValues", "assign", "removeNulls", "finally");
        Scope inner = scope.InObject();
        EquatableArray<FieldSpec> fields = ParseFieldList(file, r, "fields", inner);
        EquatableArray<FieldSpec> final = ParseFieldList(file, r, "finally", inner);
        if (!r.Has("fields") && !r.Has("customFields"))
        {
            r.Missing("fields", "List the fields of the object: \"fields\": [{\"key\": …, \"path\": …}].");
        }

        CheckDuplicateKeys(file, r, fields.Concat(final));

        CustomFieldsSpec? custom = null;
        if (r.Object("customFields") is { } customNode)
        {
            using ObjectReader cr = file.Read(customNode, "customFields", "from", "exclude");
            var from = cr.Strings("from");
            var sources = ImmutableArray.CreateBuilder<ValuePath>();
            if (from is null)
            {
                cr.Missing("from", "Name the source objects, e.g. \"from\": [\"traits\", \"context.traits\"].");
            }
            else
            {
                foreach ((string path, TextSpan span) in from.Value)
                {
                    if (ParseMessagePath(file, path, span) is { } source)
                    {
                        sources.Add(source);
                    }
                }
            }

            var exclude = cr.Strings("exclude");
            custom = new CustomFieldsSpec(
                sources.ToImmutable(),
                (exclude ?? ImmutableArray<(string, TextSpan)>.Empty).Select(x => x.Item1).ToImmutableArray())
            {
                Source = file.Source(r.Property("customFields")!),
            };
        }

        StringifySpec? stringify = r.Object("stringifyValues") is { } sv ? ParseStringify(file, sv, inner) with { Source = file.Source(r.Property("stringifyValues")!) } : null;

        ValueExpr? assign = null;
        if (r.Object("assign") is { } assignNode)
        {
            assign = ParseValueObject(file, assignNode, scope, "assign", objectPlace: "as 'assign'");
        }

        NullRemoval removeNulls = NullRemoval.None;
        if (r.Value("removeNulls") is { } rn)
        {
            removeNulls = rn switch
            {
                JBoolean { Value: true } => NullRemoval.Shallow,
                JBoolean { Value: false } => NullRemoval.None,
                JString { Value: "deep" } => NullRemoval.Deep,
                _ => ReportInvalid(file, rn, "removeNulls", "true, false, \"deep\"", NullRemoval.None),
            };
        }

        return new ObjectSpec(fields, custom, stringify, assign, removeNulls, final)
        {
            AssignSource = r.Property("assign") is { } a ? file.Source(a) : null,
            RemoveNullsSource = r.Property("removeNulls") is { } n ? file.Source(n) : null,
            FinallySource = r.Property("finally") is { } f ? file.Source(f) : null,
        };
    }

    private static T ReportInvalid<T>(FileContext file, JNode node, string property, string allowed, T fallback)
    {
        string shown = node is JString s ? "\"" + s.Value + "\"" : node.Kind;
        file.Report(DiagnosticDescriptors.InvalidValue, node.Span, char.ToUpperInvariant(shown[0]) + shown.Substring(1), property, allowed);
        return fallback;
    }

    private static StringifySpec ParseStringify(FileContext file, JObject node, Scope scope)
    {
        using ObjectReader r = file.Read(node, "stringifyValues", "except", "parseJson");
        var except = (r.Strings("except") ?? ImmutableArray<(string, TextSpan)>.Empty).Select(x => x.Item1).ToImmutableArray();
        ParseJsonSpec? parse = null;
        if (r.Object("parseJson") is { } p)
        {
            using ObjectReader pr = file.Read(p, "parseJson", "key", "when", "error");
            string? key = pr.RequiredString("key", "Name the key whose value is JSON, e.g. \"key\": \"Items\".");
            string? error = pr.RequiredString("error", "Give the message of the 400 sent when the value is not an array of objects.");
            Condition? when = pr.Value("when") is { } w ? ParseCondition(file, w, scope) : null;
            if (key is not null && error is not null)
            {
                parse = new ParseJsonSpec(key, when, error);
            }
        }

        return new StringifySpec(except, parse);
    }
}
