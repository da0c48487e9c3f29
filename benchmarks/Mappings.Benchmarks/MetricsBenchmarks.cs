using BenchmarkDotNet.Attributes;
using Mappings.Generated;
using Mappings.Runtime.Json;
using Mappings.Runtime.Protocol;
using Mappings.Service.Metrics;

namespace Mappings.Benchmarks;

/// <summary>
/// What metrics add to the service's work on a processor request: the load test's body (100 items
/// of the shared corpus, evenly spaced, each with its own destination; see benchmarks/load/bodies.py)
/// transformed with the metrics' tally attached and its counts added to the Prometheus series, plus
/// the HTTP histograms every request records (<c>MetricsOn</c>), against the same transformation
/// without them (<c>MetricsOff</c>, <c>ENABLE_STATS=false</c>); and the publishing alone
/// (<c>Publish</c>: a request's counts added and its HTTP histograms observed, from a tally already
/// filled). With <see cref="Threads"/> = 2, two requests run at once on the machine's two cores, as
/// two transformation turns do under load, and contend for the same counters (the second thread is
/// started once and released at each invocation). Times are per request (wall clock over the
/// requests of all threads).
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    // Requests per invocation: whole requests, and publishings (about a hundred times shorter).
    private const int Requests = 16;
    private const int Publishings = 1024;
    private byte[] _body = [];
    private Worker[] _workers = [];
    private ServiceMetrics _metrics = null!;

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        int threads = Threads;
        var inputs = CorpusInputs.Load(Path.Combine(BenchmarkFiles.Shared, "conformance", "corpus", "cases.jsonl"), int.MaxValue)
            .FindAll(input => input.AsSpan().IndexOf("\"__proto__\""u8) < 0);
        var body = new ByteBuffer(1 << 20);
        body.Append((byte)'[');
        for (int i = 0; i < 100; i++)
        {
            if (i > 0) body.Append((byte)',');
            body.Append(inputs[i * inputs.Count / 100]);
        }
        body.Append((byte)']');
        _body = body.WrittenSpan.ToArray();
        _metrics = new ServiceMetrics("CLEVERTAP", runtimeMetrics: false);
        _workers = [new Worker(), new Worker()];
        _helper = new Thread(Help) { IsBackground = true, Name = "MetricsBenchmarks helper" };
        _helper.Start();
        // Both workers' tallies filled (Publish reads them), every series created.
        MetricsOff();
        Threads = 2;
        MetricsOn();
        Threads = threads;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _request = null;
        _start.SignalAndWait();
        _helper!.Join();
        _metrics.Dispose();
    }

    /// <summary>A request with ENABLE_STATS=false: the transformation alone.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public int MetricsOff() => Run(Requests, static (worker, body, _) => worker.Off.TransformRequest(body, worker.Output(), compacted: false));

    /// <summary>A request with metrics on: the transformation with its tally, its counts added, the HTTP histograms.</summary>
    [Benchmark(OperationsPerInvoke = Requests)]
    public int MetricsOn() => Run(Requests, static (worker, body, metrics) =>
    {
        int status = worker.On.TransformRequest(body, worker.Output(), compacted: false);
        Publish(worker, body, metrics, status);
        return status;
    });

    /// <summary>Publishing alone: the counts of a request's tally (already filled) added, its HTTP histograms observed.</summary>
    [Benchmark(OperationsPerInvoke = Publishings)]
    public int Publish() => Run(Publishings, static (worker, body, metrics) =>
    {
        Publish(worker, body, metrics, 200);
        return 200;
    });

    // What MetricsHooks.Processor and RequestMetrics record for a processor request.
    private static void Publish(Worker worker, ReadOnlySpan<byte> body, ServiceMetrics metrics, int status)
    {
        var tally = worker.On.Tally!;
        metrics.ItemRefusals(tally, ServiceMetrics.Feature.Processor);
        if (status == 200) metrics.Processor(tally, "v0", tally.Reports);
        metrics.ObserveHttp(HttpRoute.ProcessorV0, "POST", status, HttpDestType.Ours, body.Length, worker.OutputLength, 0.0005);
    }

    private delegate int Request(Worker worker, ReadOnlySpan<byte> body, ServiceMetrics metrics);

    // count / Threads on each thread: the benchmark's own and, with two, the helper, started once
    // and released at each invocation, so that both loops run at the same time (nothing allocated).
    private int Run(int count, Request request)
    {
        if (Threads == 1) return Loop(_workers[0], request, count);
        _request = request;
        _count = count / 2;
        _start.SignalAndWait();
        int total = Loop(_workers[0], request, count / 2);
        _end.SignalAndWait();
        return total + _helperTotal;
    }

    private readonly Barrier _start = new(2);
    private readonly Barrier _end = new(2);
    private Thread? _helper;
    private Request? _request;
    private int _count;
    private int _helperTotal;

    private void Help()
    {
        while (true)
        {
            _start.SignalAndWait();
            if (_request is not { } request) return;
            _helperTotal = Loop(_workers[1], request, _count);
            _end.SignalAndWait();
        }
    }

    private int Loop(Worker worker, Request request, int count)
    {
        int total = 0;
        for (int i = 0; i < count; i++) total += request(worker, _body, _metrics);
        return total;
    }

    /// <summary>One transformation turn: a transformer of each kind and its answer's buffer.</summary>
    private sealed class Worker
    {
        private readonly ByteBuffer _output = new(1 << 20);

        public ProcessorTransformer Off { get; } = new(CleverTapMapper.Instance);

        public ProcessorTransformer On { get; } = new(CleverTapMapper.Instance) { Tally = new() };

        public int OutputLength => _output.Length;

        public ByteBuffer Output()
        {
            _output.Clear();
            return _output;
        }
    }
}
