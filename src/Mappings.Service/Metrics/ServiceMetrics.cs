using System.Collections.Concurrent;
using System.Globalization;
using Mappings.CleverTap.Delivery;
using Mappings.Runtime.Outcomes;
using Prometheus;

namespace Mappings.Service.Metrics;

/// <summary>
/// The service's Prometheus metrics (docs/operations.md, "Metrics"): the reference's series with
/// its names, types and label names (spec/metrics.md), and ours (<c>mappings_…</c>, the .NET
/// runtime's). One registry per service instance. Everything is counted per request, per output
/// entry (from the transformers' <see cref="EntryTally"/>) or per outgoing request, never inside the
/// per-event mapping code. Label values that come from requests are capped (<see cref="LabelValues"/>):
/// past the cap they share the value <c>other</c>. Thread-safe.
/// </summary>
internal sealed class ServiceMetrics : IDeliveryObserver, IDisposable
{
    // prom-client's default buckets (the reference's timings).
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly double[] SizeBuckets =
    [
        1e3, 1e4, 1e5, 5e5, 1e6, 1.5e6, 2e6, 2.5e6, 3e6, 3.5e6, 4e6, 4.5e6, 5e6,
        1e7, 1.5e7, 2e7, 2.5e7, 3e7, 3.5e7, 4e7, 4.5e7, 5e7,
    ];

