using System.Collections.Generic;
using System.Linq;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;

namespace Mappings.Generators.Parsing;

// Named values (lets): the cycles between them.
internal static partial class MappingParser
{
    /// <summary>A named value that needs itself (directly or through others) could never be computed: MAP022.</summary>
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
                    DiagnosticDescriptors.NamedValueCycle,
                    property.NameSpan,
                    let.Name,
                    "$" + let.Name + " → $" + string.Join(" → $", path));
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
}
