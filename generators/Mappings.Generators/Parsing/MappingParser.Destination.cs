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

internal static partial class MappingParser
{
    /// <summary>Field properties a header may not have: the request head does not apply them.</summary>
    private static readonly string[] UnappliedHeaderProperties = { "when", "valueMap", "default", "required", "stringifyValues" };

    private static DestinationFileModel? ParseDestination(FileContext file, JObject root)
    {
        using ObjectReader r = file.Read(
            root, "destination.json",
            "$schema", "destination", "request", "lets", "messageType", "preconditions", "eventRules", "fieldGroups", "userDeletion");

        string? destType = null;
        string? className = null;
        if (r.Object("destination") is { } d)
        {
            using ObjectReader dr = file.Read(d, "the destination section", "name", "className");
            destType = dr.RequiredString("name", "Give the destination type as rudder-server names it, e.g. \"CLEVERTAP\".");
            className = dr.RequiredString("className", "Give the prefix of the generated C# classes, e.g. \"CleverTap\".");
            if (className is not null && !IsIdentifier(className))
            {
                file.Report(DiagnosticDescriptors.InvalidValue, dr.Value("className")!.Span, "'" + className + "'", "className", "a C# identifier");
                className = null;
            }
        }
        else if (!r.Has("destination"))
        {
            r.Missing("destination", "Add \"destination\": {\"name\": \"CLEVERTAP\", \"className\": \"CleverTap\"}.");
        }

        RequestSpec? request = null;
        if (r.Object("request") is { } req)
        {
            request = ParseRequest(file, req);
        }
        else if (!r.Has("request"))
        {
            r.Missing("request", "Describe the request records travel in: method, endpoint, headers, recordsKey.");
        }

        var lets = ImmutableArray.CreateBuilder<LetSpec>();
        if (r.Object("lets") is { } letsNode)
        {
            using ObjectReader lr = file.Read(letsNode, "lets", letsNode.Properties.Select(p => p.Name).ToArray());
            foreach (JProperty p in letsNode.Properties)
            {
                if (!IsIdentifier(p.Name) || p.Name == "config" || p.Name == "message")
                {
                    file.Report(DiagnosticDescriptors.InvalidValue, p.NameSpan, "'" + p.Name + "'", "let name", "a name of letters, digits and '_' other than 'config' and 'message'");
                    continue;
                }

                if (p.Value is not JObject vo)
                {
                    file.WrongType(p.Name, p.Value, "a value object such as {\"path\": \"anonymousId\"}");
                    continue;
                }

                var letScope = new Scope { Lets = true, Message = true, Lower = true };
                ValueExpr? value = ParseValueObject(file, vo, letScope, "a named value", allowObject: false);
                if (value is not null)
                {
                    lets.Add(new LetSpec(p.Name, value));
                }
            }

            CheckLetCycles(file, letsNode, lets);
        }

        MessageTypeSpec? messageType = null;
        if (r.Object("messageType") is { } mt)
        {
            using ObjectReader mr = file.Read(mt, "the messageType section", "path", "missingError", "unsupportedError");
            string? path = mr.RequiredString("path", "Name the message path holding the type, usually \"type\".");
            string? missing = mr.RequiredString("missingError", "Give the 400 message for an event without a type.");
            string? unsupported = mr.RequiredString("unsupportedError", "Give the 400 message for a type no rule handles.");
            if (path is not null && IsDirectAccess(path))
            {
                file.Report(DiagnosticDescriptors.InvalidDirectAccess, mr.Value("path")!.Span, path, "the dispatcher looks the message type up with a message path. Write it without $message (\"type\"): for a single name both read the same property.");
            }
            else if (path is not null && MessagePathError(path) is { } error)
            {
                file.Report(DiagnosticDescriptors.InvalidPath, mr.Value("path")!.Span, path, error);
            }

            if (path is not null && missing is not null && unsupported is not null)
            {
                messageType = new MessageTypeSpec(path, missing, unsupported);
            }
        }
        else if (!r.Has("messageType"))
        {
            r.Missing("messageType", "Add \"messageType\": {\"path\": \"type\", \"missingError\": …, \"unsupportedError\": …}.");
        }

        var preconditions = ImmutableArray.CreateBuilder<PreconditionSpec>();
        if (r.Array("preconditions") is { } pre)
        {
            foreach (JNode item in pre.Items)
            {
                if (item is not JObject po)
                {
                    file.WrongType("preconditions item", item, "an object");
                    continue;
                }

                using ObjectReader pr = file.Read(po, "a precondition", "types", "fail", "when");
                var types = ParseTypes(file, pr);
                string? fail = pr.RequiredString("fail", "Give the 400 message sent when the condition holds.");
                Condition? when = pr.Value("when") is { } w ? ParseCondition(file, w, Scope.Mapping) : null;
                if (fail is not null && types.Count > 0)
                {
                    preconditions.Add(new PreconditionSpec(types, fail, when));
                }
            }
        }

        var rules = ImmutableArray.CreateBuilder<EventRuleSpec>();
        if (r.Array("eventRules") is { } rulesNode)
        {
            ParseEventRules(file, rulesNode, rules);
        }
        else if (!r.Has("eventRules"))
        {
            r.Missing("eventRules", "List which mapping handles which message type: [{\"type\": \"track\", \"mapping\": \"track\"}].");
        }

        var groups = ImmutableArray.CreateBuilder<FieldGroup>();
        if (r.Object("fieldGroups") is { } groupsNode)
        {
            using ObjectReader gr = file.Read(groupsNode, "fieldGroups", groupsNode.Properties.Select(p => p.Name).ToArray());
            foreach (JProperty p in groupsNode.Properties)
            {
                if (!IsIdentifier(p.Name))
                {
                    file.Report(DiagnosticDescriptors.InvalidValue, p.NameSpan, "'" + p.Name + "'", "field group name", "a name of letters, digits and '_'");
                }

                if (p.Value is not JArray fieldsNode)
                {
                    file.WrongType(p.Name, p.Value, "an array of fields");
                    continue;
                }

                var fields = ImmutableArray.CreateBuilder<FieldSpec>();
                foreach (JNode item in fieldsNode.Items)
                {
                    if (item is not JObject fo)
                    {
                        file.WrongType(p.Name + " item", item, "an object (a field)");
                        continue;
                    }

                    if (ParseField(file, fo, Scope.Mapping.InObject(), allowConvert: true) is { } field)
                    {
                        if (field is UseField)
                        {
                            file.Report(DiagnosticDescriptors.NotAllowedHere, new TextSpan(fo.Span.Start, 1), "A field group cannot use another field group.");
                            continue;
                        }

                        fields.Add(field);
                    }
                }

                groups.Add(new FieldGroup(p.Name, fields.ToImmutable()));
            }
        }

        UserDeletionSpec? deletion = r.Object("userDeletion") is { } del ? ParseUserDeletion(file, del) : null;

        if (destType is null || className is null || request is null || messageType is null)
        {
            return null;
        }

        return new DestinationFileModel(
            file.Destination, file.RelativePath, destType, className, request, lets.ToImmutable(), messageType,
            preconditions.ToImmutable(), rules.ToImmutable(), groups.ToImmutable(), deletion);
    }

