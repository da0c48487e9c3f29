using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Mappings.Runtime.Json;

namespace Mappings.Benchmarks;

/// <summary>
/// Where <see cref="HotPathBenchmarks"/>' time goes, in one run: the floor (<c>CopyFloor</c>)
/// split into its reading half (<c>ReadOnly</c>: every token read with <see cref="Utf8JsonReader"/>,
/// nothing written), and the mapper's first step alone (<c>ReadIntoHeap</c>: the item read into
/// the event heap exactly as <c>Mapper</c> reads it — the UTF-8 check, the reader, the index, the
/// previous item's <c>destination</c> index copied). <c>Mapper</c> − <c>ReadIntoHeap</c> is the
/// mapping, the writing of the entries and the metrics' tally; <c>CopyFloor</c> − <c>ReadOnly</c>
/// is the floor's writing.
/// </summary>
[MemoryDiagnoser]
public class StepBenchmarks : ItemBenchmarks
{
    private byte[] _event = [];
    private readonly JsHeap _heap = new() { RepeatedValueKey = "destination"u8.ToArray() };

    [Params("identify", "identify-device-token", "track")]
    public string Kind { get; set; } = "track";

    [GlobalSetup]
    public void Setup()
    {
        _event = BenchmarkFiles.Event(Kind);
        Mapper();
        CopyFloor();
        ReadIntoHeap();
        ReadOnly();
    }

    /// <summary>The service's per-event work (as <see cref="HotPathBenchmarks.Mapper"/>).</summary>
    [Benchmark]
    public int Mapper() => Transform(_event);

    /// <summary>The item read into the event heap as <c>Mapper</c> reads it, nothing mapped or written.</summary>
    [Benchmark]
    public int ReadIntoHeap()
    {
        _heap.Reset();
        return _heap.ParseRepairedItem(_event);
    }

    /// <summary>Every token of the item read with <see cref="Utf8JsonReader"/>, nothing kept or written.</summary>
    [Benchmark]
    public int ReadOnly()
    {
        var reader = new Utf8JsonReader(_event);
        int tokens = 0;
        while (reader.Read()) tokens++;
        return tokens;
    }

    /// <summary>Read every token and write it again (as <see cref="HotPathBenchmarks.CopyFloor"/>).</summary>
    [Benchmark(Baseline = true)]
    public int CopyFloor() => Copy(_event);
}
