using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Mappings.Generators.Tests;

/// <summary>
/// Golden files: compares text with <c>Snapshots/&lt;name&gt;.verified.&lt;ext&gt;</c> in this project's source folder.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Match: passes (and deletes a stale <c>.received.*</c>).</item>
/// <item>Mismatch: writes <c>&lt;name&gt;.received.&lt;ext&gt;</c> beside the verified file and fails with a
/// unified diff of the first differing lines. Review, then approve with <c>UPDATE_SNAPSHOTS=1</c>
/// (or by renaming the received file).</item>
/// <item>Missing: written as the new verified file, and the test fails once asking for a review.
/// Under <c>CI=true</c> nothing is approved: a missing snapshot fails (the text goes to
/// <c>.received.*</c>) and <c>UPDATE_SNAPSHOTS</c> is ignored.</item>
/// </list>
/// Line endings are compared as <c>\n</c> and a leading BOM is ignored, so checkouts with CRLF agree.
/// </remarks>
public static class Snapshot
{
    private const int DiffContextLines = 3;
    private const int DiffMaxLines = 60;

    /// <summary>Compares a generated source file with <c>Snapshots/&lt;name&gt;.verified.cs</c>.</summary>
    public static void VerifySource(string name, GeneratedSourceResult source)
        => Verify(name, "cs", source.SourceText.ToString());

    /// <summary>Compares diagnostics, one <c>path(line,col): severity ID: message</c> line each, with <c>Snapshots/&lt;name&gt;.verified.txt</c>.</summary>
    public static void VerifyDiagnostics(string name, IEnumerable<Diagnostic> diagnostics)
        => Verify(name, "txt", FormatDiagnostics(diagnostics));

    /// <summary>
    /// <c>path(line,col): severity ID: message</c> per diagnostic (1-based line and column, as MSBuild
    /// prints them), ordered by path, position and ID; each line ends with <c>\n</c>.
    /// </summary>
    public static string FormatDiagnostics(IEnumerable<Diagnostic> diagnostics)
    {
        var builder = new StringBuilder();
        IEnumerable<(Diagnostic Diagnostic, FileLinePositionSpan Span)> ordered = diagnostics
            .Select(d => (Diagnostic: d, Span: d.Location.GetLineSpan()))
            .OrderBy(x => x.Span.Path, StringComparer.Ordinal)
            .ThenBy(x => x.Span.StartLinePosition)
            .ThenBy(x => x.Diagnostic.Id, StringComparer.Ordinal);
        foreach ((Diagnostic diagnostic, FileLinePositionSpan span) in ordered)
        {
            builder.Append(CultureInfo.InvariantCulture,
                $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): "
                + $"{diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}\n");
        }

