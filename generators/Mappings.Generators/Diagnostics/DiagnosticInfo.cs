using System.Linq;
using Mappings.Generators.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Mappings.Generators.Diagnostics;

/// <summary>
/// An equatable, location-free description of a diagnostic, safe to keep in an incremental model.
/// </summary>
/// <remarks>
/// A <see cref="Diagnostic"/> holds a <see cref="Location"/>, which may root a syntax tree and compares
/// by reference; this record keeps only the plain values needed to build one later
/// (<see cref="ToDiagnostic"/>): the file path, the character span and its line/column span.
/// <see cref="DiagnosticDescriptor"/> implements value equality and carries no compilation state.
/// </remarks>
internal sealed record DiagnosticInfo(
    DiagnosticDescriptor Descriptor,
    string FilePath,
    TextSpan Span,
    LinePositionSpan LineSpan,
    EquatableArray<string> MessageArgs)
{
    /// <summary>A diagnostic at <paramref name="span"/> of <paramref name="text"/>, the content of <paramref name="filePath"/>.</summary>
    public static DiagnosticInfo Create(
        DiagnosticDescriptor descriptor,
        string filePath,
        SourceText text,
        TextSpan span,
        params string[] messageArgs)
        => new(descriptor, filePath, span, text.Lines.GetLinePositionSpan(span), EquatableArray.Create(messageArgs));

    public Diagnostic ToDiagnostic()
        => Diagnostic.Create(
            Descriptor,
            Location.Create(FilePath, Span, LineSpan),
            MessageArgs.Cast<object?>().ToArray());
}
