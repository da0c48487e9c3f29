using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Mappings.Generators.Diagnostics;
using Mappings.Generators.Helpers;
using Mappings.Generators.Model;
using Mappings.Generators.Parsing;

namespace Mappings.Generators.Resolving;

/// <summary>
/// Joins each file's model with the definitions it uses from other files: path lists from
/// <c>common.json</c>, named values and field groups from its <c>destination.json</c>, mapping
/// names from its folder. Produces the models code is generated from; a missing definition makes
/// the model invalid (the diagnostics pipeline reports it, see <see cref="CheckReferences"/>).
/// </summary>
internal static class Resolver
{
    public const string Namespace = "Mappings.Generated";

    /// <summary>The definitions a destination folder offers its mappings.</summary>
    public static DestinationDefinitions? Definitions(ParsedFile file)
    {
        DestinationFileModel? d = file.DestinationFile;
        if (d is null)
        {
            return null;
        }

        return new DestinationDefinitions(
            d.Destination,
            d.ClassName,
            LetInfos(d.Lets),
            d.FieldGroups);
    }

    /// <summary>What mappings need to know of a destination's named values.</summary>
    public static EquatableArray<LetInfo> LetInfos(EquatableArray<LetSpec> lets)
    {
        // A named value may be the config object itself when some value it may take is "$config",
        // or a named value that may be (lets cannot depend on themselves: MAP022).
        var mayBeConfig = new HashSet<string>();
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (LetSpec let in lets)
            {
                if (!mayBeConfig.Contains(let.Name) && MayBeConfig(let.Value, mayBeConfig))
                {
                    changed = mayBeConfig.Add(let.Name);
                }
            }
        }

