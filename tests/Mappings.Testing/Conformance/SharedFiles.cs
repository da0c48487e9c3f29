namespace Mappings.CleverTap.Tests;

/// <summary>
/// Finds the shared folder (specs and conformance vectors) beside the repository: walks up from
/// the test binaries until a directory has <c>shared/conformance</c> (CI: X/main and X/shared).
/// </summary>
public static class SharedFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string SharedDirectory => Root.Value;

    public static string Path(string relative) => System.IO.Path.Combine(Root.Value, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(System.IO.Path.Combine(candidate, "conformance"))) return candidate;
        }
        throw new DirectoryNotFoundException(
            "The shared folder (with conformance/ and spec/) was not found beside the repository: clone the repository next to it (X/main and X/shared).");
    }
}
