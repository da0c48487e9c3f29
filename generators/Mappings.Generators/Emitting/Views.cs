using System.Collections.Generic;

namespace Mappings.Generators.Emitting;

// What the templates see: plain values, the statements already lowered to C# text.

/// <summary>The model of Mapping.sbn-cs / InvalidMapping.sbn-cs.</summary>
internal sealed class MappingView
{
    public string Namespace { get; set; } = string.Empty;
    public string ClassName { get; set; } = string.Empty;
    public string LetsType { get; set; } = string.Empty;
    public string RelativePath { get; set; } = string.Empty;
    public string MappingName { get; set; } = string.Empty;
    public IReadOnlyList<string> Statics { get; set; } = new List<string>();
    public string Body { get; set; } = string.Empty;
}

/// <summary>One named value of the lets struct.</summary>
internal sealed class LetView
{
    public string Name { get; set; } = string.Empty;
    public string Accessor { get; set; } = string.Empty;
    public string Body { get; set; } = string.Empty;
    public string Result { get; set; } = string.Empty;
}

/// <summary>One message type's dispatch method.</summary>
internal sealed class TypeView
{
    public string Type { get; set; } = string.Empty;
    public string Method { get; set; } = string.Empty;
    public string TypeName { get; set; } = string.Empty;
    public string Body { get; set; } = string.Empty;
}

/// <summary>The model of Destination.sbn-cs.</summary>
internal sealed class DestinationView
{
    public string Namespace { get; set; } = string.Empty;
    public string ClassName { get; set; } = string.Empty;
    public string MapperClass { get; set; } = string.Empty;
    public string LetsType { get; set; } = string.Empty;
    public string RelativePath { get; set; } = string.Empty;
    public string DestType { get; set; } = string.Empty;
    public int MaxRecordsPerBatch { get; set; }
    public string RecordsKey { get; set; } = string.Empty;
    public string TypePath { get; set; } = string.Empty;
    public string MissingMessage { get; set; } = string.Empty;
    public string UnsupportedMessage { get; set; } = string.Empty;
    public string TypeWhat { get; set; } = string.Empty;
    public IReadOnlyList<TypeView> Types { get; set; } = new List<TypeView>();
    public IReadOnlyList<LetView> Lets { get; set; } = new List<LetView>();
    public IReadOnlyList<string> Statics { get; set; } = new List<string>();
    public IReadOnlyList<string> LetStatics { get; set; } = new List<string>();
    public string EndpointBody { get; set; } = string.Empty;
    public string EndpointResult { get; set; } = string.Empty;
    public string Method { get; set; } = string.Empty;
    public string HeadersBody { get; set; } = string.Empty;
    public bool HasUserDeletion { get; set; }
    public string DeletionArguments { get; set; } = string.Empty;
    public string DeletionEndpointBody { get; set; } = string.Empty;
    public string DeletionEndpointResult { get; set; } = string.Empty;
    public string DeletionHeadersBody { get; set; } = string.Empty;
}
