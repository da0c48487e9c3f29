using Mappings.Generators.Helpers;

namespace Mappings.Generators.Model;

/// <summary>
/// A named value as mappings see it: its name, whether it compares lower-cased, and whether it may
/// be the destination's config object itself (<c>"path": "$config"</c>, directly or through others).
/// </summary>
internal sealed record LetInfo(string Name, bool IsLower, bool MayBeConfig);

/// <summary>
/// Everything needed to generate one mapping's class, with shared definitions resolved (field
/// groups expanded, path lists filled in, required messages derived). When
/// <paramref name="IsValid"/> is false (the file or something it uses has errors) only a stub is
/// generated, which the failing build never ships.
/// </summary>
internal sealed record MapperModel(
    string Namespace,
    string ClassName,
    string DestinationClassName,
    string RelativePath,
    string MappingName,
    ObjectSpec? Record,
    EquatableArray<ExtraRecordSpec> ExtraRecords,
    EquatableArray<LetInfo> Lets,
    bool IsValid);

/// <summary>An event rule with the class of its mapping.</summary>
internal sealed record RuleTarget(EquatableArray<string> Types, string? EventName, string MappingName, string MappingClass)
{
    public EntrySource? Source { get; init; }
}

/// <summary>Everything needed to generate a destination's class (dispatch, request settings, named values).</summary>
internal sealed record DestinationModel(
    string Namespace,
    string ClassName,
    string DestType,
    string RelativePath,
    RequestSpec Request,
    EquatableArray<LetSpec> Lets,
    MessageTypeSpec MessageType,
    EquatableArray<PreconditionSpec> Preconditions,
    EquatableArray<RuleTarget> Rules,
    UserDeletionSpec? UserDeletion)
{
    /// <summary>The <c>"destination": {"name": …, "className": …}</c> entry.</summary>
    public EntrySource? DestinationSource { get; init; }
}

/// <summary>What one destination folder offers to its mapping files (from destination.json).</summary>
internal sealed record DestinationDefinitions(
    string Destination,
    string ClassName,
    EquatableArray<LetInfo> Lets,
    EquatableArray<FieldGroup> FieldGroups);

/// <summary>A mapping file's name and folder (event rules refer to mappings by name).</summary>
internal sealed record MappingName(string Destination, string Name);
