namespace Mappings.Fuzz;

/// <summary>One input on which a target failed.</summary>
public sealed record FuzzFailure(string Target, int Run, byte[] Input, string Error, bool FailsAlone, string? SavedAs)
{
    public override string ToString() =>
        $"{Target} run {Run}: {(FailsAlone ? "fails" : "does not fail")} on a fresh instance; input {Input.Length} bytes{(SavedAs is null ? "" : " saved as " + SavedAs)}\n{Error}";
}

public sealed record MutationRunResult(int Runs, IReadOnlyList<FuzzFailure> Failures);

/// <summary>
/// A fuzzing run without a fuzzer: mutated seeds (<see cref="Mutator"/>, deterministic for a
/// seed) fed to one target in process, one instance for every input (replaced after a failure).
/// What CI runs for a short while, and what <c>--mutate</c> runs for longer.
/// </summary>
public static class MutationRun
{
    /// <summary>Failures kept in a result (the first ones); the run goes on after them.</summary>
    public const int MaxFailures = 20;

    public static MutationRunResult Run(string target, IReadOnlyList<byte[]> seeds, int runs, int seed, string? crashDirectory, TextWriter? log)
    {
        var targets = new FuzzTargets();
        var failures = new List<FuzzFailure>();
        int failed = 0;
        int run = -1;
        foreach (byte[] input in Inputs(seeds, seed).Take(runs))
        {
            run++;
            try
            {
                targets.Run(target, input);
            }
            catch (Exception e)
            {
                failed++;
                targets = new FuzzTargets();
                if (failures.Count >= MaxFailures) continue;
                bool alone = Minimizer.Fails(target, input) is not null;
                string? saved = null;
                if (crashDirectory is not null)
                {
                    Directory.CreateDirectory(crashDirectory);
                    saved = Path.Combine(crashDirectory, $"{target}-seed{seed}-run{run}.bin");
                    File.WriteAllBytes(saved, input);
                }
                var failure = new FuzzFailure(target, run, input, e.ToString(), alone, saved);
                failures.Add(failure);
                log?.WriteLine("FAILED " + failure);
            }
            if (log is not null && (run + 1) % 1000 == 0) log.WriteLine($"{target}: {run + 1} runs, {failed} failed");
        }
        log?.WriteLine($"{target}: {runs} runs, {failed} failed");
        return new MutationRunResult(runs, failures);
    }

    /// <summary>The inputs of a run: seeds picked at random, mutated but for every tenth (the seeds themselves must pass too).</summary>
    public static IEnumerable<byte[]> Inputs(IReadOnlyList<byte[]> seeds, int seed)
    {
        if (seeds.Count == 0) throw new ArgumentException("no seeds", nameof(seeds));
        var mutator = new Mutator(seed);
        var pick = new Random(seed ^ 0x5eed);
        for (int run = 0; ; run++)
        {
            byte[] input = seeds[pick.Next(seeds.Count)];
            yield return run % 10 == 0 ? input : mutator.Mutate(input, seeds[pick.Next(seeds.Count)]);
        }
    }
}

/// <summary>Shrinks an input that makes a target fail, keeping the kind of failure (on a fresh instance each try).</summary>
public static class Minimizer
{
    /// <summary>The kind of failure of the input on a fresh instance, or null when it passes.</summary>
    public static string? Fails(string target, byte[] input)
    {
        try
        {
            new FuzzTargets().Run(target, input);
            return null;
        }
        catch (Exception e)
        {
            return Signature(e);
        }
    }

    /// <summary>
    /// The kind of a failure: the exception's type and where it was thrown, or for a broken
    /// invariant the start of its message (which names the invariant before the data).
    /// </summary>
    public static string Signature(Exception e)
    {
        if (e is FuzzInvariantException)
        {
            string message = e.Message;
            int cut = message.IndexOfAny([':', '\n', '(', '[', '\'']);
            int second = cut >= 0 ? message.IndexOfAny([':', '\n', '(', '[', '\''], cut + 1) : -1;
            return "invariant: " + (second > 0 ? message[..second] : cut > 0 ? message[..cut] : message);
        }
        var frame = new System.Diagnostics.StackTrace(e, false).GetFrames().FirstOrDefault()?.GetMethod();
        return $"{e.GetType().FullName} at {frame?.DeclaringType?.FullName}.{frame?.Name}";
    }

    /// <summary>The smallest input found that fails as <paramref name="input"/> does, or null when it does not fail alone.</summary>
    public static byte[]? Minimize(string target, byte[] input, TextWriter? log = null, int maxTries = 20_000)
    {
        string? signature = Fails(target, input);
        if (signature is null) return null;
        log?.WriteLine("failure: " + signature);
        byte[] current = input;
        int tries = 0;
        for (int chunk = Math.Max(1, current.Length / 2); chunk >= 1 && tries < maxTries; chunk = chunk == 1 ? 0 : Math.Max(1, chunk / 2))
        {
            bool progress = true;
            while (progress && tries < maxTries)
            {
                progress = false;
                for (int start = 0; start + chunk <= current.Length && tries < maxTries; start += chunk)
                {
                    byte[] candidate = [.. current.AsSpan(0, start), .. current.AsSpan(start + chunk)];
                    tries++;
                    if (Fails(target, candidate) == signature)
                    {
                        current = candidate;
                        progress = true;
                        start -= chunk;
                    }
                }
            }
            log?.WriteLine($"chunk {chunk}: {current.Length} bytes ({tries} tries)");
        }
        return current;
    }
}
