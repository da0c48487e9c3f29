using System.Text.Json;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>Which endpoint an entry is for; it names the <c>feature</c> stat tag.</summary>
public enum Feature
{
    Processor,
    Router,
}

/// <summary>Entries of processor and router responses (spec §7.3, §7.4, §10.2).</summary>
public static class ResponseEntries
{
    /// <summary>A processor error entry: <c>{metadata, statusCode, error, statTags}</c>.</summary>
    public static void WriteProcessorError(Utf8JsonWriter writer, DestinationMapper destination, JsHeap heap, int metadata, in EventError error)
    {
        writer.WriteStartObject();
        heap.WriteMember(writer, ProtocolNames.Metadata, metadata);
        writer.WriteNumber(ProtocolNames.StatusCode.Encoded, error.StatusCode);
        WriteErrorMessage(writer, in error);
        WriteStatTags(writer, destination, heap, error.Kind, Feature.Processor, metadata);
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>"error": message</c>.</summary>
    public static void WriteErrorMessage(Utf8JsonWriter writer, in EventError error)
    {
        if (error.Name is { } name) writer.WriteString(ProtocolNames.Error.Encoded, name.Encoded);
        else writer.WriteJsString(ProtocolNames.Error, error.Message);
    }

    /// <summary>
    /// <c>"statTags": {errorCategory, errorType, destType, module, implementation, feature,
    /// destinationId, workspaceId}</c>, the ids taken from the metadata object (omitted when absent).
    /// </summary>
    public static void WriteStatTags(Utf8JsonWriter writer, DestinationMapper destination, JsHeap heap, ErrorKind kind, Feature feature, int idsFrom)
    {
        writer.WritePropertyName(ProtocolNames.StatTags.Encoded);
        writer.WriteStartObject();
        writer.WriteString(ProtocolNames.ErrorCategory.Encoded, ProtocolNames.DataValidation.Encoded);
        writer.WriteString(ProtocolNames.ErrorType.Encoded, kind == ErrorKind.Configuration ? ProtocolNames.Configuration.Encoded : ProtocolNames.Instrumentation.Encoded);
        writer.WriteString(ProtocolNames.DestType.Encoded, destination.DestTypeName.Encoded);
        writer.WriteString(ProtocolNames.Module.Encoded, ProtocolNames.DestinationModule.Encoded);
        writer.WriteString(ProtocolNames.Implementation.Encoded, ProtocolNames.Native.Encoded);
        writer.WriteString(ProtocolNames.Feature.Encoded, feature == Feature.Router ? ProtocolNames.Router.Encoded : ProtocolNames.Processor.Encoded);
        if (heap.TypeOf(idsFrom) == JsType.Object)
        {
            heap.WriteMember(writer, ProtocolNames.DestinationId, heap.GetOwn(idsFrom, ProtocolNames.DestinationId.Utf8));
            heap.WriteMember(writer, ProtocolNames.WorkspaceId, heap.GetOwn(idsFrom, ProtocolNames.WorkspaceId.Utf8));
        }
        writer.WriteEndObject();
    }
}
