using System.Collections.Generic;
using System.Linq;
using Mappings.Generators.Model;

namespace Mappings.Generators.Emitting;

/// <summary>
/// Compiled lookups: the objects a mapping reads many names from (<c>traits.email</c>,
/// <c>traits.phone</c>, … <c>context.traits.email</c>, …) are read once each, at the start of
/// <c>Map</c>, in one pass over their members (<c>JsHeap.Bind</c>, exactly get-value per path); the
/// fields then read the values from locals (<c>traits.email</c>).
/// </summary>
/// <remarks>
/// Only reads before the first custom fields stage are served that way: its path writes may change
/// input objects in place (JavaScript shares them by reference), so every later read looks its
/// value up then, as before. Paths through a name that throws when read (<c>caller</c>,
/// <c>arguments</c> of a function) or with a backslash are never bound, and a fallback list is read
/// from bound values only when all its paths may be read ahead.
/// </remarks>
internal sealed class FieldBindings
{
    /// <summary>An object is read in one pass when the mapping reads at least this many of its names.</summary>
    public const int MinimumNames = 4;

    private readonly Dictionary<string, (string Var, Dictionary<string, string> Fields)> _sources = new();
    private bool _invalid;

    private FieldBindings()
    {
    }

    /// <summary>The struct types to declare.</summary>
    public List<BindingTypeView> Types { get; } = new();

    /// <summary>The reads at the start of <c>Map</c>.</summary>
    public List<BindView> Binds { get; } = new();

    /// <summary>A bound path's local and field, or null (not bound, or read after the binding stopped being valid).</summary>
    public (string Var, string Field)? Find(string path)
    {
        if (_invalid)
        {
            return null;
        }

        int dot = path.LastIndexOf('.');
        if (dot < 0 || !_sources.TryGetValue(path.Substring(0, dot), out var source)
            || !source.Fields.TryGetValue(path.Substring(dot + 1), out string? field))
        {
            return null;
        }

        return (source.Var, field);
    }

    /// <summary>From here on values are looked up again (see remarks).</summary>
    public void Invalidate() => _invalid = true;

    /// <summary>A path whose read can neither throw nor differ when done ahead of its turn.</summary>
    public static bool MayReadAhead(string path)
        => path.IndexOf('\\') < 0 && path.Split('.').All(s => s is not ("caller" or "arguments"));

    /// <summary>Which objects of the mapping to read in one pass; declares their statics and locals.</summary>
    public static FieldBindings Plan(MapperModel model, Statics statics, MemberNames members, Locals locals)
    {
        var bindings = new FieldBindings();

        // The names read from each object before the first custom fields stage, in order of first read.
        var reads = new Dictionary<string, List<string>>();
        var order = new List<string>();
        foreach (string path in new ReadCollector().Collect(model))
        {
            int dot = path.LastIndexOf('.');
            if (dot <= 0 || !MayReadAhead(path))
            {
                continue;
            }

            string source = path.Substring(0, dot);
            if (source.Split('.').Any(s => s.Length == 0))
            {
                continue;
            }

            if (!reads.TryGetValue(source, out List<string>? names))
            {
                reads[source] = names = new List<string>();
                order.Add(source);
            }

            string name = path.Substring(dot + 1);
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        foreach (string source in order.Where(s => reads[s].Count >= MinimumNames))
        {
            List<string> names = reads[source];

            // Objects read for the same names share one struct type (traits, context.traits).
            BindingTypeView? type = bindings.Types.FirstOrDefault(t => t.Names.Count == names.Count && !t.Names.Except(names).Any());
            if (type is null)
            {
                members.Claim("type:" + source, Names.Pascal(source) + "Values", out string typeName);
                type = new BindingTypeView { Type = typeName, Names = names };
                var fieldNames = new HashSet<string>();
                foreach (string name in names)
                {
                    string field = Names.Field(name);
                    string unique = field;
                    for (int n = 2; !fieldNames.Add(unique); n++)
                    {
                        unique = field + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }

                    type.Fields.Add(unique);
                }

                bindings.Types.Add(type);
            }

            type.Sources.Add(source);
            string var = locals.Declare(Names.Camel(source));
            bindings._sources[source] = (var, type.Names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => type.Fields[x.i]));
            bindings.Binds.Add(new BindView
            {
                Source = source,
                Type = type.Type,
                Var = var,
                Names = statics.Fields(source, type.Type),
            });
        }

        return bindings;
    }

    /// <summary>The message paths a mapping reads (get-value), in evaluation order, up to its first custom fields stage.</summary>
    private sealed class ReadCollector : ModelWalker
    {
        private readonly List<string> _paths = new();
        private bool _stopped;

        public List<string> Collect(MapperModel model)
        {
            Mapper(model);
            return _paths;
        }

        protected override void AfterFields(ObjectSpec spec) => _stopped |= spec.CustomFields is not null;

        protected override void Path(ValuePath path)
        {
            if (!_stopped && path.Root == PathRoot.Message)
            {
                _paths.Add(path.Path);
            }
        }
    }
}
