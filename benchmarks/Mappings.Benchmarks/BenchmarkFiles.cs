namespace Mappings.Benchmarks;

/// <summary>Finds the files the benchmarks read: their own events, the repository's mapping files, the shared corpus.</summary>
internal static class BenchmarkFiles
{
    /// <summary>A representative event (benchmarks/Mappings.Benchmarks/Events/&lt;kind&gt;.json), copied next to the binary.</summary>
    public static byte[] Event(string kind) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Events", kind + ".json"));

    /// <summary>The repository root (the directory holding Mappings.sln), searched upwards.</summary>
    public static string RepositoryRoot => FindUp("Mappings.sln") ?? throw new DirectoryNotFoundException("Mappings.sln not found above " + AppContext.BaseDirectory);

    /// <summary>The shared folder beside the repository (conformance vectors).</summary>
    public static string Shared => Path.Combine(Path.GetDirectoryName(RepositoryRoot)!, "shared");

    private static string? FindUp(string file)
    {
        // BenchmarkDotNet runs the benchmarks from a generated project under bin/; walk up from there too.
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, file))) return dir.FullName;
            }
        }
        return null;
    }
}