        return lets.Select(l => new LetInfo(l.Name, l.Value is LowerValue, mayBeConfig.Contains(l.Name))).ToImmutableArray();
    }

    /// <summary>True when the value may be the config object itself (not one of its members).</summary>
    public static bool MayBeConfig(ValueExpr value, ICollection<string> configLets) => value switch
    {
        PathValue { Path: { Root: PathRoot.Config, Path.Length: 0 } } => true,
        PathValue { Path: { Root: PathRoot.Let, Path.Length: 0 } p } => configLets.Contains(p.Name),
        CasesValue c => c.Cases.Any(x => MayBeConfig(x.Value, configLets)),
        _ => false,
    };

    /// <summary>The class-name prefix of a destination folder.</summary>
    public static string ClassPrefix(string destination, DestinationDefinitions? definitions)
        => definitions?.ClassName ?? Identifier.Pascal(destination);

    public static string MappingClassName(string prefix, string mappingName)
        => prefix + Identifier.Pascal(mappingName) + "Mapping";

    public static MapperModel ResolveMapping(ParsedFile file, EquatableArray<PathList> lists, EquatableArray<DestinationDefinitions> destinations)
    {
        string name = MappingParser.MappingName(file.RelativePath);
        DestinationDefinitions? definitions = destinations.FirstOrDefault(d => d.Destination == file.Destination);
        string prefix = ClassPrefix(file.Destination, definitions);
        string className = MappingClassName(prefix, name);
        var invalid = new MapperModel(Namespace, className, prefix, file.RelativePath, name, null, EquatableArray<ExtraRecordSpec>.Empty, EquatableArray<LetInfo>.Empty, IsValid: false);
        if (file.Mapping is null || definitions is null)
        {
            return invalid;
        }

        var rewriter = new Rewriter(lists, definitions.FieldGroups, definitions.Lets);
        ObjectSpec record = rewriter.Object(file.Mapping.Record);
        var extras = file.Mapping.ExtraRecords
            .Select(e => e with { When = rewriter.Condition(e.When), Record = rewriter.Object(e.Record) })
            .ToImmutableArray();
        if (rewriter.Failed)
        {
            return invalid;
        }

        return new MapperModel(Namespace, className, prefix, file.RelativePath, name, record, extras, definitions.Lets, IsValid: true);
    }

    public static DestinationModel? ResolveDestination(ParsedFile file, EquatableArray<PathList> lists, EquatableArray<string> mappingNames)
    {
        DestinationFileModel? d = file.DestinationFile;
        if (d is null)
        {
            return null;
        }

        EquatableArray<LetInfo> lets = LetInfos(d.Lets);
        var rewriter = new Rewriter(lists, d.FieldGroups, lets);
        var resolvedLets = d.Lets.Select(l => l with { Value = rewriter.Value(l.Value) }).ToImmutableArray();
        var preconditions = d.Preconditions.Select(p => p with { When = rewriter.Condition(p.When) }).ToImmutableArray();
        var request = d.Request with { Endpoint = rewriter.Value(d.Request.Endpoint), Headers = rewriter.Fields(d.Request.Headers) };
        var rules = d.EventRules
            .Select(r => new RuleTarget(r.Types, r.EventName, r.Mapping, MappingClassName(d.ClassName, r.Mapping)) { Source = r.Source })
            .ToImmutableArray();
        if (rewriter.Failed || d.EventRules.Any(r => !mappingNames.Contains(r.Mapping)))
        {
            return null;
        }

        UserDeletionSpec? deletion = d.UserDeletion is { } del
            ? del with { Endpoint = rewriter.Value(del.Endpoint), Headers = rewriter.Fields(del.Headers) }
            : null;
        return new DestinationModel(Namespace, d.ClassName, d.DestType, d.RelativePath, request, resolvedLets, d.MessageType, preconditions, rules, deletion)
        {
            DestinationSource = d.DestinationSource,
        };
    }

    /// <summary>
    /// Checks every name a file uses against the definitions; reports MAP004 at the place of use.
    /// </summary>
    public static EquatableArray<DiagnosticInfo> CheckReferences(
        EquatableArray<Reference> references,
        EquatableArray<PathList> lists,
        EquatableArray<DestinationDefinitions> destinations,
        EquatableArray<MappingName> mappings)
    {
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        foreach (Reference r in references)
        {
            DestinationDefinitions? definitions = destinations.FirstOrDefault(d => d.Destination == r.Destination);
            IEnumerable<string> known = r.Kind switch
            {
                ReferenceKind.PathList => lists.Select(l => l.Name),
                ReferenceKind.Let => definitions?.Lets.Select(l => l.Name) ?? Enumerable.Empty<string>(),
                ReferenceKind.FieldGroup => definitions?.FieldGroups.Select(g => g.Name) ?? Enumerable.Empty<string>(),
                _ => mappings.Where(m => m.Destination == r.Destination).Select(m => m.Name),
            };
            var names = known.ToList();
            if (names.Contains(r.Name))
            {
                continue;
            }

            // Without a valid destination.json its lets and groups are unknown; that file's own
            // errors are reported, so do not add one error per use.
            if (definitions is null && r.Kind is ReferenceKind.Let or ReferenceKind.FieldGroup)
            {
                continue;
            }

            string what = r.Kind switch
            {
                ReferenceKind.PathList => "Path list",
                ReferenceKind.Let => "Named value",
                ReferenceKind.FieldGroup => "Field group",
                _ => "Mapping",
            };
            string shown = r.Kind switch
            {
                ReferenceKind.PathList => "@" + r.Name,
                ReferenceKind.Let => "$" + r.Name,
                _ => r.Name,
            };
            string hint = names.Count == 0
                ? "(none is defined" + (r.Kind == ReferenceKind.PathList ? " in mappings/common.json)" : r.Kind == ReferenceKind.Mapping ? ": add mappings/" + r.Destination + "/" + r.Name + ".json)" : " in destination.json)")
                : string.Join(", ", names.Select(n => r.Kind switch { ReferenceKind.PathList => "@" + n, ReferenceKind.Let => "$" + n, _ => n }));
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.UnknownReference, r.FilePath, r.Span, r.LineSpan, EquatableArray.Create(what, shown, hint)));
        }

        return diagnostics.ToImmutable();
    }

    /// <summary>MAP009 on a mapping file whose folder has no destination.json (nothing would dispatch to it).</summary>
    public static EquatableArray<DiagnosticInfo> CheckDestinationFile(string filePath, string destination, string relativePath, EquatableArray<string> folders)
    {
        if (folders.Contains(destination))
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        return EquatableArray.Create(new DiagnosticInfo(
            DiagnosticDescriptors.MissingProperty,
            filePath,
            new Microsoft.CodeAnalysis.Text.TextSpan(0, 0),
            new Microsoft.CodeAnalysis.Text.LinePositionSpan(default, default),
            EquatableArray.Create(
                "The folder mappings/" + destination,
                "destination.json",
                "add mappings/" + destination + "/destination.json (destination name, request, messageType, eventRules) so " + relativePath + " is used")));
    }

    /// <summary>Rewrites a model: expands field groups, fills in path lists, derives required messages.</summary>
    private sealed class Rewriter
    {
        private readonly EquatableArray<PathList> _lists;
        private readonly EquatableArray<FieldGroup> _groups;
        private readonly EquatableArray<LetInfo> _lets;

        public Rewriter(EquatableArray<PathList> lists, EquatableArray<FieldGroup> groups, EquatableArray<LetInfo> lets)
        {
            _lists = lists;
            _groups = groups;
            _lets = lets;
        }

        public bool Failed { get; private set; }

        public ObjectSpec Object(ObjectSpec o) => o with
        {
            Fields = Fields(o.Fields),
            Finally = Fields(o.Finally),
            Stringify = Stringify(o.Stringify),
            Assign = o.Assign is null ? null : Value(o.Assign),
        };

        public EquatableArray<FieldSpec> Fields(EquatableArray<FieldSpec> fields)
        {
            var result = ImmutableArray.CreateBuilder<FieldSpec>();
            foreach (FieldSpec f in fields)
            {
                if (f is UseField use)
                {
                    FieldGroup? group = _groups.FirstOrDefault(g => g.Name == use.Group);
                    if (group is null)
                    {
                        Failed = true;
                        continue;
                    }

                    result.AddRange(group.Fields.Select(Field).Select(g => g with { GroupName = use.Group, GroupUse = use.Source }));
                }
                else
                {
                    result.Add(Field(f));
                }
            }

            return result.ToImmutable();
        }

        private FieldSpec Field(FieldSpec f) => f switch
        {
            ValueField v => Derive(v with { Value = Value(v.Value), When = Condition(v.When), Stringify = Stringify(v.Stringify) }),
            FailField fail => fail with { When = Condition(fail.When) },
            _ => f,
        };

        private static ValueField Derive(ValueField v)
            => v.RequiredMessage is { Length: 0 } ? v with { RequiredMessage = RequiredMessage(v.Value) } : v;

        /// <summary>The reference's text: "Missing required value from " + JSON of the source spec.</summary>
        private static string RequiredMessage(ValueExpr value) => "Missing required value from " + value switch
        {
            PathValue p => JsonText.Quote(p.Path.Text),
            FirstValidValue f => "[" + string.Join(",", f.Paths.Select(p => JsonText.Quote(p.Text))) + "]",
            FirstTruthyValue t => "[" + string.Join(",", t.Paths.Select(p => JsonText.Quote(p.Text))) + "]",
            _ => "the field",
        };

        private StringifySpec? Stringify(StringifySpec? s)
            => s?.Parse is { } p ? s with { Parse = p with { When = Condition(p.When) } } : s;

        public ValueExpr Value(ValueExpr e)
        {
            switch (e)
            {
                case FirstValidValue { ListName: { } name, Paths.Count: 0 }:
                    PathList? list = _lists.FirstOrDefault(l => l.Name == name);
                    if (list is null)
                    {
                        Failed = true;
                        return e;
                    }

                    return new FirstValidValue(list.Paths, name) { ListSource = list.Source };
                case PathValue { Path.Root: PathRoot.Let } p when !_lets.Any(l => l.Name == p.Path.Name):
                    Failed = true;
                    return e;
                case ObjectValue o:
                    return new ObjectValue(Object(o.Object));
                case TemplateValue t:
                    return t with { Values = t.Values.Select(v => v with { Value = Value(v.Value) }).ToImmutableArray() };
                case CasesValue c:
                    return new CasesValue(c.Cases.Select(x => new Case(Condition(x.When), Value(x.Value))).ToImmutableArray());
                default:
                    return e;
            }
        }

        public Condition? Condition(Condition? c) => c switch
        {
            TruthyCondition t => t with { Operand = Value(t.Operand) },
            EqualsCondition eq => eq with { Operand = Value(eq.Operand) },
            InCondition i => i with { Operand = Value(i.Operand) },
            AllCondition a => new AllCondition(a.Items.Select(x => Condition(x)!).ToImmutableArray()),
            AnyCondition a => new AnyCondition(a.Items.Select(x => Condition(x)!).ToImmutableArray()),
            NotCondition n => new NotCondition(Condition(n.Inner)!),
            _ => c,
        };
    }
}
