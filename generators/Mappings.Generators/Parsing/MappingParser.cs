using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Parsing;

/// <summary>The result of parsing one file: its model (when it has no errors), diagnostics and references.</summary>
internal sealed record FileParseResult(
    ParsedFile File,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<Reference> References)
{
    /// <summary>The file's full path (for diagnostics about the file as a whole).</summary>
    public string FilePath { get; init; } = string.Empty;
}

/// <summary>
/// Turns the text of a mapping file into its model (docs/mapping-language.md is the reference for
/// what it accepts). Every problem is reported with its exact place; a file with errors yields no
/// model, so it can never generate code.
/// </summary>
internal static partial class MappingParser
{
    public const string CommonFileName = "common.json";
    public const string DestinationFileName = "destination.json";

    private static readonly string[] SourceNames = { "path", "paths", "firstTruthy", "const", "template", "object", "cases", "lower" };

    /// <summary>What a value expression may use, depending on where it is.</summary>
    private sealed class Scope
    {
        public static readonly Scope Mapping = new() { Lets = true, Message = true };
        public static readonly Scope Request = new() { Lets = false, Message = false };

        /// <summary>Named values ($name) may be used.</summary>
        public bool Lets { get; init; }

        /// <summary>Message paths may be used.</summary>
        public bool Message { get; init; }

        /// <summary>Fields of the object being built may be referred to ({"field": …}).</summary>
        public bool Fields { get; init; }

        /// <summary>"lower" is allowed (only as the value of a let).</summary>
        public bool Lower { get; init; }

        public Scope InObject() => new() { Lets = Lets, Message = Message, Fields = true };
    }

    /// <summary>A mapping's name: its file name without extension (event rules refer to it).</summary>
    public static string MappingName(string relativePath)
    {
        string file = relativePath.Substring(relativePath.LastIndexOf('/') + 1);
        int dot = file.LastIndexOf('.');
        return dot > 0 ? file.Substring(0, dot) : file;
    }

    /// <summary>Decides the kind of a file from its path below <c>mappings/</c>.</summary>
    public static (MappingFileKind Kind, string Destination) Classify(string relativePath)
    {
        string[] parts = relativePath.Split('/');
        if (parts.Length == 1)
        {
            return (parts[0] == CommonFileName ? MappingFileKind.Common : MappingFileKind.Other, string.Empty);
        }

        if (parts.Length == 2)
        {
            return (parts[1] == DestinationFileName ? MappingFileKind.Destination : MappingFileKind.Mapping, parts[0]);
        }

        return (MappingFileKind.Other, parts[0]);
    }

    public static FileParseResult Parse(string path, SourceText text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string relativePath = MappingFilePath.GetRelativePath(path);
        (MappingFileKind kind, string destination) = Classify(relativePath);
        var file = new FileContext(path, relativePath, destination, text);
        var empty = new ParsedFile(kind, destination, relativePath, null, null, null);
        if (kind == MappingFileKind.Other)
        {
            return new FileParseResult(empty, EquatableArray<DiagnosticInfo>.Empty, EquatableArray<Reference>.Empty) { FilePath = path };
        }

        JNode root;
        try
        {
            root = JsoncReader.Parse(text.ToString());
        }
        catch (JsoncException e)
        {
            int start = System.Math.Min(e.Position, text.Length);
            int length = System.Math.Min(e.Length, text.Length - start);
            file.Report(DiagnosticDescriptors.InvalidJson, new TextSpan(start, length), relativePath, e.Message);
            return new FileParseResult(empty, file.Diagnostics, file.References) { FilePath = path };
        }

        if (root is not JObject obj)
        {
            file.Report(DiagnosticDescriptors.WrongType, root.Span, relativePath, "a JSON object", root.Kind);
            return new FileParseResult(empty, file.Diagnostics, file.References) { FilePath = path };
        }

        ParsedFile parsed = kind switch
        {
            MappingFileKind.Common => empty with { Common = ParseCommon(file, obj) },
            MappingFileKind.Destination => empty with { DestinationFile = ParseDestination(file, obj) },
            _ => empty with { Mapping = ParseMapping(file, obj) },
        };

        if (file.HasErrors)
        {
            parsed = empty;
        }

        return new FileParseResult(parsed, file.Diagnostics, file.References) { FilePath = path };
    }

