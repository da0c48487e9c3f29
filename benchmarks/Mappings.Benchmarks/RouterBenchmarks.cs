using BenchmarkDotNet.Attributes;
using Mappings.Generated;
using Mappings.Runtime.Protocol;
using Mappings.Runtime.Json;
using Mappings.Runtime.Router;

namespace Mappings.Benchmarks;

/// <summary>
/// A 1,000-event mixed <c>/routerTransform</c> body (the 1,000 processor inputs of the shared corpus:
/// every kind, successes and errors) → its response body; and, in the same run, the processor
/// transform of the same 1,000 events one by one. Times and allocations are per event.
/// </summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private const int Events = 1000;
    private byte[] _body = [];
    private List<byte[]> _items = [];
    private readonly RouterTransformer _router = new(CleverTapMapper.Instance);
    private readonly ProcessorTransformer _processor = new(CleverTapMapper.Instance);
    private readonly ByteBuffer _output = new(1 << 24);

    [GlobalSetup]
    public void Setup()
    {
        _items = CorpusInputs.Load(Path.Combine(BenchmarkFiles.Shared, "conformance", "corpus", "cases.jsonl"), Events);
        var body = new ByteBuffer(1 << 22);
        body.Append("{\"input\":["u8);
        for (int i = 0; i < _items.Count; i++)
        {
            if (i > 0) body.Append((byte)',');
            body.Append(_items[i]);
        }
        body.Append("],\"destType\":\"CLEVERTAP\"}"u8);
        _body = body.WrittenSpan.ToArray();
        Router();
        Processor();
    }

    /// <summary>The whole body, per event.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int Router()
    {
        _output.Clear();
        return _router.Transform(_body, _output);
    }

    /// <summary>The same events through the processor, one item at a time, per event.</summary>
    [Benchmark(OperationsPerInvoke = Events, Baseline = true)]
    public int Processor()
    {
        int total = 0;
        foreach (var item in _items)
        {
            _output.Clear();
            _processor.TransformItem(item, _output);
            total += _output.Length;
        }
        return total;
    }
}