        return builder.ToString();
    }

    public static void Verify(string name, string extension, string actual)
    {
        string directory = SnapshotsDirectory();
        string verifiedPath = Path.Combine(directory, $"{name}.verified.{extension}");
        string receivedPath = Path.Combine(directory, $"{name}.received.{extension}");
        actual = Normalize(actual);

        bool ci = IsSet("CI", "true");
        bool update = IsSet("UPDATE_SNAPSHOTS", "1") && !ci;

        if (update)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        if (!File.Exists(verifiedPath))
        {
            Directory.CreateDirectory(directory);
            if (ci)
            {
                File.WriteAllText(receivedPath, actual);
                Assert.Fail(
                    $"Snapshot '{name}.verified.{extension}' is missing, and CI=true approves nothing. "
                    + $"Run the tests locally, review the new file in {directory}, and commit it. "
                    + $"What this run produced is in {receivedPath}.");
            }

            File.WriteAllText(verifiedPath, actual);
            Assert.Fail(
                $"New snapshot written: {verifiedPath}. Review it and commit it; the test passes from the next run on.");
        }

        string expected = Normalize(File.ReadAllText(verifiedPath));
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        Assert.Fail(
            $"Snapshot '{name}.verified.{extension}' does not match; the new output is in {receivedPath}.\n"
            + "If the change is intended, approve it with UPDATE_SNAPSHOTS=1 dotnet test tests/Mappings.Generators.Tests\n\n"
            + Diff(expected, actual, $"{name}.verified.{extension}", $"{name}.received.{extension}"));
    }

    /// <summary>
    /// A unified diff (<c>---</c>/<c>+++</c>, <c>@@</c> hunks with <see cref="DiffContextLines"/> lines of
    /// context) of the first differences, cut after <see cref="DiffMaxLines"/> lines.
    /// </summary>
    public static string Diff(string expected, string actual, string expectedName = "expected", string actualName = "actual")
    {
        List<(char Marker, string Line, int Old, int New)> edits = LineEdits(expected.Split('\n'), actual.Split('\n'));

        var diff = new StringBuilder();
        diff.Append(CultureInfo.InvariantCulture, $"--- {expectedName}\n+++ {actualName}\n");
        int printed = 0;
        int index = 0;
        while (index < edits.Count)
        {
            int firstChange = edits.FindIndex(index, e => e.Marker != ' ');
            if (firstChange < 0)
            {
                break;
            }

            // Extend the hunk while changes are closer than two contexts apart.
            int start = Math.Max(index, firstChange - DiffContextLines);
            int end = firstChange;
            for (int i = firstChange; i < edits.Count && i <= end + (2 * DiffContextLines); i++)
            {
                if (edits[i].Marker != ' ')
                {
                    end = i;
                }
            }

            end = Math.Min(edits.Count - 1, end + DiffContextLines);
            List<(char Marker, string Line, int Old, int New)> hunk = edits.GetRange(start, end - start + 1);
            int oldCount = hunk.Count(e => e.Marker != '+');
            int newCount = hunk.Count(e => e.Marker != '-');
            diff.Append(CultureInfo.InvariantCulture, $"@@ -{hunk[0].Old + 1},{oldCount} +{hunk[0].New + 1},{newCount} @@\n");
            foreach ((char marker, string line, _, _) in hunk)
            {
                if (printed++ == DiffMaxLines)
                {
                    diff.Append("… (diff cut; compare the .verified and .received files)\n");
                    return diff.ToString();
                }

                diff.Append(marker).Append(Visible(line)).Append('\n');
            }

            index = end + 1;
        }

        return diff.ToString();
    }

    /// <summary>Line edit script from a longest common subsequence; <c>Old</c>/<c>New</c> are 0-based line numbers.</summary>
    private static List<(char Marker, string Line, int Old, int New)> LineEdits(string[] before, string[] after)
    {
        int prefix = 0;
        while (prefix < before.Length && prefix < after.Length && before[prefix] == after[prefix])
        {
            prefix++;
        }

        int suffix = 0;
        while (suffix < before.Length - prefix && suffix < after.Length - prefix
            && before[before.Length - 1 - suffix] == after[after.Length - 1 - suffix])
        {
            suffix++;
        }

        int n = before.Length - prefix - suffix;
        int m = after.Length - prefix - suffix;
        int[,]? lcs = (long)n * m <= 4_000_000 ? new int[n + 1, m + 1] : null; // else: the middle is shown as replaced
        if (lcs is not null)
        {
            for (int i = n - 1; i >= 0; i--)
            {
                for (int j = m - 1; j >= 0; j--)
                {
                    lcs[i, j] = before[prefix + i] == after[prefix + j]
                        ? lcs[i + 1, j + 1] + 1
                        : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
                }
            }
        }

        var edits = new List<(char, string, int, int)>(before.Length + m);
        for (int k = 0; k < prefix; k++)
        {
            edits.Add((' ', before[k], k, k));
        }

        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && before[prefix + x] == after[prefix + y])
            {
                edits.Add((' ', before[prefix + x], prefix + x, prefix + y));
                x++;
                y++;
            }
            else if (x < n && (y == m || lcs is null || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                edits.Add(('-', before[prefix + x], prefix + x, prefix + y));
                x++;
            }
            else
            {
                edits.Add(('+', after[prefix + y], prefix + x, prefix + y));
                y++;
            }
        }

        for (int k = 0; k < suffix; k++)
        {
            edits.Add((' ', before[prefix + n + k], prefix + n + k, prefix + m + k));
        }

        return edits;
    }

    // Trailing whitespace is invisible in a test log; show it.
    private static string Visible(string line)
    {
        int trimmed = line.TrimEnd().Length;
        return trimmed == line.Length ? line : line[..trimmed] + line[trimmed..].Replace(" ", "·").Replace("\t", "→");
    }

    private static string Normalize(string text) => text.TrimStart('\uFEFF').Replace("\r\n", "\n");

    private static bool IsSet(string variable, string value)
        => string.Equals(Environment.GetEnvironmentVariable(variable), value, StringComparison.OrdinalIgnoreCase);

    /// <summary><c>Snapshots/</c> beside this file, in the project's source folder (not bin/).</summary>
    private static string SnapshotsDirectory([CallerFilePath] string thisFile = "")
    {
        string? projectDirectory = Path.GetDirectoryName(thisFile);
        if (projectDirectory is null || !Directory.Exists(projectDirectory))
        {
            throw new InvalidOperationException(
                $"Cannot locate the test project's source folder from [CallerFilePath] '{thisFile}' "
                + "(is the path mapped by PathMap or ContinuousIntegrationBuild?).");
        }

        return Path.Combine(projectDirectory, "Snapshots");
    }
}