    // ------------------------------------------------------------------ common.json

    private static CommonFileModel ParseCommon(FileContext file, JObject root)
    {
        using ObjectReader r = file.Read(root, "common.json", "$schema", "pathLists");
        var lists = ImmutableArray.CreateBuilder<PathList>();
        JObject? pathLists = r.Object("pathLists");
        if (pathLists is not null)
        {
            using ObjectReader lr = file.Read(pathLists, "pathLists", pathLists.Properties.Select(p => p.Name).ToArray());
            foreach (JProperty p in pathLists.Properties)
            {
                if (!IsIdentifier(p.Name))
                {
                    file.Report(DiagnosticDescriptors.InvalidValue, p.NameSpan, "'" + p.Name + "'", "path list name", "a name of letters, digits and '_' (not starting with a digit)");
                }

                EquatableArray<ValuePath> paths = ParseMessagePathArray(file, p.Name, p.Value);
                lists.Add(new PathList(p.Name, paths));
            }
        }

        return new CommonFileModel(file.RelativePath, lists.ToImmutable());
    }

    private static EquatableArray<ValuePath> ParseMessagePathArray(FileContext file, string name, JNode node)
    {
        if (node is not JArray array)
        {
            file.WrongType(name, node, "an array of message paths");
            return EquatableArray<ValuePath>.Empty;
        }

        if (array.Items.Count == 0)
        {
            file.Report(DiagnosticDescriptors.InvalidValue, array.Span, "An empty list", name, "one or more message paths");
        }

        var paths = ImmutableArray.CreateBuilder<ValuePath>();
        foreach (JNode item in array.Items)
        {
            if (item is not JString s)
            {
                file.WrongType(name + " item", item, "a message path string");
                continue;
            }

            if (ParseMessagePath(file, s.Value, s.Span) is { } path)
            {
                paths.Add(path);
            }
        }

        return paths.ToImmutable();
    }

    // ------------------------------------------------------------------ mapping files

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
            spec = ParseObjectSpec(file, record, Scope.Mapping, "the record", allowConvert: true);
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

