using System.Collections.Generic;
using System.Linq;
using Mappings.Generators.Model;
using Mappings.Generators.Resolving;

namespace Mappings.Generators.Emitting;

/// <summary>
/// The properties of the config a mapping reads more than once (<c>$config.enableObjectIdMapping</c>
/// in four conditions of <c>identify.json</c>), read once at the start of <c>Map</c> into a local
/// named after them — when nothing the mapping writes can change them.
/// </summary>
/// <remarks>
/// The config is prepared before the mapping runs (dynamic config included); during it only path
/// writes (custom fields) change objects in place, and only objects reachable from the one being
/// built. A property of the config changes only if the config object itself is reachable from
/// there: some value the mapping writes is <c>$config</c>, or a named value that may be it. Then no
/// read is shared. Reads of deeper names (<c>$config.a.b</c>) stay where they are.
/// </remarks>
internal sealed class ConfigReads
{
    private readonly Dictionary<string, string> _locals = new();

    private ConfigReads()
    {
    }

    /// <summary>The reads at the start of <c>Map</c>: a local and the property it holds.</summary>
    public List<(string Var, string Property)> Reads { get; } = new();

    /// <summary>The local holding <c>$config.name</c>, or null.</summary>
    public string? Find(string name) => _locals.TryGetValue(name, out string? local) ? local : null;

    public static ConfigReads Plan(MapperModel model, Locals locals)
    {
        var plan = new ConfigReads();
        var collector = new Collector(model.Lets.Where(l => l.MayBeConfig).Select(l => l.Name).ToList());
        collector.Mapper(model);

        if (collector.MayWriteConfig)
        {
            return plan;
        }

        foreach (string name in collector.Order.Where(n => collector.Counts[n] >= 2))
        {
            string local = locals.Declare(Names.Camel(name));
            plan._locals[name] = local;
            plan.Reads.Add((local, name));
        }

        return plan;
    }

    /// <summary>Counts the reads of each <c>$config.name</c>, and looks for values written that may be the config itself.</summary>
    private sealed class Collector : ModelWalker
    {
        private readonly ICollection<string> _configLets;

        public Collector(ICollection<string> configLets) => _configLets = configLets;

        public Dictionary<string, int> Counts { get; } = new();

        public List<string> Order { get; } = new();

        public bool MayWriteConfig { get; private set; }

        protected override void Written(ValueField field) => MayWriteConfig |= Resolver.MayBeConfig(field.Value, _configLets);

        protected override void Path(ValuePath path)
        {
            if (path.Root != PathRoot.Config || path.Path.Length == 0)
            {
                return;
            }

            int dot = path.Path.IndexOf('.');
            string name = dot < 0 ? path.Path : path.Path.Substring(0, dot);
            if (!Counts.ContainsKey(name))
            {
                Counts[name] = 0;
                Order.Add(name);
            }

            Counts[name]++;
        }
    }
}
