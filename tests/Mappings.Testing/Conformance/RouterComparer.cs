using System.Text;

namespace Mappings.CleverTap.Tests;

/// <summary>
/// Compares router response bodies as conformance/README.md says: the top-level output list as a
/// multiset (rudder-server re-sorts by job), each entry exactly (record and metadata order count),
/// with the D1 rule for entries the reference failed with a 500.
/// </summary>
public static class RouterComparer
{
    public static string? Compare(ReadOnlyMemory<byte> expectedBody, ReadOnlyMemory<byte> actualBody)
    {
        var expected = JsonSlices.At(expectedBody, "output");
        var actual = JsonSlices.At(actualBody, "output");
        if (expected is null) return "expected body has no output";
        if (actual is null) return "actual body has no output: " + Encoding.UTF8.GetString(actualBody.Span);
        var e = JsonSlices.Elements(expected.Value);
        var a = JsonSlices.Elements(actual.Value);
        if (e.Count != a.Count) return $"expected {e.Count} output entries, got {a.Count}";
        var comparer = new JsonComparer();
        var used = new bool[a.Count];
        for (int i = 0; i < e.Count; i++)
        {
            string? closest = null;
            bool matched = false;
            for (int j = 0; j < a.Count && !matched; j++)
            {
                if (used[j]) continue;
                // Compare one entry with the D1 rule by wrapping both in arrays.
                string? diff = comparer.CompareProcessorEntries(Wrap(e[i]), Wrap(a[j]));
                if (diff is null) { used[j] = true; matched = true; }
                else closest ??= diff;
            }
            if (!matched) return $"expected entry {i} has no equal actual entry; first difference: {closest}\nexpected: {Short(e[i])}";
        }
        return null;
    }

    private static byte[] Wrap(ReadOnlyMemory<byte> entry)
    {
        var bytes = new byte[entry.Length + 2];
        bytes[0] = (byte)'[';
        entry.Span.CopyTo(bytes.AsSpan(1));
        bytes[^1] = (byte)']';
        return bytes;
    }

    private static string Short(ReadOnlyMemory<byte> json)
    {
        string s = Encoding.UTF8.GetString(json.Span);
        return s.Length > 600 ? s[..600] + "…" : s;
    }
}
