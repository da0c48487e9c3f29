using Mappings.Generators.Helpers;

namespace Mappings.Generators.Model;

/// <summary>The kind of a mapping file, decided by its place under <c>mappings/</c>.</summary>
internal enum MappingFileKind
{
    /// <summary><c>mappings/common.json</c>: definitions shared by every destination.</summary>
    Common,
    /// <summary><c>mappings/&lt;destination&gt;/destination.json</c>: a destination's settings and dispatch.</summary>
    Destination,
    /// <summary><c>mappings/&lt;destination&gt;/&lt;name&gt;.json</c>: how one kind of record is built.</summary>
    Mapping,
    /// <summary>Anything else under <c>mappings/</c> (the schema file, notes): ignored.</summary>
    Other,
}

/// <summary>A named list of fallback message paths (<c>"@userId"</c>).</summary>
internal sealed record PathList(string Name, EquatableArray<ValuePath> Paths)
{
    /// <summary>Where it is defined (<c>mappings/common.json</c>, its line): traced code quotes it.</summary>
    public EntrySource? Source { get; init; }
}

/// <summary><c>mappings/common.json</c>.</summary>
internal sealed record CommonFileModel(string RelativePath, EquatableArray<PathList> PathLists);

/// <summary>A record mapping: how one record (one request) is built, and the extra records it may add.</summary>
internal sealed record MappingFileModel(
    string Destination,
    string Name,
    string RelativePath,
    ObjectSpec Record,
    EquatableArray<ExtraRecordSpec> ExtraRecords);

/// <summary>A further record (request) produced when a condition holds, e.g. a device token.</summary>
internal sealed record ExtraRecordSpec(Condition? When, ObjectSpec Record)
{
    public EntrySource? Source { get; init; }
}

/// <summary>A named value of a destination, computed on first use within an event.</summary>
internal sealed record LetSpec(string Name, ValueExpr Value)
{
    public EntrySource? Source { get; init; }
}

/// <summary>A field list several mappings share.</summary>
internal sealed record FieldGroup(string Name, EquatableArray<FieldSpec> Fields);

/// <summary>How the message type is read and what its errors say.</summary>
internal sealed record MessageTypeSpec(string Path, string MissingError, string UnsupportedError)
{
    public EntrySource? Source { get; init; }
}

/// <summary>A check made once the type is known, before the event rules.</summary>
internal sealed record PreconditionSpec(EquatableArray<string> Types, string Fail, Condition? When)
{
    public EntrySource? Source { get; init; }
}

/// <summary>Which mapping applies to a type (and, optionally, an event name, case-insensitive).</summary>
internal sealed record EventRuleSpec(EquatableArray<string> Types, string? EventName, string Mapping)
{
    public EntrySource? Source { get; init; }
}

/// <summary>The request every record travels in.</summary>
internal sealed record RequestSpec(
    string Method,
    ValueExpr Endpoint,
    EquatableArray<FieldSpec> Headers,
    string RecordsKey,
    int MaxRecordsPerBatch)
{
    public EntrySource? EndpointSource { get; init; }

    public EntrySource? MethodSource { get; init; }

    public EntrySource? RecordsKeySource { get; init; }

    public EntrySource? MaxRecordsPerBatchSource { get; init; }
}

/// <summary>
/// How users are deleted (<c>/deleteUsers</c>): the endpoint and headers (from the deletion
/// request's config), which config keys must be truthy, where each user's id is, how many ids go
/// in one request and under which key, and the messages of the errors.
/// </summary>
internal sealed record UserDeletionSpec(
    ValueExpr Endpoint,
    EquatableArray<FieldSpec> Headers,
    EquatableArray<string> RequiredConfig,
    string MissingConfigError,
    string UserIdKey,
    int BatchSize,
    string IdsKey,
    string FailureError)
{
    public EntrySource? Source { get; init; }

    public EntrySource? EndpointSource { get; init; }
}

/// <summary><c>mappings/&lt;destination&gt;/destination.json</c>.</summary>
internal sealed record DestinationFileModel(
    string Destination,
    string RelativePath,
    string DestType,
    string ClassName,
    RequestSpec Request,
    EquatableArray<LetSpec> Lets,
    MessageTypeSpec MessageType,
    EquatableArray<PreconditionSpec> Preconditions,
    EquatableArray<EventRuleSpec> EventRules,
    EquatableArray<FieldGroup> FieldGroups,
    UserDeletionSpec? UserDeletion)
{
    /// <summary>The <c>"destination": {"name": …, "className": …}</c> entry.</summary>
    public EntrySource? DestinationSource { get; init; }
}

/// <summary>One parsed file: its kind and its model (the one that matches the kind; null when the file has errors).</summary>
internal sealed record ParsedFile(
    MappingFileKind Kind,
    string Destination,
    string RelativePath,
    CommonFileModel? Common,
    DestinationFileModel? DestinationFile,
    MappingFileModel? Mapping);
