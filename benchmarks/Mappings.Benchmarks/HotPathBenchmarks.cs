using BenchmarkDotNet.Attributes;

namespace Mappings.Benchmarks;

/// <summary>
/// One processor request item (UTF-8) → its response entries, against the floor every
/// JSON-to-JSON mapper stands on: reading the same bytes with <see cref="System.Text.Json.Utf8JsonReader"/>
/// and writing a compact copy with <see cref="System.Text.Json.Utf8JsonWriter"/>. Both write into a reused buffer.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks : ItemBenchmarks
{
    private byte[] _event = [];

    [Params("identify", "identify-device-token", "track", "order-completed", "page", "screen", "alias")]
    public string Kind { get; set; } = "track";

    [GlobalSetup]
    public void Setup()
    {
        _event = BenchmarkFiles.Event(Kind);
        // Warm both paths (pooled buffers grow once).
        Mapper();
        CopyFloor();
    }

    /// <summary>Exactly the service's per-event work: the item's response entries, written as a JSON array.</summary>
    [Benchmark]
    public int Mapper() => Transform(_event);

    /// <summary>Read every token and write it again: a compact copy of the item.</summary>
    [Benchmark(Baseline = true)]
    public int CopyFloor() => Copy(_event);
}
