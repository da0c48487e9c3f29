using System.Collections.Immutable;
using System.Linq;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Parsing;

// destination.json: the destination, named values, message type, preconditions, event rules, field groups.
internal static partial class MappingParser
{
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
                ValueExpr? value = ParseValueObject(file, vo, letScope, "a named value", objectPlace: "as a named value");
                if (value is not null)
                {
                    lets.Add(new LetSpec(p.Name, value) { Source = file.Source(p) });
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
                messageType = new MessageTypeSpec(path, missing, unsupported) { Source = file.Source(r.Property("messageType")!) };
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
                    preconditions.Add(new PreconditionSpec(types, fail, when) { Source = file.Source(po) });
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

                    if (ParseField(file, fo, Scope.Mapping.InObject()) is { } field)
                    {
                        if (field is UseField nested)
                        {
                            file.Report(DiagnosticDescriptors.NestedFieldGroup, fo.Find("use")!.NameSpan, nested.Group);
                            continue;
                        }

                        fields.Add(field);
                    }
                }

                groups.Add(new FieldGroup(p.Name, fields.ToImmutable()));
            }
        }

        UserDeletionSpec? deletion = r.Object("userDeletion") is { } del ? ParseUserDeletion(file, del) : null;
        if (deletion is not null)
        {
            deletion = deletion with { Source = file.Source(r.Property("userDeletion")!) };
        }

        if (destType is null || className is null || request is null || messageType is null)
        {
            return null;
        }

        return new DestinationFileModel(
            file.Destination, file.RelativePath, destType, className, request, lets.ToImmutable(), messageType,
            preconditions.ToImmutable(), rules.ToImmutable(), groups.ToImmutable(), deletion)
        {
            DestinationSource = r.Property("destination") is { } source ? file.Source(source) : null,
        };
    }
}
