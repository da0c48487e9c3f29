using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Mappings.Generated;
using Mappings.Runtime.Dispatch;
using Mappings.Runtime.Json;

namespace Mappings.Benchmarks;

/// <summary>
/// One processor request item (UTF-8) → its response entries, against the floor every
/// JSON-to-JSON mapper stands on: reading the same bytes with <see cref="Utf8JsonReader"/> and
/// writing a compact copy with <see cref="Utf8JsonWriter"/>. Both write into a reused buffer.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private byte[] _event = [];
    private readonly ProcessorTransformer _transformer = new(CleverTapMapper.Instance);
    private readonly ByteBuffer _output = new(1 << 16);
    private readonly ByteBuffer _copy = new(1 << 16);
    private readonly byte[] _scratch = new byte[1 << 16];
    private Utf8JsonWriter _copyWriter = null!;

    [Params("identify", "identify-device-token", "track", "order-completed", "page", "screen", "alias")]
    public string Kind { get; set; } = "track";

    [GlobalSetup]
    public void Setup()
    {
        _event = BenchmarkFiles.Event(Kind);
        _copyWriter = new Utf8JsonWriter(_copy);
        // Warm both paths (pooled buffers grow once).
        Mapper();
        CopyFloor();
    }

    /// <summary>Exactly the service's per-event work: the item's response entries, written as a JSON array.</summary>
    [Benchmark]
    public int Mapper()
    {
        _output.Clear();
        _transformer.TransformItem(_event, _output);
        return _output.Length;
    }

    /// <summary>Read every token and write it again: a compact copy of the item.</summary>
    [Benchmark(Baseline = true)]
    public int CopyFloor()
    {
        _copy.Clear();
        _copyWriter.Reset(_copy);
        var reader = new Utf8JsonReader(_event);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject: _copyWriter.WriteStartObject(); break;
                case JsonTokenType.EndObject: _copyWriter.WriteEndObject(); break;
                case JsonTokenType.StartArray: _copyWriter.WriteStartArray(); break;
                case JsonTokenType.EndArray: _copyWriter.WriteEndArray(); break;
                case JsonTokenType.PropertyName:
                    if (reader.ValueIsEscaped) _copyWriter.WritePropertyName(_scratch.AsSpan(0, reader.CopyString(_scratch)));
                    else _copyWriter.WritePropertyName(reader.ValueSpan);
                    break;
                case JsonTokenType.String:
                    if (reader.ValueIsEscaped) _copyWriter.WriteStringValue(_scratch.AsSpan(0, reader.CopyString(_scratch)));
                    else _copyWriter.WriteStringValue(reader.ValueSpan);
                    break;
                case JsonTokenType.Number: _copyWriter.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                case JsonTokenType.True: _copyWriter.WriteBooleanValue(true); break;
                case JsonTokenType.False: _copyWriter.WriteBooleanValue(false); break;
                case JsonTokenType.Null: _copyWriter.WriteNullValue(); break;
            }
        }
        _copyWriter.Flush();
        return _copy.Length;
    }
}
