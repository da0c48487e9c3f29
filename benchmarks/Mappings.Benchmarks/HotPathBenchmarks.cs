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
    public int CopyFloor() => JsonCopy.Copy(_event, _copyWriter, _copy, _scratch);
}
