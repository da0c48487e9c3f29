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

// Message types and event rules, and the rules that can never apply.
internal static partial class MappingParser
{
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

            var rule = new EventRuleSpec(types, eventName, mapping) { Source = file.Source(ro) };

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
