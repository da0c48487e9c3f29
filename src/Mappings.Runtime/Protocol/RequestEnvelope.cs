using System.Text.Json;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>
/// The request object of the transformer protocol (spec §1.3): <c>version, type, method,
/// endpoint, headers, params, body {JSON: {d: [...]}, JSON_ARRAY, XML, FORM}, files</c>, then
/// <c>userId: ""</c> for the processor or <c>batched: true</c> for a router batch.
/// </summary>
public static class RequestEnvelope
{
    /// <summary>Which trailer the request gets.</summary>
    public enum Trailer
    {
        /// <summary><c>"userId": ""</c> (processor responses).</summary>
        UserId,
        /// <summary><c>"batched": true</c> (router batches).</summary>
        Batched,
    }

    /// <summary>Writes the request object holding the given records.</summary>
    public static void Write(Utf8JsonWriter writer, DestinationMapper destination, JsHeap heap, int config, int endpoint, ReadOnlySpan<int> records, Trailer trailer)
    {
        WriteHead(writer, destination, heap, config, endpoint);
        foreach (int record in records) heap.WriteValue(writer, record);
        WriteTail(writer, trailer);
    }

    /// <summary>
    /// Opens the request object and writes it up to its records array, opened
    /// (<c>{"version": …, "body": {"JSON": {"d": [</c>): the caller writes the records, then <see cref="WriteTail"/>.
    /// </summary>
    public static void WriteHead(Utf8JsonWriter writer, DestinationMapper destination, JsHeap heap, int config, int endpoint)
    {
        writer.WriteStartObject();
        writer.WriteString(ProtocolNames.Version.Encoded, ProtocolNames.One.Encoded);
        writer.WriteString(ProtocolNames.Type.Encoded, ProtocolNames.Rest.Encoded);
        destination.WriteRequestHead(writer, heap, config, endpoint);
        writer.WritePropertyName(ProtocolNames.Params.Encoded);
        writer.WriteStartObject();
        writer.WriteEndObject();
        writer.WritePropertyName(ProtocolNames.Body.Encoded);
        writer.WriteStartObject();
        writer.WritePropertyName(ProtocolNames.Json.Encoded);
        writer.WriteStartObject();
        writer.WritePropertyName(destination.RecordsKey.Encoded);
        writer.WriteStartArray();
    }

    /// <summary>Closes the records array and the JSON payload, writes the rest of the body, files and the trailer, then closes the request.</summary>
    public static void WriteTail(Utf8JsonWriter writer, Trailer trailer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject(); // JSON
        WriteEmpty(writer, ProtocolNames.JsonArray);
        WriteEmpty(writer, ProtocolNames.Xml);
        WriteEmpty(writer, ProtocolNames.Form);
        writer.WriteEndObject(); // body
        WriteEmpty(writer, ProtocolNames.Files);
        if (trailer == Trailer.UserId) writer.WriteString(ProtocolNames.UserId.Encoded, ProtocolNames.Empty.Encoded);
        else writer.WriteBoolean(ProtocolNames.Batched.Encoded, true);
        writer.WriteEndObject();
    }

    private static void WriteEmpty(Utf8JsonWriter writer, JsName name)
    {
        writer.WritePropertyName(name.Encoded);
        writer.WriteStartObject();
        writer.WriteEndObject();
    }
}