    private static readonly double[] EventBuckets = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 150, 200];

    /// <summary>The <c>module</c> and <c>implementation</c> of every CleverTap series, as the statTags say.</summary>
    private const string Module = "destination";
    private const string Implementation = "native";

    /// <summary><c>destVersion</c>: the version of the destination's implementation (a native v0 integration).</summary>
    private const string DestVersion = "v0";

    private readonly CollectorRegistry _registry;
    private readonly string _destType;       // "CLEVERTAP": statTags, deletions
    private readonly string _destination;    // "clevertap": paths (processor, proxy)

    private readonly Histogram _httpDuration;
    private readonly Histogram _httpRequestSize;
    private readonly Histogram _httpResponseSize;
    private readonly Counter _destTransformRequests;
    private readonly Histogram _destTransformInput;
    private readonly Histogram _destTransformOutput;
    private readonly Counter _eventSuccess;
    private readonly Counter _eventFailure;
    private readonly Counter _proxyRequests;
    private readonly Counter _proxyResponses;
    // Their only children (the labels are the service's own), made when first counted.
    private Counter.Child? _proxyRequestsChild, _proxySuccesses, _proxyFailures;
    private readonly Counter _outgoingCount;
    private readonly Histogram _outgoingLatency;
    private readonly Counter _deletionFailures;
    private readonly Counter _requestsRefused;
    private readonly Counter _eventsRefused;
    private readonly Gauge _turnsWaiting;
    private readonly Gauge _turnsRunning;
    private readonly Gauge _deliveryInFlight;
    private readonly Gauge _deliveryWaiting;

    private readonly ConcurrentDictionary<int, HttpSeries> _http = new();
    private readonly CappedMap<IdSeries> _ids;
    private readonly CappedMap<OutgoingSeries> _outgoing;
    private readonly LabelValues _sourceTypes = new(200);
    private readonly LabelValues _destinationTypes = new(20);
    private readonly LabelValues _namespaces = new(50);
    private readonly IdSeries _otherIds;
    private readonly string[] _codes = new string[600];
    private readonly HashSet<string> _publishedAccounts = new(StringComparer.Ordinal);
    private readonly IDisposable? _runtimeMeters;

    /// <summary>Accounts with series of their own in the delivery gauges at one time; the rest add up under <c>other</c>.</summary>
    public const int MaxAccounts = 50;

    /// <param name="destType">The destination type as rudder-server names it ("CLEVERTAP").</param>
    /// <param name="maxIds">Most (destinationId, workspaceId[, sourceId]) combinations with series of their own.</param>
    public ServiceMetrics(string destType, int maxIds = 1000, bool runtimeMetrics = true)
    {
        _destType = destType;
        _destination = destType.ToLowerInvariant();
        // The default registry is never scraped; its sample metrics are never started.
        Prometheus.Metrics.SuppressDefaultMetrics();
        _registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        // No exemplars: the text format 0.0.4 served here never shows them, and by default
        // prometheus-net builds one from Activity.Current (trace and span ids) on every observation
        // made during a request — work on every request (about half of publishing a request's
        // counts) for nothing anyone can scrape.
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();

        _httpDuration = factory.CreateHistogram("http_request_duration", "Incoming HTTP requests duration in seconds",
            new HistogramConfiguration { LabelNames = ["method", "route", "code", "destType"], Buckets = SecondsBuckets });
        _httpRequestSize = factory.CreateHistogram("http_request_size", "http_request_size",
            new HistogramConfiguration { LabelNames = ["method", "route", "code"], Buckets = SizeBuckets });
        _httpResponseSize = factory.CreateHistogram("http_response_size", "http_response_size",
            new HistogramConfiguration { LabelNames = ["method", "route", "code"], Buckets = SizeBuckets });
        _destTransformRequests = factory.CreateCounter("dest_transform_requests", "dest_transform_requests",
            new CounterConfiguration { LabelNames = ["destination", "version", "sourceType", "destinationType", "k8_namespace"] });
        string[] eventLabels = ["destination", "version", "destVersion", "sourceType", "destinationType", "k8_namespace"];
        _destTransformInput = factory.CreateHistogram("dest_transform_input_events", "dest_transform_input_events",
            new HistogramConfiguration { LabelNames = eventLabels, Buckets = EventBuckets });
        _destTransformOutput = factory.CreateHistogram("dest_transform_output_events", "dest_transform_output_events",
            new HistogramConfiguration { LabelNames = eventLabels, Buckets = EventBuckets });
        _eventSuccess = factory.CreateCounter("event_transform_success", "event_transform_success",
            new CounterConfiguration { LabelNames = ["destType", "module", "destinationId", "workspaceId", "feature", "implementation"] });
        _eventFailure = factory.CreateCounter("event_transform_failure", "event_transform_failure",
            new CounterConfiguration { LabelNames = ["destType", "module", "destinationId", "workspaceId", "feature", "implementation", "errorCategory", "errorType"] });
        _proxyRequests = factory.CreateCounter("tf_proxy_dest_req_count", "tf_proxy_dest_req_count",
            new CounterConfiguration { LabelNames = ["destination", "destType"] });
        _proxyResponses = factory.CreateCounter("tf_proxy_dest_resp_count", "tf_proxy_dest_resp_count",
            new CounterConfiguration { LabelNames = ["destination", "destType", "success"] });
        _outgoingCount = factory.CreateCounter("outgoing_request_count", "Outgoing HTTP requests count",
            new CounterConfiguration { LabelNames = ["feature", "destType", "endpointPath", "success", "statusCode", "requestMethod", "module", "workspaceId", "destinationId", "implementation", "sourceId"] });
        _outgoingLatency = factory.CreateHistogram("outgoing_request_latency", "Outgoing HTTP requests duration in seconds",
            new HistogramConfiguration { LabelNames = ["feature", "destType", "endpointPath", "requestMethod", "module", "workspaceId", "destinationId", "implementation", "sourceId"], Buckets = SecondsBuckets });
        _deletionFailures = factory.CreateCounter("regulation_worker_user_deletion_failure", "regulation_worker_user_deletion_failure",
            new CounterConfiguration { LabelNames = ["destType", "module", "implementation", "feature"] });

        _requestsRefused = factory.CreateCounter("mappings_requests_refused_total", "Requests refused whole by a limit (docs/operations.md: limits), by limit",
            new CounterConfiguration { LabelNames = ["limit"] });
        _eventsRefused = factory.CreateCounter("mappings_events_refused_total", "Events that failed alone by a limit (D7, D8), by limit and feature",
            new CounterConfiguration { LabelNames = ["limit", "feature"] });
        _turnsWaiting = factory.CreateGauge("mappings_transform_waiting", "Requests with their body read, waiting for a transformation turn (short: processor bodies under 4 MiB; long: router and larger bodies)",
            new GaugeConfiguration { LabelNames = ["queue"] });
        _turnsRunning = factory.CreateGauge("mappings_transform_running", "Transformations running (at most one per core)");
        _deliveryInFlight = factory.CreateGauge("mappings_delivery_in_flight", "Requests to CleverTap in flight, by account (D3: at most CLEVERTAP_MAX_CONCURRENCY_PER_ACCOUNT each)",
            new GaugeConfiguration { LabelNames = ["account"] });
        _deliveryWaiting = factory.CreateGauge("mappings_delivery_waiting", "Requests to CleverTap waiting for their account's turn (D3), by account",
            new GaugeConfiguration { LabelNames = ["account"] });

        _ids = new CappedMap<IdSeries>(maxIds);
        _outgoing = new CappedMap<OutgoingSeries>(maxIds * 4);
        _otherIds = new IdSeries(this, LabelValues.Other, LabelValues.Other);

        if (runtimeMetrics)
        {
            // GC, memory, CPU and threads (prometheus-net's process and dotnet_* series), and the
            // runtime's own "System.Runtime" meter (GC, thread pool, JIT, exceptions, …).
            DotNetStats.Register(_registry);
            _runtimeMeters = MeterAdapter.StartListening(new MeterAdapterOptions
            {
                Registry = _registry,
                MetricFactory = factory,
                InstrumentFilterPredicate = instrument => instrument.Meter.Name == "System.Runtime",
            });
        }
    }

    public CollectorRegistry Registry => _registry;

    // ------------------------------------------------------------------ HTTP (every request on PORT)

    /// <summary>One HTTP request ended.</summary>
    public void ObserveHttp(HttpRoute route, string method, int status, HttpDestType destType, long requestBytes, long responseBytes, double seconds)
    {
        int methodIndex = HttpMethods.IndexOf(method);
        int code = status is >= 100 and <= 599 ? status : 0;
        int key = (((int)route * HttpMethods.Count + methodIndex) * 600 + code) * 3 + (int)destType;
        if (!_http.TryGetValue(key, out var series)) series = AddHttpSeries(key, route, methodIndex, code, destType);
        series.Duration.Observe(seconds);
        series.RequestSize.Observe(requestBytes);
        series.ResponseSize.Observe(responseBytes);
    }

    // Apart from ObserveHttp: the lambda's captures would otherwise be allocated on every request, not only the first of a label set.
    private HttpSeries AddHttpSeries(int key, HttpRoute route, int method, int code, HttpDestType destType) =>
        _http.GetOrAdd(key, _ => NewHttpSeries(route, method, code, destType));

    private HttpSeries NewHttpSeries(HttpRoute route, int method, int code, HttpDestType destType)
    {
        string routeLabel = HttpRoutes.Label(route, _destination);
        string methodLabel = HttpMethods.Label(method);
        string codeLabel = Code(code);
        string destTypeLabel = destType switch { HttpDestType.Ours => _destType, HttpDestType.Other => LabelValues.Other, _ => "" };
        return new HttpSeries(
            _httpDuration.WithLabels(methodLabel, routeLabel, codeLabel, destTypeLabel),
            _httpRequestSize.WithLabels(methodLabel, routeLabel, codeLabel),
            _httpResponseSize.WithLabels(methodLabel, routeLabel, codeLabel));
    }

    private string Code(int code) => code == 0 ? LabelValues.Other : _codes[code] ??= code.ToString(CultureInfo.InvariantCulture);

    private sealed record HttpSeries(Histogram.Child Duration, Histogram.Child RequestSize, Histogram.Child ResponseSize);

    /// <summary>A request refused whole by a limit.</summary>
    public void Refused(RefusalLimit limit) => _requestsRefused.WithLabels(RefusalLabel(limit)).Inc();

    private static string RefusalLabel(RefusalLimit limit) => limit switch
    {
        RefusalLimit.RequestBodySize => "request_body_size",
        RefusalLimit.RequestBodyRate => "request_body_rate",
        RefusalLimit.ResponseSize => "response_size",
        RefusalLimit.NestingDepth => "nesting_depth",
        _ => LabelValues.Other,
    };

    // ------------------------------------------------------------------ transformations

    /// <summary>
    /// A processor request answered 200 with its entries: the dest_transform_* series (labels from
    /// the first item's metadata) and one event_transform_* count per entry (feature "processor").
    /// </summary>
    public void Processor(EntryTally tally, string version, int items)
    {
        string sourceType = Label(tally, tally.SourceType, _sourceTypes);
        string destinationType = Label(tally, tally.DestinationType, _destinationTypes);
        string k8Namespace = Label(tally, tally.Namespace, _namespaces);
        var key = (version, sourceType, destinationType, k8Namespace);
        if (!_dest.TryGetValue(key, out var series)) series = _dest.GetOrAdd(key, NewDestSeries);
        series.Requests.Inc();
        series.Input.Observe(items);
        series.Output.Observe(tally.Entries);
        Entries(tally, Feature.Processor);
    }

    // Bounded by the caps of its label values (versions, sourceTypes, destinationTypes, namespaces).
    private readonly ConcurrentDictionary<(string Version, string SourceType, string DestinationType, string Namespace), DestSeries> _dest = new();

    private DestSeries NewDestSeries((string Version, string SourceType, string DestinationType, string Namespace) key) => new(
        _destTransformRequests.WithLabels(_destination, key.Version, key.SourceType, key.DestinationType, key.Namespace),
        _destTransformInput.WithLabels(_destination, key.Version, DestVersion, key.SourceType, key.DestinationType, key.Namespace),
        _destTransformOutput.WithLabels(_destination, key.Version, DestVersion, key.SourceType, key.DestinationType, key.Namespace));

    private sealed record DestSeries(Counter.Child Requests, Histogram.Child Input, Histogram.Child Output);

    /// <summary>A router request answered 200: one event_transform_* count per output entry (feature "router", as the reference).</summary>
    public void Router(EntryTally tally) => Entries(tally, Feature.Router);

    /// <summary>The items of a processor or router request that failed alone by a limit (D7, D8), whatever its status.</summary>
    public void ItemRefusals(EntryTally tally, Feature feature)
    {
        string featureLabel = FeatureLabel(feature);
        if (tally.TooDeepItems > 0) _eventsRefused.WithLabels("nesting_depth", featureLabel).Inc(tally.TooDeepItems);
        if (tally.OutputTooLargeItems > 0) _eventsRefused.WithLabels("event_output_size", featureLabel).Inc(tally.OutputTooLargeItems);
    }

    internal enum Feature : byte
    {
        Processor,
        Router,
    }

    private static string FeatureLabel(Feature feature) => feature == Feature.Router ? "router" : "processor";

    private void Entries(EntryTally tally, Feature feature)
    {
        for (int i = 0; i < tally.RowCount; i++)
        {
            ref readonly var row = ref tally.Row(i);
            var series = row.Overflow ? _otherIds : Ids(tally, in row);
            var counts = series.Of(feature);
            if (row.Succeeded > 0) counts.Success.Inc(row.Succeeded);
            if (row.FailedInstrumentation > 0) counts.Instrumentation.Inc(row.FailedInstrumentation);
            if (row.FailedConfiguration > 0) counts.Configuration.Inc(row.FailedConfiguration);
        }
    }

    private IdSeries Ids(EntryTally tally, in TallyRow row)
    {
        // The key: destinationId, a separator, workspaceId (each "" when absent, "other" when not a short string).
        Span<char> key = stackalloc char[LabelValues.MaxLength * 2 + 1];
        int length = Append(tally, row.DestinationId, key);
        key[length++] = '\u001F';
        length += Append(tally, row.WorkspaceId, key[length..]);
        return _ids.GetOrAdd(key[..length], static (text, metrics) =>
        {
            int separator = text.IndexOf('\u001F');
            return new IdSeries(metrics, text[..separator], text[(separator + 1)..]);
        }, this, _otherIds);
    }

    private static int Append(EntryTally tally, in TallySpan id, Span<char> into)
    {
        switch (id.Kind)
        {
            case TallyValueKind.Missing:
                return 0;
            case TallyValueKind.String when LabelValues.Decode(tally.Bytes(in id), into[..LabelValues.MaxLength], out int length)
                                            && into[..length].IndexOf('\u001F') < 0:
                return length;
            default:
                LabelValues.Other.CopyTo(into);
                return LabelValues.Other.Length;
        }
    }

    private static string Label(EntryTally tally, in TallySpan value, LabelValues values) => value.Kind switch
    {
        TallyValueKind.Missing => "",
        TallyValueKind.String => values.Of(tally.Bytes(in value)),
        _ => LabelValues.Other,
    };

    /// <summary>The event_transform_* children of one (destinationId, workspaceId), per feature.</summary>
    private sealed class IdSeries(ServiceMetrics metrics, string destinationId, string workspaceId)
    {
        private FeatureSeries? _processor;
        private FeatureSeries? _router;

        public FeatureSeries Of(Feature feature) => feature == Feature.Router
            ? _router ??= new FeatureSeries(metrics, destinationId, workspaceId, "router")
            : _processor ??= new FeatureSeries(metrics, destinationId, workspaceId, "processor");
    }

    /// <summary>The children of one id pair and feature, made when first counted (no zero series for outcomes that never happened).</summary>
    private sealed class FeatureSeries(ServiceMetrics metrics, string destinationId, string workspaceId, string feature)
    {
        private Counter.Child? _success;
        private Counter.Child? _instrumentation;
        private Counter.Child? _configuration;

        public Counter.Child Success => _success ??= metrics._eventSuccess.WithLabels(metrics._destType, Module, destinationId, workspaceId, feature, Implementation);

        public Counter.Child Instrumentation => _instrumentation ??= Failure("instrumentation");

        public Counter.Child Configuration => _configuration ??= Failure("configuration");

        private Counter.Child Failure(string errorType) =>
            metrics._eventFailure.WithLabels(metrics._destType, Module, destinationId, workspaceId, feature, Implementation, "dataValidation", errorType);
    }

    // ------------------------------------------------------------------ deliveries and deletions

    /// <summary>A request to CleverTap ended (<see cref="DeliveryClient.Observer"/>).</summary>
    public void Completed(OutgoingRequest request, DeliveryResult result)
    {
        if (result.SendTime is not { } time) return; // never sent: nothing went out
        bool proxy = request.Purpose == DeliveryPurpose.Proxy;
        bool success = result.Answered && result.Status is >= 200 and <= 299;
        int status = result.Answered ? result.Status : result.Failure?.Status ?? 0;
        var ids = request.Ids;
        Span<char> key = stackalloc char[512];
        var written = new KeyWriter(key);
        written.Add(proxy ? "p" : "d");
        written.Add(EndpointPath(request.Url));
        written.Add(HttpMethods.Label(HttpMethods.IndexOf(request.Method)));
        written.Add(ids.DestinationId);
        written.Add(ids.WorkspaceId);
        written.Add(ids.SourceId);
        var series = written.Fits
            ? _outgoing.GetOrAdd(key[..written.Length], static (text, metrics) => metrics.NewOutgoingSeries(text), this, OtherOutgoing(proxy))
            : OtherOutgoing(proxy);
        series.Latency.Observe(time.TotalSeconds);
        series.Count(success, status).Inc();
        if (proxy)
        {
            (_proxyRequestsChild ??= _proxyRequests.WithLabels(_destination, _destType)).Inc();
            (success
                ? _proxySuccesses ??= _proxyResponses.WithLabels(_destination, _destType, "true")
                : _proxyFailures ??= _proxyResponses.WithLabels(_destination, _destType, "false")).Inc();
        }
    }

    /// <summary>Failed user deletion entries of CleverTap (regulation_worker_user_deletion_failure).</summary>
    public void DeletionFailures(int count)
    {
        if (count > 0) _deletionFailures.WithLabels(_destType, Module, Implementation, "userDeletion").Inc(count);
    }

    private OutgoingSeries? _otherProxy;
    private OutgoingSeries? _otherDeletion;

    private OutgoingSeries OtherOutgoing(bool proxy) => proxy
        ? _otherProxy ??= NewOutgoingSeries(string.Join('\u001F', "p", LabelValues.Other, LabelValues.Other, LabelValues.Other, LabelValues.Other, LabelValues.Other))
        : _otherDeletion ??= NewOutgoingSeries(string.Join('\u001F', "d", LabelValues.Other, LabelValues.Other, LabelValues.Other, LabelValues.Other, LabelValues.Other));

    private OutgoingSeries NewOutgoingSeries(string key)
    {
        var parts = key.Split('\u001F');
        bool proxy = parts[0] == "p";
        // As the reference: the proxy's destType is the path's name, a deletion's the entry's destType.
        string feature = proxy ? "proxy" : "userDeletion";
        string module = proxy ? "dataDelivery" : "deletion";
        string destType = proxy ? _destination : _destType;
        return new OutgoingSeries(this, feature, destType, parts[1], parts[2], module, parts[4], parts[3], parts[5]);
    }

    /// <summary>The path of a CleverTap endpoint (the request's host is not a label); any other path is "other".</summary>
    private static string EndpointPath(Uri url) => url.AbsolutePath switch
    {
        "/1/upload" => "/1/upload",
        "/1/delete/profiles.json" => "/1/delete/profiles.json",
        _ => LabelValues.Other,
    };

    private sealed class OutgoingSeries
    {
        private readonly ServiceMetrics _metrics;
        private readonly string[] _labels;
        private readonly ConcurrentDictionary<int, Counter.Child> _counts = new();

        public OutgoingSeries(ServiceMetrics metrics, string feature, string destType, string endpointPath, string requestMethod, string module, string workspaceId, string destinationId, string sourceId)
        {
            _metrics = metrics;
            _labels = [feature, destType, endpointPath, "", "", requestMethod, module, workspaceId, destinationId, Implementation, sourceId];
            Latency = metrics._outgoingLatency.WithLabels(feature, destType, endpointPath, requestMethod, module, workspaceId, destinationId, Implementation, sourceId);
        }

        public Histogram.Child Latency { get; }

        public Counter.Child Count(bool success, int status)
        {
            int code = status is >= 100 and <= 599 ? status : 0;
            int key = code * 2 + (success ? 1 : 0);
            return _counts.TryGetValue(key, out var child) ? child : AddCount(key, success, code);
        }

        // Apart from Count: the lambda's captures would otherwise be allocated on every call.
        private Counter.Child AddCount(int key, bool success, int code)
        {
            var labels = (string[])_labels.Clone();
            labels[3] = success ? "true" : "false";
            labels[4] = _metrics.Code(code);
            return _counts.GetOrAdd(key, _ => _metrics._outgoingCount.WithLabels(labels));
        }
    }

    /// <summary>Joins label values with a separator into a stack buffer; values holding the separator make it unusable.</summary>
    private ref struct KeyWriter(Span<char> buffer)
    {
        private readonly Span<char> _buffer = buffer;
        public int Length;
        public bool Fits = true;

        public void Add(string value)
        {
            if (!Fits) return;
            if (Length > 0)
            {
                if (Length == _buffer.Length) { Fits = false; return; }
                _buffer[Length++] = '\u001F';
            }
            if (value.Length > _buffer.Length - Length || value.Contains('\u001F')) { Fits = false; return; }
            value.CopyTo(_buffer[Length..]);
            Length += value.Length;
        }
    }

    // ------------------------------------------------------------------ gauges, read when scraped

    /// <summary>Sets the gauges read at scrape time: transformation turns and the per-account delivery queues (D3).</summary>
    public void AddScrapeGauges(Func<(int ShortWaiting, int LongWaiting, int Running)> turns, AccountGates gates)
    {
        _registry.AddBeforeCollectCallback(() =>
        {
            var (shortWaiting, longWaiting, running) = turns();
            _turnsWaiting.WithLabels("short").Set(shortWaiting);
            _turnsWaiting.WithLabels("long").Set(longWaiting);
            _turnsRunning.Set(running);
            SetAccountGauges(gates.Snapshot());
        });
    }

    private void SetAccountGauges(List<(string Account, int InFlight, int Waiting)> accounts)
    {
        lock (_publishedAccounts)
        {
            // The accounts with the most requests get series of their own; the rest add up under "other".
            accounts.Sort((a, b) => (b.InFlight + b.Waiting).CompareTo(a.InFlight + a.Waiting));
            var now = new HashSet<string>(StringComparer.Ordinal);
            int otherInFlight = 0, otherWaiting = 0;
            for (int i = 0; i < accounts.Count; i++)
            {
                var (account, inFlight, waiting) = accounts[i];
                string label = account.Length == 0 ? "" : account;
                if (i >= MaxAccounts || label.Length > LabelValues.MaxLength || label == LabelValues.Other)
                {
                    otherInFlight += inFlight;
                    otherWaiting += waiting;
                    continue;
                }
                now.Add(label);
                _deliveryInFlight.WithLabels(label).Set(inFlight);
                _deliveryWaiting.WithLabels(label).Set(waiting);
            }
            if (otherInFlight + otherWaiting > 0)
            {
                now.Add(LabelValues.Other);
                _deliveryInFlight.WithLabels(LabelValues.Other).Set(otherInFlight);
                _deliveryWaiting.WithLabels(LabelValues.Other).Set(otherWaiting);
            }
            // Accounts with nothing in flight and nothing waiting have no series (they come back when they send again).
            foreach (string gone in _publishedAccounts)
            {
                if (now.Contains(gone)) continue;
                _deliveryInFlight.RemoveLabelled(gone);
                _deliveryWaiting.RemoveLabelled(gone);
            }
            _publishedAccounts.Clear();
            _publishedAccounts.UnionWith(now);
        }
    }

    public void Dispose() => _runtimeMeters?.Dispose();
}