    private static UserDeletionSpec? ParseUserDeletion(FileContext file, JObject node)
    {
        using ObjectReader r = file.Read(
            node, "the userDeletion section",
            "endpoint", "headers", "requiredConfig", "missingConfigError", "userIdKey", "batchSize", "idsKey", "failureError");
        ValueExpr? endpoint = null;
        if (r.Object("endpoint") is { } e)
        {
            endpoint = ParseValueObject(file, e, Scope.Request, "the deletion endpoint", allowObject: false);
        }
        else if (!r.Has("endpoint"))
        {
            r.Missing("endpoint", "Give the URL deletion requests go to.");
        }

        EquatableArray<FieldSpec> headers = ParseHeaders(file, r);
        var required = (r.Strings("requiredConfig") ?? ImmutableArray<(string, TextSpan)>.Empty).Select(x => x.Item1).ToImmutableArray();
        string? missing = r.RequiredString("missingConfigError", "Give the 400 message for a config without the required keys.");
        string? userIdKey = r.RequiredString("userIdKey", "Name the key of each user attribute entry holding the id, e.g. \"userId\".");
        string? idsKey = r.RequiredString("idsKey", "Name the body key holding the ids, e.g. \"identity\".");
        string? failure = r.RequiredString("failureError", "Give the message of a failed deletion request.");
        int batchSize = 0;
        if (r.Value("batchSize") is JNumber n && n.Value >= 1 && n.Value <= 100_000 && n.Value == System.Math.Floor(n.Value))
        {
            batchSize = (int)n.Value;
        }
        else if (r.Value("batchSize") is JNumber badNumber)
        {
            file.Report(DiagnosticDescriptors.InvalidValue, badNumber.Span, badNumber.Text, "batchSize", "a whole number from 1 to 100000");
        }
        else if (r.Value("batchSize") is { } bad)
        {
            file.WrongType("batchSize", bad, "a whole number from 1 to 100000");
        }
        else
        {
            r.Missing("batchSize", "Give the most ids one deletion request may hold.");
        }

        return endpoint is null || missing is null || userIdKey is null || idsKey is null || failure is null || batchSize == 0
            ? null
            : new UserDeletionSpec(endpoint, headers, required, missing, userIdKey, batchSize, idsKey, failure);
    }

