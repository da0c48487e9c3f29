using System.Collections.Immutable;

namespace Mappings.Generators.Tests;

/// <summary>
/// The repository the tests run in: its root (the folder holding <c>Mappings.sln</c>) and the real
/// mapping files under <c>mappings/</c>, read from disk at test time.
/// </summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root, found by walking up from the test binaries to <c>Mappings.sln</c>.</summary>
    public static string Root => s_root.Value;

    public static string MappingsDirectory => Path.Combine(Root, "mappings");

    /// <summary>The text of <c>mappings/&lt;relativePath&gt;</c> (e.g. <c>clevertap/identify.json</c>).</summary>
    public static string ReadMapping(string relativePath)
        => File.ReadAllText(Path.Combine(MappingsDirectory, relativePath.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>
    /// The relative paths (<c>/</c>-separated) of every <c>*.json</c> file under <c>mappings/</c>, the
    /// files <c>src/Mappings.CleverTap</c> passes to the generator as <c>AdditionalFiles</c>, in ordinal order.
    /// </summary>
    public static ImmutableArray<string> MappingPaths()
        => Directory.EnumerateFiles(MappingsDirectory, "*.json", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(MappingsDirectory, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToImmutableArray();

    /// <summary>
    /// The real mapping files as in-memory additional texts under <see cref="GeneratorHarness.MappingsDirectory"/>
    /// (<c>/repo/mappings/…</c>), so diagnostics and snapshots do not depend on where the repository is checked out.
    /// </summary>
    public static ImmutableArray<InMemoryAdditionalText> MappingFiles()
        => MappingPaths().Select(path => InMemoryAdditionalText.Mapping(path, ReadMapping(path))).ToImmutableArray();

    /// <summary>The real mapping files, with <paramref name="relativePath"/> replaced by <paramref name="content"/>.</summary>
    public static ImmutableArray<InMemoryAdditionalText> MappingFilesWith(string relativePath, string content)
    {
        ImmutableArray<InMemoryAdditionalText> files = MappingFiles();
        int index = files.Select(f => f.Path).ToList().IndexOf(GeneratorHarness.MappingsDirectory + relativePath);
        Assert.True(index >= 0, $"mappings/{relativePath} is not a mapping file of this repository");
        return files.SetItem(index, files[index].WithContent(content));
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mappings.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Mappings.sln above {AppContext.BaseDirectory}: the tests must run inside the repository.");
    }
}
