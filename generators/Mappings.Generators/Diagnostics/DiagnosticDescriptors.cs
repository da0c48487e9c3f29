using Microsoft.CodeAnalysis;

namespace Mappings.Generators.Diagnostics;

/// <summary>
/// The catalog of every diagnostic the mappings generator reports (MAP001…).
/// </summary>
/// <remarks>
/// Adding one: take the next free ID, give it a message that says what to change, write
/// <c>docs/diagnostics/MAPnnn.md</c>, and list it in <c>AnalyzerReleases.Unshipped.md</c> (RS2008).
/// Severities can be changed per project in <c>.editorconfig</c>
/// (<c>dotnet_diagnostic.MAP001.severity = warning</c>).
/// </remarks>
internal static class DiagnosticDescriptors
{
    public const string Category = "Mappings";

    /// <summary>
    /// Base of every help link. The repository has no public web address yet, so links use the
    /// <c>repo:</c> scheme followed by a path relative to the repository root
    /// (<c>repo:docs/diagnostics/MAP001.md</c>): a valid absolute URI that tells a reader exactly which
    /// file to open. When the repository gets a browsable home, change this one constant.
    /// </summary>
    public const string HelpLinkBase = "repo:docs/diagnostics/";

    public static readonly DiagnosticDescriptor InvalidJson = Create(
        id: "MAP001",
        title: "Invalid JSON",
        messageFormat: "Mapping file '{0}' is not valid JSON: {1}. Correct the JSON at this position; comments are allowed, trailing commas are not.");

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        DiagnosticSeverity severity = DiagnosticSeverity.Error)
        => new(
            id,
            title,
            messageFormat,
            Category,
            severity,
            isEnabledByDefault: true,
            helpLinkUri: HelpLinkBase + id + ".md");
}
