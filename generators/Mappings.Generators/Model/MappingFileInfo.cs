namespace Mappings.Generators.Model;

/// <summary>
/// Placeholder model of one mapping file: enough to prove the pipeline end to end.
/// </summary>
/// <remarks>
/// Models hold only strings, numbers, small records and <see cref="Helpers.EquatableArray{T}"/> —
/// never an ISymbol, SyntaxNode, Location, Compilation or SemanticModel (a test walks them by
/// reflection) — so that an unchanged file yields an equal model and nothing downstream re-runs.
/// </remarks>
/// <param name="RelativePath">Path below the <c>mappings</c> directory, with <c>/</c> separators (e.g. <c>clevertap/placeholder.json</c>). Never absolute, so generated code does not depend on where the repository is checked out.</param>
/// <param name="TypeName">Name of the generated class, e.g. <c>ClevertapPlaceholderInfo</c>.</param>
/// <param name="TopLevelPropertyCount">Number of properties of the root JSON object (0 when the root is not an object).</param>
/// <param name="IsValid">False when the file could not be parsed; the emitter still produces a class so that consuming code compiles and only the MAP diagnostic is reported.</param>
internal sealed record MappingFileInfo(
    string RelativePath,
    string TypeName,
    int TopLevelPropertyCount,
    bool IsValid);
