using System.Text.Json;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Outcomes;

namespace Mappings.Benchmarks;

/// <summary>
/// What the per-item suites share: the processor transform of one request item into a reused
/// buffer (exactly the service's per-event work, the metrics' tally of its entries included, as
/// the service runs with metrics on; the tally starts afresh once per request, here once every
/// <see cref="ItemsPerRequest"/> items), and the compact copy of the same bytes (<see cref="JsonCopy"/>,
/// the floor every JSON-to-JSON mapper stands on).
/// </summary>
public abstract class ItemBenchmarks
{
    /// <summary>The items of one processor request (as in the load test's processor body).</summary>
    private const int ItemsPerRequest = 100;

    private readonly EntryTally _tally = new();
    private int _items;
    private readonly ProcessorTransformer _transformer;
    private readonly ByteBuffer _output = new(1 << 16);
    private readonly ByteBuffer _copy = new(1 << 16);
    private readonly byte[] _scratch = new byte[1 << 16];
    private readonly Utf8JsonWriter _copyWriter;

    protected ItemBenchmarks()
    {
        _transformer = new ProcessorTransformer(CleverTapMapper.Instance) { Tally = _tally };
        _copyWriter = new Utf8JsonWriter(_copy);
    }

    /// <summary>The item's response entries, written as a JSON array; returns their length.</summary>
    protected int Transform(byte[] item)
    {
        _output.Clear();
        if (++_items == ItemsPerRequest)
        {
            _items = 0;
            _tally.Reset();
        }
        _transformer.TransformItem(item, _output);
        return _output.Length;
    }

    /// <summary>Every token of the item read and written again; returns the copy's length.</summary>
    protected int Copy(byte[] item) => JsonCopy.Copy(item, _copyWriter, _copy, _scratch);
}