    /// <summary>
    /// The <c>headers</c> of a request or of the user deletion: plain fields computed from the config.
    /// The code written for them applies a header's key, value source and <c>emit</c> only
    /// (Emitting/DestinationEmitter), so anything else is reported rather than silently ignored.
    /// </summary>
    private static EquatableArray<FieldSpec> ParseHeaders(FileContext file, ObjectReader owner)
    {
        EquatableArray<FieldSpec> headers = ParseFieldList(file, owner, "headers", Scope.Request, allowConvert: false);
        if (owner.Value("headers") is not JArray headerNodes)
        {
            return headers;
        }

        foreach (JNode item in headerNodes.Items)
        {
            if (item is not JObject header)
            {
                continue;
            }

            if ((header.Find("use") ?? header.Find("fail")) is { } entry)
            {
                file.Report(DiagnosticDescriptors.NotAllowedHere, entry.NameSpan, "Headers are plain fields; 'use' and 'fail' entries are not allowed here.");
                continue;
            }

            foreach (JProperty p in header.Properties)
            {
                if (System.Array.IndexOf(UnappliedHeaderProperties, p.Name) >= 0)
                {
                    file.Report(DiagnosticDescriptors.NotAllowedHere, p.NameSpan, "'" + p.Name + "' is not applied to headers. A header has a 'key', one value source and optionally 'emit'; compute conditional values with 'cases'.");
                }
            }
        }

        return headers;
    }

    /// <summary>A named value that needs itself (directly or through others) could never be computed: MAP013.</summary>
    private static void CheckLetCycles(FileContext file, JObject letsNode, IReadOnlyList<LetSpec> lets)
    {
        var uses = lets.ToDictionary(l => l.Name, l => LetNamesIn(l.Value).Distinct().ToList());
        var reported = new HashSet<string>();
        foreach (LetSpec let in lets)
        {
            var path = new List<string>();
            if (FindCycle(let.Name, let.Name, uses, path, new HashSet<string>()) && reported.Add(let.Name))
            {
                JProperty property = letsNode.Find(let.Name)!;
                file.Report(
                    DiagnosticDescriptors.NotAllowedHere,
                    property.NameSpan,
                    "The named value '$" + let.Name + "' depends on itself ($" + let.Name + " → $" + string.Join(" → $", path) + "); break the cycle.");
            }
        }
    }

    private static bool FindCycle(string start, string current, Dictionary<string, List<string>> uses, List<string> path, HashSet<string> seen)
    {
        if (!uses.TryGetValue(current, out List<string>? next))
        {
            return false;
        }

        foreach (string name in next)
        {
            path.Add(name);
            if (name == start || (seen.Add(name) && FindCycle(start, name, uses, path, seen)))
            {
                return true;
            }

            path.RemoveAt(path.Count - 1);
        }

        return false;
    }

    private static IEnumerable<string> LetNamesIn(ValueExpr value) => value switch
    {
        PathValue { Path.Root: PathRoot.Let } p => new[] { p.Path.Name },
        LowerValue { Path.Root: PathRoot.Let } l => new[] { l.Path.Name },
        TemplateValue t => t.Values.SelectMany(v => LetNamesIn(v.Value)),
        CasesValue c => c.Cases.SelectMany(x => LetNamesIn(x.Value).Concat(x.When is null ? Enumerable.Empty<string>() : LetNamesIn(x.When))),
        _ => Enumerable.Empty<string>(),
    };

    private static IEnumerable<string> LetNamesIn(Condition condition) => condition switch
    {
        TruthyCondition t => LetNamesIn(t.Operand),
        EqualsCondition e => LetNamesIn(e.Operand),
        InCondition i => LetNamesIn(i.Operand),
        AllCondition a => a.Items.SelectMany(LetNamesIn),
        AnyCondition a => a.Items.SelectMany(LetNamesIn),
        NotCondition n => LetNamesIn(n.Inner),
        _ => Enumerable.Empty<string>(),
    };

