namespace Mappings.Generators;

/// <summary>
/// Names given to the pipeline steps with <c>WithTrackingName</c>, so tests can assert per step
/// whether it re-ran (<c>IncrementalStepRunReason</c>).
/// </summary>
internal static class TrackingNames
{
    /// <summary>Additional texts that are mapping files (<c>…/mappings/**/*.json</c>).</summary>
    public const string MappingFiles = nameof(MappingFiles);

    /// <summary>One parse result per file: model, diagnostics, references.</summary>
    public const string ParsedFiles = nameof(ParsedFiles);

    /// <summary>The parsed files (models only, no diagnostics or locations).</summary>
    public const string Files = nameof(Files);

    /// <summary>The path lists of <c>common.json</c>.</summary>
    public const string PathLists = nameof(PathLists);

    /// <summary>What each destination folder defines for its mappings.</summary>
    public const string DestinationDefinitions = nameof(DestinationDefinitions);

    /// <summary>The mapping names of every folder.</summary>
    public const string MappingNames = nameof(MappingNames);

    /// <summary>One resolved model per mapping file (generates its class).</summary>
    public const string Mappers = nameof(Mappers);

    /// <summary>One resolved model per destination (generates its dispatcher).</summary>
    public const string Destinations = nameof(Destinations);

    /// <summary>The diagnostics of each file's own content.</summary>
    public const string FileDiagnostics = nameof(FileDiagnostics);

    /// <summary>The folders that have a destination.json.</summary>
    public const string DestinationFolders = nameof(DestinationFolders);

    /// <summary>Mapping files whose folder has no destination.json.</summary>
    public const string FolderDiagnostics = nameof(FolderDiagnostics);

    /// <summary>The diagnostics of names a file uses that no file defines.</summary>
    public const string ReferenceDiagnostics = nameof(ReferenceDiagnostics);
}
