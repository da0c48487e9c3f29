using System.Text;
using BenchmarkDotNet.Attributes;

namespace Mappings.Benchmarks;

/// <summary>
/// <see cref="HotPathBenchmarks"/> when the destination changes from one item to the next: two
/// copies of the event whose <c>destination.Name</c> differ in one byte are transformed in turn, so
/// the heap never finds the previous item's destination again and reads every byte (as a
/// transformer serving several destinations in turn does). <c>CopyFloor</c> alternates the same way.
/// </summary>
[MemoryDiagnoser]
public class DestinationChangeBenchmarks : ItemBenchmarks
{
    private readonly byte[][] _events = new byte[2][];
    private int _next;

    [Params("identify", "identify-device-token", "track")]
    public string Kind { get; set; } = "track";

    [GlobalSetup]
    public void Setup()
    {
        byte[] source = BenchmarkFiles.Event(Kind);
        _events[0] = WithDestinationName(source, (byte)'X');
        _events[1] = WithDestinationName(source, (byte)'Y');
        Mapper();
        Mapper();
        CopyFloor();
        CopyFloor();
    }

    /// <summary>The event with the first byte of <c>destination.Name</c>'s value replaced.</summary>
    private static byte[] WithDestinationName(byte[] source, byte first)
    {
        var bytes = (byte[])source.Clone();
        int destination = bytes.AsSpan().IndexOf("\"destination\":{"u8);
        int name = destination < 0 ? -1 : bytes.AsSpan(destination).IndexOf("\"Name\":\""u8);
        if (name < 0) throw new InvalidDataException($"Event '{Encoding.UTF8.GetString(source)}' has no destination.Name.");
        bytes[destination + name + "\"Name\":\"".Length] = first;
        return bytes;
    }

    /// <summary>The service's per-event work for an item whose destination is not the previous item's.</summary>
    [Benchmark]
    public int Mapper() => Transform(_events[_next ^= 1]);

    /// <summary>The compact copy of the same items, alternated the same way.</summary>
    [Benchmark(Baseline = true)]
    public int CopyFloor() => Copy(_events[_next ^= 1]);
}