    private static RequestSpec? ParseRequest(FileContext file, JObject node)
    {
        using ObjectReader r = file.Read(node, "the request section", "method", "endpoint", "headers", "recordsKey", "maxRecordsPerBatch");
        string? method = r.RequiredString("method", "Give the HTTP method, e.g. \"POST\".");
        ValueExpr? endpoint = null;
        if (r.Object("endpoint") is { } e)
        {
            endpoint = ParseValueObject(file, e, Scope.Request, "the endpoint", allowObject: false);
        }
        else if (!r.Has("endpoint"))
        {
            r.Missing("endpoint", "Give the URL: {\"const\": \"https://…\"} or cases on $config.");
        }

        EquatableArray<FieldSpec> headers = ParseHeaders(file, r);
        string? recordsKey = r.RequiredString("recordsKey", "Name the payload key that holds the records, e.g. \"d\".");
        int maxRecords = 1;
        if (r.Value("maxRecordsPerBatch") is { } m)
        {
            if (m is JNumber n && n.Value >= 1 && n.Value <= 1_000_000 && n.Value == System.Math.Floor(n.Value))
            {
                maxRecords = (int)n.Value;
            }
            else if (m is JNumber bad)
            {
                file.Report(DiagnosticDescriptors.InvalidValue, m.Span, bad.Text, "maxRecordsPerBatch", "a whole number from 1 to 1000000");
            }
            else
            {
                file.WrongType("maxRecordsPerBatch", m, "a whole number from 1 to 1000000");
            }
        }
        else
        {
            r.Missing("maxRecordsPerBatch", "Give the most records one batched request may hold.");
        }

        return method is null || endpoint is null || recordsKey is null ? null : new RequestSpec(method, endpoint, headers, recordsKey, maxRecords);
    }

    private static EquatableArray<string> ParseTypes(FileContext file, ObjectReader r)
    {
        JNode? node = r.Value(r.Has("types") ? "types" : "type");
        if (node is null)
        {
            r.Missing(r.Node.Find("types") is null ? "type" : "types", "Name the message type(s), e.g. \"track\" or [\"track\", \"page\"].");
            return EquatableArray<string>.Empty;
        }

        var types = ImmutableArray.CreateBuilder<string>();
        IEnumerable<JNode> items = node is JArray a ? a.Items : new[] { node };
        foreach (JNode item in items)
        {
            if (item is not JString s || s.Value.Length == 0)
            {
                file.WrongType("type", item, "a message type name");
                continue;
            }

            if (s.Value.Any(c => c > 127) || s.Value != s.Value.ToLowerInvariant())
            {
                file.Report(DiagnosticDescriptors.InvalidValue, s.Span, "'" + s.Value + "'", "type", "a lower-case ASCII type name (types are compared after lower-casing)");
                continue;
            }

            types.Add(s.Value);
        }

        return types.ToImmutable();
    }

    private static void ParseEventRules(FileContext file, JArray rulesNode, ImmutableArray<EventRuleSpec>.Builder rules)
    {
        var seen = new List<(EventRuleSpec Rule, TextSpan Span)>();
        foreach (JNode item in rulesNode.Items)
        {
            if (item is not JObject ro)
            {
                file.WrongType("eventRules item", item, "an object (a rule)");
                continue;
            }

            using ObjectReader r = file.Read(ro, "an event rule", "type", "event", "mapping");
            var types = ParseTypes(file, r);
            string? eventName = r.String("event");
            if (eventName is not null && (eventName.Length == 0 || eventName.Any(c => c > 127)))
            {
                file.Report(DiagnosticDescriptors.InvalidValue, r.Value("event")!.Span, "'" + eventName + "'", "event", "a non-empty ASCII event name (matched case-insensitively)");
                eventName = null;
            }

            string? mapping = r.RequiredString("mapping", "Name the mapping that builds the record (its \"mapping\" name).");
            if (mapping is not null)
            {
                file.Refer(ReferenceKind.Mapping, mapping, r.Value("mapping")!.Span);
            }

            if (types.Count == 0 || mapping is null)
            {
                continue;
            }

            var rule = new EventRuleSpec(types, eventName, mapping);

            // A rule is unreachable when, for every one of its types, an earlier rule takes every
            // event (no event name) or the same event name.
            (EventRuleSpec Rule, TextSpan Span)? blocker = null;
            bool allBlocked = true;
            foreach (string type in types)
            {
                var earlier = seen.FirstOrDefault(s => s.Rule.Types.Contains(type)
                    && (s.Rule.EventName is null || (eventName is not null && string.Equals(s.Rule.EventName, eventName, System.StringComparison.OrdinalIgnoreCase))));
                if (earlier.Rule is null)
                {
                    allBlocked = false;
                    break;
                }

                blocker ??= earlier;
            }

            if (allBlocked && blocker is { } b)
            {
                string what = b.Rule.EventName is null ? string.Empty : " named \"" + b.Rule.EventName + "\"";
                file.Report(
                    DiagnosticDescriptors.UnreachableEventRule,
                    new TextSpan(ro.Span.Start, 1),
                    file.LineOf(b.Span).ToString(CultureInfo.InvariantCulture),
                    string.Join("', '", types),
                    what);
                continue;
            }

            seen.Add((rule, ro.Span));
            rules.Add(rule);
        }
    }
}
