using System.Globalization;
using System.Text;

namespace Mappings.Service.Tests.Infrastructure;

/// <summary>One sample of a scrape: its name, labels and value.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(params (string Name, string Value)[] labels) =>
        labels.All(l => Labels.TryGetValue(l.Name, out var v) && v == l.Value);

    public override string ToString() => $"{Name}{{{string.Join(",", Labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} {Value}";
}

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4 (what Prometheus itself accepts): every line
/// is a comment, a <c># TYPE</c>/<c># HELP</c> line, blank, or a sample <c>name{labels} value</c>
/// whose family was typed before it; label values escape only <c>\\</c>, <c>\"</c> and <c>\n</c>;
/// histograms have increasing buckets ending in <c>+Inf</c> equal to <c>_count</c>. Throws
/// <see cref="FormatException"/> naming the line otherwise.
/// </summary>
public sealed class PrometheusText
{
    private PrometheusText(List<Sample> samples, Dictionary<string, string> types)
    {
        Samples = samples;
        Types = types;
    }

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Family name → type (counter, gauge, histogram, summary, untyped).</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>The samples of a name whose labels include all of <paramref name="labels"/>.</summary>
    public IEnumerable<Sample> Where(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && s.Has(labels));

    /// <summary>The sum of the values of those samples (0 when there is none).</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) => Where(name, labels).Sum(s => s.Value);

    public static PrometheusText Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n')) throw new FormatException("the exposition does not end with a line feed");
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n];
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                string[] parts = line.Split(' ', 4);
                if (parts.Length >= 4 && parts[1] == "TYPE")
                {
                    if (!IsName(parts[2])) throw new FormatException($"line {n + 1}: bad metric name in {line}");
                    if (parts[3] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped")) throw new FormatException($"line {n + 1}: bad type in {line}");
                    if (!types.TryAdd(parts[2], parts[3])) throw new FormatException($"line {n + 1}: second TYPE line for {parts[2]}");
                }
                continue;
            }
            var sample = ParseSample(line, n + 1);
            if (Family(sample.Name, types) is null) throw new FormatException($"line {n + 1}: sample of an untyped family: {line}");
            samples.Add(sample);
        }
        CheckHistograms(samples, types);
        return new PrometheusText(samples, types);
    }

    private static string? Family(string name, Dictionary<string, string> types)
    {
        if (types.ContainsKey(name)) return name;
        foreach (string suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var type) && type is "histogram" or "summary")
            {
                return name[..^suffix.Length];
            }
        }
        return null;
    }

    private static Sample ParseSample(string line, int n)
    {
        int i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ') i++;
        string name = line[..i];
        if (!IsName(name)) throw new FormatException($"line {n}: bad metric name in {line}");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                int start = i;
                while (line[i] != '=') i++;
                string label = line[start..i];
                if (!IsLabelName(label)) throw new FormatException($"line {n}: bad label name {label}");
                i++;
                if (line[i] != '"') throw new FormatException($"line {n}: label value not quoted");
                i++;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"line {n}: bad escape \\{line[i]}"),
                        });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }
                    i++;
                }
                i++;
                if (!labels.TryAdd(label, value.ToString())) throw new FormatException($"line {n}: label {label} twice");
                if (line[i] == ',') i++;
            }
            i++;
        }
        if (i >= line.Length || line[i] != ' ') throw new FormatException($"line {n}: no value in {line}");
        string[] rest = line[(i + 1)..].Split(' ');
        if (rest.Length > 2) throw new FormatException($"line {n}: too many fields in {line}");
        double value2 = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, value2);
    }

    private static void CheckHistograms(List<Sample> samples, Dictionary<string, string> types)
    {
        foreach (var (family, _) in types.Where(t => t.Value == "histogram"))
        {
            var groups = samples.Where(s => s.Name == family + "_bucket")
                .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)));
            foreach (var group in groups)
            {
                var buckets = group.Select(s => (Le: s.Labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(s.Labels["le"], CultureInfo.InvariantCulture), s.Value)).ToList();
                for (int i = 1; i < buckets.Count; i++)
                {
                    if (!(buckets[i].Le > buckets[i - 1].Le) || buckets[i].Value < buckets[i - 1].Value) throw new FormatException($"{family}{{{group.Key}}}: buckets not increasing");
                }
                if (!double.IsPositiveInfinity(buckets[^1].Le)) throw new FormatException($"{family}{{{group.Key}}}: no +Inf bucket");
                var count = samples.Single(s => s.Name == family + "_count" && Key(s) == group.Key);
                if (count.Value != buckets[^1].Value) throw new FormatException($"{family}{{{group.Key}}}: _count {count.Value} differs from the +Inf bucket {buckets[^1].Value}");
            }
        }

        static string Key(Sample s) => string.Join(",", s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
    }

    private static bool IsName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    private static bool IsLabelName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && !name.StartsWith("__", StringComparison.Ordinal) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
