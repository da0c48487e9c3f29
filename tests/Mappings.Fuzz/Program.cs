using System.Diagnostics;
using Mappings.Fuzz;
using SharpFuzz;

// Usage (README.md):
//   Mappings.Fuzz TARGET [--afl]                       run under afl-fuzz (SharpFuzz's out-of-process fork server)
//   Mappings.Fuzz TARGET --libfuzzer                   run under libfuzzer-dotnet
//   Mappings.Fuzz TARGET --replay PATH...              run files, or every file of directories, without a fuzzer
//   Mappings.Fuzz TARGET --seed-corpus DIR [--max N]   write seed inputs made from the conformance vectors
//   Mappings.Fuzz TARGET --mutate RUNS [--seed S] [--crashes DIR]   in-process mutation run, no fuzzer needed
//   Mappings.Fuzz TARGET --dump-mutations DIR [--count N] [--seed S]   write the inputs a --mutate run feeds
//   Mappings.Fuzz TARGET --minimize FILE [OUT]         shrink an input that fails, keeping its failure
// Every mode but --afl and --libfuzzer takes --shared DIR (default: a "shared" folder beside the repository).
// TARGET: reader, item, request, request-compacted, router, router-compacted.

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: Mappings.Fuzz TARGET [--afl | --libfuzzer | --replay PATH... | --seed-corpus DIR [--max N] | --mutate RUNS [--seed S] [--crashes DIR] | --minimize FILE [OUT]] [--shared DIR]");
    Console.Error.WriteLine("targets: " + string.Join(", ", FuzzTargets.Names));
    return 2;
}

string target = args[0];
if (!FuzzTargets.Names.Contains(target))
{
    Console.Error.WriteLine($"unknown target '{target}'; one of: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}
string mode = args.Length > 1 ? args[1] : "--afl";
string? Option(string name) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
string shared() => SeedCorpus.FindShared(Option("--shared"));

switch (mode)
{
    case "--afl":
    {
        // The targets live in the child process that SharpFuzz starts and restarts after a crash;
        // one instance serves every input, as a pooled transformer of the service does.
        FuzzTargets? targets = null;
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            (targets ??= new FuzzTargets()).Run(target, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    }
    case "--libfuzzer":
    {
        var targets = new FuzzTargets();
        Fuzzer.LibFuzzer.Run(span => targets.Run(target, span));
        return 0;
    }
    case "--replay":
    {
        // One instance for all files, in name order (as the fuzzer's child ran them); --fresh: one per file.
        bool fresh = args.Contains("--fresh");
        var files = args.Skip(2).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal))
            .SelectMany<string, string>(p => Directory.Exists(p) ? Directory.GetFiles(p).Where(f => !Path.GetFileName(f).StartsWith('.') && !Path.GetFileName(f).Equals("README.txt", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal) : new[] { p })
            .ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine("--replay needs files or directories");
            return 2;
        }
        var targets = new FuzzTargets();
        int failed = 0;
        foreach (string file in files)
        {
            if (fresh) targets = new FuzzTargets();
            try
            {
                targets.Run(target, File.ReadAllBytes(file));
                Console.WriteLine($"ok      {file}");
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine($"FAILED  {file}\n{e}");
                targets = new FuzzTargets(); // the failure may have left the instance in any state
            }
        }
        Console.WriteLine($"{files.Count - failed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
    case "--seed-corpus":
    {
        string dir = args.Length > 2 ? args[2] : throw new ArgumentException("--seed-corpus needs a directory");
        int max = int.Parse(Option("--max") ?? "200", System.Globalization.CultureInfo.InvariantCulture);
        Directory.CreateDirectory(dir);
        var seeds = SeedCorpus.For(target, shared(), max);
        for (int i = 0; i < seeds.Count; i++) File.WriteAllBytes(Path.Combine(dir, $"seed-{i:D4}.json"), seeds[i]);
        Console.WriteLine($"{seeds.Count} seeds of {target} written to {dir} ({seeds.Sum(s => (long)s.Length) / 1024} KiB)");
        return 0;
    }
    case "--mutate":
    {
        int runs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        int seed = int.Parse(Option("--seed") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        string crashes = Option("--crashes") ?? Path.Combine(Path.GetTempPath(), "mappings-fuzz-crashes");
        var seeds = SeedCorpus.For(target, shared(), 1000);
        var result = MutationRun.Run(target, seeds, runs, seed, crashes, Console.Out);
        return result.Failures.Count == 0 ? 0 : 1;
    }
    case "--dump-mutations":
    {
        // The inputs a --mutate run with this seed feeds, as files (to look at, or to seed a fuzzer with).
        string dir = args.Length > 2 ? args[2] : throw new ArgumentException("--dump-mutations needs a directory");
        int count = int.Parse(Option("--count") ?? "100", System.Globalization.CultureInfo.InvariantCulture);
        int seed = int.Parse(Option("--seed") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        Directory.CreateDirectory(dir);
        var inputs = MutationRun.Inputs(SeedCorpus.For(target, shared(), 1000), seed).Take(count).ToList();
        for (int i = 0; i < inputs.Count; i++) File.WriteAllBytes(Path.Combine(dir, $"mutation-{i:D5}.json"), inputs[i]);
        Console.WriteLine($"{inputs.Count} inputs written to {dir}");
        return 0;
    }
    case "--minimize":
    {
        string file = args.Length > 2 ? args[2] : throw new ArgumentException("--minimize needs a file");
        string output = args.Length > 3 && !args[3].StartsWith("--", StringComparison.Ordinal) ? args[3] : file + ".min";
        byte[] input = File.ReadAllBytes(file);
        var watch = Stopwatch.StartNew();
        byte[]? smallest = Minimizer.Minimize(target, input, Console.Out);
        if (smallest is null)
        {
            Console.WriteLine("the input does not fail on a fresh instance: nothing to minimize (replay the files before it too)");
            return 1;
        }
        File.WriteAllBytes(output, smallest);
        Console.WriteLine($"{input.Length} → {smallest.Length} bytes in {watch.Elapsed.TotalSeconds:0.0}s, written to {output}");
        return 0;
    }
    default:
        Console.Error.WriteLine($"unknown mode '{mode}'");
        return 2;
}
