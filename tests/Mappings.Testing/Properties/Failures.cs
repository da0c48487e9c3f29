using System.Text;
using Mappings.Testing.Generation;
using Mappings.Testing.Json;

namespace Mappings.Testing.Properties;

/// <summary>
/// Collects a property test's violations: the first few are reported in full — the invariant, the
/// case's seed (to replay it alone with <c>PROPERTY_REPLAY</c>), its mutations, what went wrong and,
/// when the caller gave a way to tell, the case shrunk to the smallest input that still fails.
/// </summary>
public sealed class Failures(Action<string> writeLine)
{
    private const int Reported = 5;
    private readonly List<string> _reports = [];
    private int _count;

    public int Count => _count;

    public void Add<T>(string invariant, GeneratedCase<T> c, Func<RawJson, bool>? stillFails, string? detail)
    {
        _count++;
        if (_reports.Count >= Reported) return;
        var report = new StringBuilder();
        report.Append($"{invariant}: {c}; {PropertySettings.ReplayHint(c.Seed)}\n  {detail}\n");
        switch (c.Value)
        {
            case GeneratedItem item:
                report.Append($"  mutations: {string.Join(", ", item.Tags)}\n  input: {Short(item.Utf8)}\n");
                if (stillFails is not null && stillFails(item.Json))
                {
                    var smallest = Shrinker.Shrink(item.Json, stillFails);
                    report.Append($"  smallest input that still fails: {Encoding.UTF8.GetString(smallest.ToUtf8())}\n");
                }
                break;
            case GeneratedRouterBody body:
                report.Append($"  body: {Short(body.Utf8)}\n");
                break;
        }
        _reports.Add(report.ToString());
        writeLine(report.ToString());
    }

    public void AssertNone()
    {
        if (_count == 0) return;
        throw new PropertyFailedException($"{_count} violations; the first {_reports.Count}:\n{string.Join("\n", _reports)}");
    }

    private static string Short(byte[] utf8)
    {
        string s = Encoding.UTF8.GetString(utf8);
        return s.Length > 4000 ? s[..4000] + $"… ({utf8.Length:#,0} bytes)" : s;
    }
}

/// <summary>A property test found violations (the message lists the first ones).</summary>
public sealed class PropertyFailedException(string message) : Exception(message);
