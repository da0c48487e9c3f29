using System.Text.Json;
using Mappings.Runtime.Json;

namespace Mappings.Benchmarks;

/// <summary>The floor of every JSON-to-JSON mapper: read every token with <see cref="Utf8JsonReader"/> and write a compact copy with <see cref="Utf8JsonWriter"/>.</summary>
internal static class JsonCopy
{
    /// <summary>Copies <paramref name="json"/> into <paramref name="output"/> (cleared first) through <paramref name="writer"/>; returns the copy's length.</summary>
    public static int Copy(ReadOnlySpan<byte> json, Utf8JsonWriter writer, ByteBuffer output, byte[] scratch)
    {
        output.Clear();
        writer.Reset(output);
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                case JsonTokenType.PropertyName:
                    if (reader.ValueIsEscaped) writer.WritePropertyName(scratch.AsSpan(0, reader.CopyString(scratch)));
                    else writer.WritePropertyName(reader.ValueSpan);
                    break;
                case JsonTokenType.String:
                    if (reader.ValueIsEscaped) writer.WriteStringValue(scratch.AsSpan(0, reader.CopyString(scratch)));
                    else writer.WriteStringValue(reader.ValueSpan);
                    break;
                case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                case JsonTokenType.Null: writer.WriteNullValue(); break;
            }
        }
        writer.Flush();
        return output.Length;
    }
}