/// <summary>The routes of the <c>route</c> label: the reference's request paths, with other destinations' names folded into <c>:destination</c>.</summary>
internal enum HttpRoute : byte
{
    Other,
    Health,
    Features,
    ProcessorV0,
    ProcessorV1,
    OtherProcessorV0,
    OtherProcessorV1,
    Router,
    Batch,
    ProxyV0,
    ProxyV1,
    OtherProxyV0,
    OtherProxyV1,
    DeleteUsers,
}

internal static class HttpRoutes
{
    public static string Label(HttpRoute route, string destination) => route switch
    {
        HttpRoute.Health => "/health",
        HttpRoute.Features => "/features",
        HttpRoute.ProcessorV0 => "/v0/destinations/" + destination,
        HttpRoute.ProcessorV1 => "/v1/destinations/" + destination,
        HttpRoute.OtherProcessorV0 => "/v0/destinations/:destination",
        HttpRoute.OtherProcessorV1 => "/v1/destinations/:destination",
        HttpRoute.Router => "/routerTransform",
        HttpRoute.Batch => "/batch",
        HttpRoute.ProxyV0 => "/v0/destinations/" + destination + "/proxy",
        HttpRoute.ProxyV1 => "/v1/destinations/" + destination + "/proxy",
        HttpRoute.OtherProxyV0 => "/v0/destinations/:destination/proxy",
        HttpRoute.OtherProxyV1 => "/v1/destinations/:destination/proxy",
        HttpRoute.DeleteUsers => "/deleteUsers",
        _ => LabelValues.Other,
    };

    /// <summary>Whether requests on the route are for a destination (the <c>destType</c> label).</summary>
    public static bool HasDestination(HttpRoute route) => route is not (HttpRoute.Other or HttpRoute.Health or HttpRoute.Features);
}

/// <summary>The <c>destType</c> label of an HTTP request: none (the route names no destination), ours, or another one's.</summary>
internal enum HttpDestType : byte
{
    None,
    Ours,
    Other,
}

/// <summary>The limits that refuse a whole request (<c>mappings_requests_refused_total{limit}</c>).</summary>
internal enum RefusalLimit : byte
{
    None,
    RequestBodySize,
    RequestBodyRate,
    ResponseSize,
    NestingDepth,
}

/// <summary>HTTP methods as label values: the usual ones, anything else "other".</summary>
internal static class HttpMethods
{
    private static readonly string[] Known = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    public static int Count => Known.Length + 1;

    public static int IndexOf(string method)
    {
        for (int i = 0; i < Known.Length; i++)
        {
            if (string.Equals(Known[i], method, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return Known.Length;
    }

    public static string Label(int index) => index < Known.Length ? Known[index] : LabelValues.Other;
}
