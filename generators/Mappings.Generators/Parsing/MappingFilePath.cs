using System;

namespace Mappings.Generators.Parsing;

/// <summary>Recognises mapping files by path and derives names from it.</summary>
internal static class MappingFilePath
{
    public const string MappingsDirectoryName = "mappings";

    private static readonly char[] s_separators = { '/', '\\' };

    /// <summary>
    /// True for <c>*.json</c> files that have a <c>mappings</c> directory among their ancestors
    /// (<c>…/mappings/clevertap/x.json</c>, <c>…/mappings/common.json</c>). Case-insensitive, either separator.
    /// </summary>
    public static bool IsMappingFile(string path)
        => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && LastMappingsSegment(path.Split(s_separators)) >= 0;

    /// <summary>
    /// The path below the last <c>mappings</c> directory, joined with <c>/</c>
    /// (<c>/repo/mappings/clevertap/placeholder.json</c> → <c>clevertap/placeholder.json</c>).
    /// </summary>
    public static string GetRelativePath(string path)
    {
        string[] segments = path.Split(s_separators);
        int mappings = LastMappingsSegment(segments);
        return mappings < 0
            ? segments[segments.Length - 1]
            : string.Join("/", segments, mappings + 1, segments.Length - mappings - 1);
    }

    private static int LastMappingsSegment(string[] segments)
    {
        // The last segment is the file name, not a directory.
        for (int i = segments.Length - 2; i >= 0; i--)
        {
            if (string.Equals(segments[i], MappingsDirectoryName, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
