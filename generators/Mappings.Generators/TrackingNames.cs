namespace Mappings.Generators;

/// <summary>
/// Names given to the pipeline steps with <c>WithTrackingName</c>, so tests can assert per step
/// whether it re-ran (<c>IncrementalStepRunReason</c>).
/// </summary>
internal static class TrackingNames
{
    /// <summary>Additional texts that are mapping files (<c>…/mappings/**/*.json</c>).</summary>
    public const string MappingFiles = nameof(MappingFiles);

    /// <summary>One <c>Result&lt;MappingFileInfo&gt;</c> per mapping file: the model and its diagnostics.</summary>
    public const string ParsedFiles = nameof(ParsedFiles);

    /// <summary>The models, feeding source output.</summary>
    public const string Models = nameof(Models);

    /// <summary>The diagnostics, feeding diagnostic reporting.</summary>
    public const string Diagnostics = nameof(Diagnostics);
}
