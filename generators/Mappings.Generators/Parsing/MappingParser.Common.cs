using System.Collections.Immutable;
using System.Linq;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing.Jsonc;

namespace Mappings.Generators.Parsing;

// common.json: the path lists every destination may use.
internal static partial class MappingParser
{
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
                lists.Add(new PathList(p.Name, paths) { Source = file.Source(p) });
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
}
