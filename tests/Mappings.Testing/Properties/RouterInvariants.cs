using Mappings.CleverTap.Tests;
using Mappings.Testing.Generation;

namespace Mappings.Testing.Properties;

/// <summary>What every router answer must satisfy for a body built from generated items.</summary>
public static class RouterInvariants
{
    /// <summary>
    /// Invariant 4, "every job appears exactly once": the answer is <c>{"output":[…]}</c>, every entry
    /// has a numeric statusCode and a metadata array (a batch carries several), error entries a
    /// non-empty error; and the job ids found in the entries' metadata are, as a multiset, exactly
    /// the job ids the body gave its inputs (<see cref="GeneratedRouterBody.JobIds"/>). An input
    /// without an object metadata (no job id) must get an entry of its own with an empty metadata
    /// array (D1).
    /// </summary>
    public static string? CheckJobs(GeneratedRouterBody body, ReadOnlyMemory<byte> answer)
    {
        if (!ProcessorInvariants.IsObject(answer) || JsonSlices.At(answer, "output") is not { } output
            || !ProcessorInvariants.TryElements(output, out var entries))
        {
            return "the answer is not {\"output\": [...]}: " + ProcessorInvariants.Show(answer);
        }
        var seen = new Dictionary<string, int>();
        int emptyMetadata = 0;
        foreach (var entry in entries)
        {
            if (!ProcessorInvariants.IsObject(entry)) return "an output entry is not an object: " + ProcessorInvariants.Show(entry);
            string status = ProcessorInvariants.Status(entry);
            if (status.Length == 0 || !char.IsAsciiDigit(status[0])) return "an output entry without a numeric statusCode: " + ProcessorInvariants.Show(entry);
            if (status != "200" && (JsonSlices.At(entry, "error") is not { } error || error.Length <= 2))
            {
                return "an error entry without a non-empty error: " + ProcessorInvariants.Show(entry);
            }
            if (JsonSlices.At(entry, "metadata") is not { } metadata || !ProcessorInvariants.TryElements(metadata, out var list))
            {
                return "an output entry without a metadata array: " + ProcessorInvariants.Show(entry);
            }
            if (list.Count == 0) emptyMetadata++;
            foreach (var m in list)
            {
                string job = JsonSlices.At(m, "jobId") is { } id ? ProcessorInvariants.Text(id) : "(none)";
                seen[job] = seen.GetValueOrDefault(job) + 1;
            }
        }
        var expected = new Dictionary<string, int>();
        foreach (long? id in body.JobIds)
        {
            string job = id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)";
            if (id is not null) expected[job] = expected.GetValueOrDefault(job) + 1;
        }
        // An input without metadata gets an entry with an empty metadata array (D1); one whose
        // metadata is there but not an object with a job id gets it echoed, naming no job.
        int withoutJob = 0;
        for (int i = 0; i < body.JobIds.Length; i++)
        {
            if (body.JobIds[i] is not null) continue;
            var metadata = i < body.Inputs.Length && body.Inputs[i].Json is Json.RawObject ? body.Inputs[i].Json["metadata"] : null;
            if (metadata is null) withoutJob++;
            else expected["(none)"] = expected.GetValueOrDefault("(none)") + 1;
        }
        foreach (var (job, count) in expected)
        {
            int got = seen.GetValueOrDefault(job);
            if (got != count) return $"job {job} appears {got} times in the answer, expected {count}";
        }
        foreach (var (job, count) in seen)
        {
            if (!expected.ContainsKey(job)) return $"the answer names job {job} ({count} times), which no input has";
        }
        if (emptyMetadata != withoutJob) return $"{withoutJob} inputs have no metadata object, but {emptyMetadata} entries have empty metadata";
        return null;
    }
}