                extras.Add(new ExtraRecordSpec(when, ParseObjectSpec(file, extraRecord, Scope.Mapping, "the extra record", allowConvert: true)));
            }
        }

        return spec is null ? null : new MappingFileModel(file.Destination, name, file.RelativePath, spec, extras.ToImmutable());
    }

    private static ObjectSpec ParseObjectSpec(FileContext file, JObject node, Scope scope, string what, bool allowConvert)
    {
        using ObjectReader r = file.Read(node, what, "fields", "customFields", "stringifyValues", "assign", "removeNulls", "finally");
        Scope inner = scope.InObject();
        EquatableArray<FieldSpec> fields = ParseFieldList(file, r, "fields", inner, allowConvert);
        EquatableArray<FieldSpec> final = ParseFieldList(file, r, "finally", inner, allowConvert);
        if (!r.Has("fields") && !r.Has("customFields"))
        {
            r.Missing("fields", "List the fields of the object: \"fields\": [{\"key\": …, \"path\": …}].");
        }

        CheckDuplicateKeys(file, r, fields.Concat(final));

        CustomFieldsSpec? custom = null;
        if (r.Object("customFields") is { } customNode)
        {
            if (!scope.Message)
            {
                file.Report(DiagnosticDescriptors.NotAllowedHere, r.Property("customFields")!.NameSpan, "customFields read the message; they cannot be used here.");
            }

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
                (exclude ?? ImmutableArray<(string, TextSpan)>.Empty).Select(x => x.Item1).ToImmutableArray());
        }

        StringifySpec? stringify = r.Object("stringifyValues") is { } sv ? ParseStringify(file, sv, inner) : null;

        ValueExpr? assign = null;
        if (r.Object("assign") is { } assignNode)
        {
            assign = ParseValueObject(file, assignNode, scope, "assign", allowObject: false);
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

        return new ObjectSpec(fields, custom, stringify, assign, removeNulls, final);
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

    private static EquatableArray<FieldSpec> ParseFieldList(FileContext file, ObjectReader owner, string name, Scope scope, bool allowConvert)
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

            FieldSpec? field = ParseField(file, obj, scope, allowConvert);
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

    private static FieldSpec? ParseField(FileContext file, JObject node, Scope scope, bool allowConvert)
    {
        if (node.Find("use") is { } use)
        {
            using ObjectReader ur = file.Read(node, "a field group reference", "use");
            if (use.Value is JString s)
            {
                file.Refer(ReferenceKind.FieldGroup, s.Value, s.Span);
                return new UseField(s.Value);
            }

            file.WrongType("use", use.Value, "the name of a field group");
            return null;
        }

        if (node.Find("fail") is { } fail)
        {
            using ObjectReader fr = file.Read(node, "a failure rule", "fail", "when");
            string? message = fr.String("fail");
            Condition? failWhen = fr.Value("when") is { } w ? ParseCondition(file, w, scope) : null;
            return message is null ? null : new FailField(message, failWhen);
        }

        using ObjectReader r = file.Read(node, "a field", FieldProperties);
        string? key = r.RequiredString("key", "Name the destination key the field writes, e.g. \"key\": \"Email\".");
        if (key is { Length: 0 })
        {
            file.Report(DiagnosticDescriptors.InvalidValue, r.Value("key")!.Span, "An empty string", "key", "a non-empty key");
        }

        Condition? condition = r.Value("when") is { } when ? ParseCondition(file, when, scope) : null;
        ValueExpr? value = ParseValueSources(file, r, scope, allowObject: true);

        var valueMap = ImmutableArray.CreateBuilder<ValueMapping>();
        if (r.Object("valueMap") is { } vm)
        {
            using ObjectReader vr = file.Read(vm, "valueMap", vm.Properties.Select(p => p.Name).ToArray());
            foreach (JProperty p in vm.Properties)
            {
                if (p.Value is not JArray inputs)
                {
                    file.WrongType(p.Name, p.Value, "an array of the input values that map to '" + p.Name + "'");
                    continue;
                }

                var jsons = ImmutableArray.CreateBuilder<string>();
                foreach (JNode input in inputs.Items)
                {
                    if (input is JObject or JArray)
                    {
                        file.WrongType(p.Name + " item", input, "a string, number, boolean or null");
                        continue;
                    }

                    jsons.Add(ToJson(input));
                }

                valueMap.Add(new ValueMapping(JsonString(p.Name), jsons.ToImmutable()));
            }
        }

        string? defaultJson = r.Value("default") is { } d ? ToJson(d) : null;

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

            if (!allowConvert)
            {
                file.Report(DiagnosticDescriptors.NotAllowedHere, r.Property("convert")!.NameSpan, "'convert' applies to the fields of records and objects, not to request headers.");
            }
        }

        StringifySpec? stringify = r.Object("stringifyValues") is { } sv ? ParseStringify(file, sv, scope) : null;

        if (key is null || value is null)
        {
            return null;
        }

        return new ValueField(key, value, condition, valueMap.ToImmutable(), defaultJson, required, emit, convert, stringify);
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

    /// <summary>Reads the value source of a field (exactly one of <see cref="SourceNames"/>).</summary>
    private static ValueExpr? ParseValueSources(FileContext file, ObjectReader r, Scope scope, bool allowObject)
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
                    file.Report(DiagnosticDescriptors.NotAllowedHere, stray.NameSpan, "'" + templateOnly + "' belongs to a template; this field has no 'template'.");
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
                return new ConstValue(ToJson(node));
            case "lower":
                if (!scope.Lower)
                {
                    file.Report(DiagnosticDescriptors.NotAllowedHere, property.NameSpan, "'lower' can only define a named value (lets); compare that value with 'equals' or 'in'.");
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
                if (!allowObject)
                {
                    file.Report(DiagnosticDescriptors.NotAllowedHere, property.NameSpan, "An object cannot be built here.");
                    return null;
                }

                if (!scope.Message)
                {
                    // Request settings are single values (a URL, a header); the code written for them
                    // has no event to fail, so an object's 'fail' or 'required' could not compile.
                    file.Report(DiagnosticDescriptors.NotAllowedHere, property.NameSpan, "Request settings are single values computed from $config and constants: an object cannot be built here.");
                    return null;
                }

                return node is JObject o ? new ObjectValue(ParseObjectSpec(file, o, scope, "an object", allowConvert: true)) : WrongTypeNull(file, source, node, "an object");
            case "cases":
                return ParseCases(file, node, scope);
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
    private static ValueExpr? ParseValueObject(FileContext file, JObject node, Scope scope, string what, bool allowObject)
    {
        using ObjectReader r = file.Read(node, what, SourceNames.Concat(new[] { "values", "escape", "trim", "require", "otherwise" }).ToArray());
        return ParseValueSources(file, r, scope, allowObject);
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

            CheckMessageScope(file, s.Span, scope);
            file.Refer(ReferenceKind.PathList, name, s.Span);
            return new FirstValidValue(EquatableArray<ValuePath>.Empty, name);
        }

        if (node is JArray)
        {
            CheckMessageScope(file, node.Span, scope);
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

        CheckMessageScope(file, node.Span, scope);
        return new FirstTruthyValue(ParseMessagePathArray(file, "firstTruthy", node));
    }

    private static void CheckMessageScope(FileContext file, TextSpan span, Scope scope)
    {
        if (!scope.Message)
        {
            file.Report(DiagnosticDescriptors.NotAllowedHere, span, "Request settings are computed from the destination's config only: use $config.name or constants here, not message paths.");
        }
    }

    private static ValueExpr? ParseCases(FileContext file, JNode node, Scope scope)
    {
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
                file.Report(DiagnosticDescriptors.NotAllowedHere, new TextSpan(c.Span.Start, 1), "Only the last case may have no 'when': the cases after it would never be used.");
            }

            ValueExpr? value = ParseValueSources(file, r, scope, allowObject: true);
            if (value is not null)
            {
                cases.Add(new Case(caseWhen, value));
            }
        }

        return new CasesValue(cases.ToImmutable());
    }

    // ------------------------------------------------------------------ templates

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

                ValueExpr? value = ParseValueObject(file, vo, scope, "a template value", allowObject: false);
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

        string? otherwise = r.Value("otherwise") is { } o ? ToJson(o) : null;
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

    // ------------------------------------------------------------------ conditions

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

                    return left is null ? null : new EqualsCondition(left, ToJson(pair.Items[1]));
                }

                if (pair.Items[1] is not JArray constants)
                {
                    file.WrongType("in constants", pair.Items[1], "an array of constants");
                    return null;
                }

                var jsons = ImmutableArray.CreateBuilder<string>();
                foreach (JNode c in constants.Items)
                {
                    if (c is JObject or JArray)
                    {
                        file.WrongType("in constant", c, "a string, number, boolean or null");
                        continue;
                    }

                    jsons.Add(ToJson(c));
                }

                return left is null ? null : new InCondition(left, jsons.ToImmutable());
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
                    file.Report(DiagnosticDescriptors.NotAllowedHere, field.NameSpan, "{\"field\": …} refers to a key of the object being built; there is none here.");
                    return null;
                }

                if (field.Value is not JString key)
                {
                    return WrongTypeNull(file, "field", field.Value, "a destination key");
                }

                return new PathValue(new ValuePath(PathRoot.Field, key.Value, string.Empty));
            }

            return ParseValueObject(file, obj, scope, "an operand", allowObject: false);
        }

        return WrongTypeNull(file, "operand", node, "a path string or a value object");
    }

    // ------------------------------------------------------------------ paths

    private static ValuePath? ParseValuePath(FileContext file, string text, TextSpan span, Scope scope)
    {
        if (text.StartsWith("@", System.StringComparison.Ordinal))
        {
            file.Report(DiagnosticDescriptors.InvalidPath, span, text, "a path list (@name) gives several paths; use it with \"paths\"");
            return null;
        }

        if (IsDirectAccess(text))
        {
            if (!scope.Message)
            {
                file.Report(DiagnosticDescriptors.InvalidDirectAccess, span, text, "there is no message here. Request settings are computed from the destination's config only: use $config.name or constants.");
                return null;
            }

            return ParseDirectAccess(file, text, span);
        }

        if (text.StartsWith("$", System.StringComparison.Ordinal))
        {
            int dot = text.IndexOf('.');
            string name = dot < 0 ? text.Substring(1) : text.Substring(1, dot - 1);
            string rest = dot < 0 ? string.Empty : text.Substring(dot + 1);
            if (!IsIdentifier(name))
            {
                file.Report(DiagnosticDescriptors.InvalidPath, span, text, "'$' must be followed by a name of letters, digits and '_'");
                return null;
            }

            if (dot >= 0 && MessagePathError(rest) is { } restError)
            {
                file.Report(DiagnosticDescriptors.InvalidPath, span, text, restError);
                return null;
            }

            if (name == "config")
            {
                return new ValuePath(PathRoot.Config, string.Empty, rest);
            }

            if (!scope.Lets)
            {
                file.Report(DiagnosticDescriptors.NotAllowedHere, span, "Request settings are computed from the destination's config only: use $config.name or constants here, not $" + name + ".");
                return null;
            }

            file.Refer(ReferenceKind.Let, name, span);
            return new ValuePath(PathRoot.Let, name, rest);
        }

        if (MessagePathError(text) is { } error)
        {
            file.Report(DiagnosticDescriptors.InvalidPath, span, text, error);
            return null;
        }

        CheckMessageScope(file, span, scope);
        return new ValuePath(PathRoot.Message, string.Empty, text);
    }

    /// <summary>
    /// A message path as fallback lists and custom fields take it: a path looked up with get-value
    /// (<c>traits.email</c>) or direct property access (<c>$message.traits.email</c>).
    /// </summary>
    private static ValuePath? ParseMessagePath(FileContext file, string text, TextSpan span)
    {
        if (IsDirectAccess(text))
        {
            return ParseDirectAccess(file, text, span);
        }

        if (MessagePathError(text) is { } error)
        {
            file.Report(DiagnosticDescriptors.InvalidPath, span, text, error);
            return null;
        }

        return new ValuePath(PathRoot.Message, string.Empty, text);
    }

    /// <summary>The root of direct property access to the message.</summary>
    internal const string DirectAccessRoot = "$message";

    /// <summary>True for <c>$message</c> and <c>$message.…</c> (the name <c>message</c> is reserved for it).</summary>
    internal static bool IsDirectAccess(string text)
        => text.StartsWith(DirectAccessRoot, System.StringComparison.Ordinal)
           && (text.Length == DirectAccessRoot.Length || text[DirectAccessRoot.Length] == '.');

    private static ValuePath? ParseDirectAccess(FileContext file, string text, TextSpan span)
    {
        if (DirectAccessError(text) is { } error)
        {
            file.Report(DiagnosticDescriptors.InvalidDirectAccess, span, text, error);
            return null;
        }

        string names = text.Length == DirectAccessRoot.Length ? string.Empty : text.Substring(DirectAccessRoot.Length + 1);
        return new ValuePath(PathRoot.DirectMessage, string.Empty, names);
    }

    /// <summary>Null when <c>$message…</c> is well formed, else what is wrong and how to write it.</summary>
    internal static string? DirectAccessError(string text)
    {
        const string Write = " Write $message followed by dot-separated property names, e.g. $message.traits.overrideFields.";
        if (text.Length == DirectAccessRoot.Length)
        {
            return null;
        }

        string[] names = text.Substring(DirectAccessRoot.Length + 1).Split('.');
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i].Length == 0)
            {
                return (i == names.Length - 1 ? "it ends with '.'." : "it has an empty property name ('..').") + Write;
            }
        }

        if (text.TrimEnd().Length != text.Length)
        {
            return "it ends with white space." + Write;
        }

        if (text.IndexOf('\\') >= 0)
        {
            return "a backslash does not escape '.' here: every '.' separates two property names. "
                + "To read a key that holds a dot, use a message path, which get-value reads as one key (traits.a\\.b).";
        }

        return null;
    }

    /// <summary>Null when the text is a valid message path, else why not.</summary>
    internal static string? MessagePathError(string path)
    {
        if (path.Length == 0)
        {
            return "it is empty";
        }

        if (path.StartsWith("$", System.StringComparison.Ordinal) || path.StartsWith("@", System.StringComparison.Ordinal))
        {
            return "only a message path is allowed here";
        }

        if (path.Trim().Length != path.Length)
        {
            return "it starts or ends with white space";
        }

        string[] segments = path.Split('.');
        for (int i = 0; i < segments.Length; i++)
        {
            if (segments[i].Length == 0)
            {
                return i == 0 ? "it starts with '.'" : i == segments.Length - 1 ? "it ends with '.'" : "it has an empty segment ('..')";
            }
        }

        return null;
    }

    internal static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_') || name[0] > 127)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (c > 127 || !(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    // ------------------------------------------------------------------ JSON constants

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
