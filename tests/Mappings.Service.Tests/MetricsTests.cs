using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mappings.CleverTap.Delivery;
using Mappings.Runtime.Json;
using Mappings.Service.Metrics;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>
/// The Prometheus metrics (docs/operations.md, "Metrics"): known processor, router, proxy and
/// deletion traffic, then <c>GET /metrics</c> on the metrics port, parsed strictly; the counts
/// must equal what the answers say, label by label. Each test has its own service, so counts are
/// exact.
/// </summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private FakeCleverTap _cleverTap = null!;
    private ServiceInstance _service = null!;

    private HttpClient Client => _service.Client;

    public async Task InitializeAsync()
    {
        _cleverTap = await FakeCleverTap.StartAsync();
        _service = await StartAsync(new ServiceOptions());
    }

    private Task<ServiceInstance> StartAsync(ServiceOptions options, int perAccount = 15) => ServiceInstance.StartAsync(options with
    {
        MaxRequestBodyBytes = 4 * 1024 * 1024,
        Delivery = new DeliveryOptions
        {
            AllowedHosts = ["127.0.0.1"], DeletionBaseUrl = new Uri(_cleverTap.Origin), Timeout = TimeSpan.FromSeconds(20), MaxConcurrentPerAccount = perAccount,
        },
    });

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _cleverTap.DisposeAsync();
    }

    private static async Task<PrometheusText> ScrapeAsync(ServiceInstance service)
    {
        using var client = new HttpClient { BaseAddress = service.MetricsAddress };
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    // ------------------------------------------------------------------ the reference's series

    [Fact]
    public async Task Known_traffic_is_counted_exactly_by_label()
    {
        var cases = ConformanceCases.Load("conformance/corpus/cases.jsonl");
        var routes = new Dictionary<string, int>();
        void Sent(string route) => routes[route] = routes.GetValueOrDefault(route) + 1;
        var success = new Dictionary<string, double>();
        var failure = new Dictionary<string, double>();
        int processorRequests = 0, processorItems = 0, processorEntries = 0;

        // Processor: three requests of corpus items (successes and errors), v0 and v1.
        foreach (var (version, skip, take) in new[] { ("v0", 0, 60), ("v1", 60, 45), ("v0", 400, 30) })
        {
            var items = cases.Skip(skip).Take(take).ToList();
            var answer = await Http.PostAsync(Client, $"/{version}/destinations/clevertap", Array(items.Select(c => c.Input)));
            Sent($"/{version}/destinations/clevertap");
            Assert.Equal(200, answer.Status);
            using var entries = JsonDocument.Parse(answer.Body);
            Count(entries.RootElement, "processor", success, failure);
            processorRequests++;
            processorItems += items.Count;
            processorEntries += entries.RootElement.GetArrayLength();
        }

        // Router: the corpus batches of 1, 2 and 1,150 inputs.
        var batches = ConformanceCases.Load("conformance/corpus/router.jsonl");
        foreach (int index in new[] { 0, 1, 3 })
        {
            var body = new ByteBuffer();
            body.Append("{\"input\":"u8);
            body.Append(batches[index].Input.Span);
            body.Append(",\"destType\":\"CLEVERTAP\"}"u8);
            var answer = await Http.PostAsync(Client, "/routerTransform", body.WrittenMemory.ToArray());
            Sent("/routerTransform");
            Assert.Equal(200, answer.Status);
            using var output = JsonDocument.Parse(answer.Body);
            Count(output.RootElement.GetProperty("output"), "router", success, failure);
        }

        // Proxy: a 200, a 500 and a 429 from CleverTap, and one request refused before it is sent (D5).
        string ids = """{"jobId":1,"destinationId":"d-1","workspaceId":"w-1","sourceId":"s-1"}""";
        int proxySent = _cleverTap.Requests.Count;
        foreach (var (version, path) in new[] { ("v0", "/echo"), ("v1", "/status/500"), ("v0", "/status/429") })
        {
            string request = DeliveryTests.Request(_cleverTap.Origin + path, "acct-m").Replace("""{"jobId":1,"destinationId":"dest-1","workspaceId":"ws-1"}""", version == "v1" ? $"[{ids}]" : ids);
            await Http.PostAsync(Client, $"/{version}/destinations/clevertap/proxy", request);
            Sent($"/{version}/destinations/clevertap/proxy");
        }
        var refused = await Http.PostAsync(Client, "/v0/destinations/clevertap/proxy", DeliveryTests.Request("https://elsewhere.example/x", "acct-m"));
        Sent("/v0/destinations/clevertap/proxy");
        Assert.Equal(400, refused.Status);
        Assert.Equal(3, _cleverTap.Requests.Count - proxySent);

        // Deletion: the three reference vectors (one of them fails at its first batch).
        int deletionsSent = _cleverTap.Requests.Count;
        int deletionFailures = 0;
        foreach (string file in Directory.GetFiles(SharedFiles.Path("conformance/reference/userDeletion"), "*.json").Order(StringComparer.Ordinal))
        {
            var vector = JsonNode.Parse(File.ReadAllText(file))!;
            var answer = await Http.PostAsync(Client, "/deleteUsers", vector["input"]!["request"]!["body"]!.ToJsonString());
            Sent("/deleteUsers");
            deletionFailures += answer.Json.AsArray().Count(e => e!["statusCode"]!.GetValue<int>() != 200);
        }
        deletionsSent = _cleverTap.Requests.Count - deletionsSent;
        Assert.True(deletionFailures > 0 && deletionsSent > 0);

        // A body over MAX_REQUEST_BODY_MB (4 MiB here) and a health check.
        var tooLarge = await Http.PostAsync(Client, "/v0/destinations/clevertap", new byte[5 * 1024 * 1024]);
        Sent("/v0/destinations/clevertap");
        Assert.Equal(413, tooLarge.Status);
        await Http.AssertHealthyAsync(Client);
        Sent("/health");

        var metrics = await ScrapeAsync(_service);

        // event_transform_success / _failure: one per entry of the answers, by label.
        Assert.Equal(success, Scraped(metrics, "event_transform_success", failure: false));
        Assert.Equal(failure, Scraped(metrics, "event_transform_failure", failure: true));
        Assert.All(metrics.Where("event_transform_success").Concat(metrics.Where("event_transform_failure")), s =>
            Assert.True(s.Has(("destType", "CLEVERTAP"), ("module", "destination"), ("implementation", "native")), s.ToString()));
        Assert.Equal(processorEntries, metrics.Sum("event_transform_success", ("feature", "processor")) + metrics.Sum("event_transform_failure", ("feature", "processor")));

        // http_request_duration: one per request, by route (sizes likewise).
        foreach (var (route, count) in routes)
        {
            Assert.Equal(count, metrics.Sum("http_request_duration_count", ("route", route)));
            Assert.Equal(count, metrics.Sum("http_request_size_count", ("route", route)));
            Assert.Equal(count, metrics.Sum("http_response_size_count", ("route", route)));
        }
        Assert.Equal(routes.Values.Sum(), metrics.Sum("http_request_duration_count"));
        Assert.Equal(1, metrics.Sum("http_request_duration_count", ("route", "/v0/destinations/clevertap"), ("code", "413"), ("method", "POST"), ("destType", "CLEVERTAP")));
        Assert.Equal(1, metrics.Sum("http_request_duration_count", ("route", "/health"), ("code", "200"), ("destType", "")));

        // dest_transform_*: one observation per processor request answered with entries.
        Assert.Equal(processorRequests, metrics.Sum("dest_transform_input_events_count"));
        Assert.Equal(processorItems, metrics.Sum("dest_transform_input_events_sum"));
        Assert.Equal(processorRequests, metrics.Sum("dest_transform_output_events_count"));
        Assert.Equal(processorEntries, metrics.Sum("dest_transform_output_events_sum"));
        Assert.Equal(processorRequests, metrics.Sum("dest_transform_requests"));
        Assert.Equal(2, metrics.Sum("dest_transform_requests", ("destination", "clevertap"), ("version", "v0"), ("destinationType", "CLEVERTAP")));
        Assert.Equal(1, metrics.Sum("dest_transform_input_events_count", ("version", "v1"), ("destVersion", "v0")));

        // Proxy and deletions: what was sent to CleverTap, and what became of it.
        Assert.Equal(3, metrics.Sum("tf_proxy_dest_req_count", ("destination", "clevertap")));
        Assert.Equal(1, metrics.Sum("tf_proxy_dest_resp_count", ("success", "true")));
        Assert.Equal(2, metrics.Sum("tf_proxy_dest_resp_count", ("success", "false")));
        var proxyIds = new[] { ("feature", "proxy"), ("destinationId", "d-1"), ("workspaceId", "w-1"), ("sourceId", "s-1") };
        Assert.Equal(1, metrics.Sum("outgoing_request_count", [.. proxyIds, ("statusCode", "200"), ("success", "true")]));
        Assert.Equal(1, metrics.Sum("outgoing_request_count", [.. proxyIds, ("statusCode", "500"), ("success", "false")]));
        Assert.Equal(1, metrics.Sum("outgoing_request_count", [.. proxyIds, ("statusCode", "429"), ("success", "false")]));
        Assert.Equal(3, metrics.Sum("outgoing_request_latency_count", ("feature", "proxy")));
        Assert.Equal(deletionsSent, metrics.Sum("outgoing_request_count", ("feature", "userDeletion"), ("endpointPath", "/1/delete/profiles.json"), ("requestMethod", "POST")));
        Assert.Equal(deletionsSent, metrics.Sum("outgoing_request_latency_count", ("feature", "userDeletion")));
        Assert.Equal(deletionFailures, metrics.Sum("regulation_worker_user_deletion_failure", ("destType", "CLEVERTAP"), ("module", "destination"), ("implementation", "native"), ("feature", "userDeletion")));

        // Ours: the refused body; the runtime's series are there.
        Assert.Equal(1, metrics.Sum("mappings_requests_refused_total", ("limit", "request_body_size")));
        Assert.Single(metrics.Where("mappings_transform_running"));
        Assert.NotEmpty(metrics.Where("process_working_set_bytes"));
        Assert.NotEmpty(metrics.Where("dotnet_collection_count_total"));
    }

    [Fact]
    public async Task The_reference_names_and_types_are_kept()
    {
        await Http.AssertHealthyAsync(Client);
        var metrics = await ScrapeAsync(_service);
        var expected = new Dictionary<string, string>
        {
            ["http_request_duration"] = "histogram", ["http_request_size"] = "histogram", ["http_response_size"] = "histogram",
            ["dest_transform_requests"] = "counter", ["dest_transform_input_events"] = "histogram", ["dest_transform_output_events"] = "histogram",
            ["event_transform_success"] = "counter", ["event_transform_failure"] = "counter",
            ["tf_proxy_dest_req_count"] = "counter", ["tf_proxy_dest_resp_count"] = "counter",
            ["outgoing_request_count"] = "counter", ["outgoing_request_latency"] = "histogram",
            ["regulation_worker_user_deletion_failure"] = "counter",
        };
        foreach (var (name, type) in expected)
        {
            Assert.True(metrics.Types.TryGetValue(name, out var actual), $"{name} is missing");
            Assert.Equal(type, actual);
        }
        // prom-client's names carry no _total suffix: no family of the reference gets one.
        Assert.DoesNotContain(metrics.Types.Keys, name => expected.ContainsKey(name.Replace("_total", "")) && name.EndsWith("_total"));
        // The seconds buckets are prom-client's defaults; the sizes' the reference's.
        var buckets = metrics.Where("http_request_duration_bucket", ("route", "/health")).Select(s => s.Labels["le"]).ToList();
        Assert.Equal(["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"], buckets);
        Assert.Equal(23, metrics.Where("http_request_size_bucket", ("route", "/health")).Count());
    }

    [Fact]
    public async Task Only_the_metrics_port_answers_metrics()
    {
        Assert.Equal(404, (await Http.GetAsync(Client, "/metrics")).Status);
        using var metricsClient = new HttpClient { BaseAddress = _service.MetricsAddress };
        Assert.Equal(404, (int)(await metricsClient.GetAsync("/health")).StatusCode);
        Assert.Equal(404, (int)(await metricsClient.PostAsync("/v0/destinations/clevertap", new StringContent("[]"))).StatusCode);
        // Scrapes are not requests of the service.
        await ScrapeAsync(_service);
        var metrics = await ScrapeAsync(_service);
        Assert.Equal(1, metrics.Sum("http_request_duration_count"));
        Assert.Equal(1, metrics.Sum("http_request_duration_count", ("route", "other"), ("code", "404"), ("method", "GET")));
    }

    // ------------------------------------------------------------------ cardinality

    [Fact]
    public async Task Request_supplied_names_share_one_label_value_past_the_caps()
    {
        await using var service = await StartAsync(new ServiceOptions { MetricsMaxDestinations = 2 });
        // Other destinations and unknown paths: no new series per name.
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(404, (await Http.PostAsync(service.Client, $"/v0/destinations/dest{i}", "[]")).Status);
            Assert.Equal(404, (await Http.PostAsync(service.Client, $"/routerTransform", $$"""{"destType":"DEST{{i}}","input":[{}]}""")).Status);
            Assert.Equal(404, (await Http.GetAsync(service.Client, $"/anything/{i}")).Status);
        }
        Assert.Equal(404, (await Http.SendAsync(service.Client, new HttpRequestMessage(new HttpMethod("BREW"), "/x"))).Status);
        // Five destinationIds: two get series of their own, the rest are "other".
        var item = JsonNode.Parse(ConformanceCases.Load("conformance/corpus/cases.jsonl")[0].Input.Span)!;
        var items = new JsonArray();
        for (int i = 0; i < 5; i++)
        {
            var copy = item.DeepClone();
            copy["metadata"]!["destinationId"] = $"dest-{i}";
            items.Add(copy);
        }
        Assert.Equal(200, (await Http.PostAsync(service.Client, "/v0/destinations/clevertap", items.ToJsonString())).Status);

        var metrics = await ScrapeAsync(service);
        Assert.Equal(5, metrics.Sum("http_request_duration_count", ("route", "/v0/destinations/:destination"), ("destType", "other")));
        Assert.Equal(5, metrics.Sum("http_request_duration_count", ("route", "/routerTransform"), ("destType", "other")));
        Assert.Equal(6, metrics.Sum("http_request_duration_count", ("route", "other"), ("destType", "")));
        Assert.Equal(1, metrics.Sum("http_request_duration_count", ("method", "other")));
        Assert.DoesNotContain(metrics.Samples, s => s.Labels.Values.Any(v => v.Contains("dest0") || v.Contains("DEST0") || v.Contains("anything")));
        var successes = metrics.Where("event_transform_success").ToList();
        Assert.Equal(3, successes.Count);
        Assert.Equal(3, successes.Single(s => s.Labels["destinationId"] == "other").Value);
        Assert.Equal(5, successes.Sum(s => s.Value));
    }

    // ------------------------------------------------------------------ limits, queues, settings

    [Fact]
    public async Task Requests_and_events_refused_by_limits_are_counted()
    {
        await using var service = await StartAsync(new ServiceOptions { MaxResponseBytes = 64 * 1024 });
        // D11: a processor answer over 64 KiB; D7: an item nested too deep, and a router body whose own structure is.
        var item = ConformanceCases.Load("conformance/corpus/cases.jsonl")[0].Input;
        Assert.Equal(413, (await Http.PostAsync(service.Client, "/v0/destinations/clevertap", Array(Enumerable.Repeat(item, 200)))).Status);
        string deep = new string('[', 1100) + new string(']', 1100);
        var answer = await Http.PostAsync(service.Client, "/v0/destinations/clevertap", $"[{{\"message\":{deep},\"metadata\":{{\"jobId\":1}}}}]");
        Assert.Equal(200, answer.Status);
        Assert.Equal(400, (await Http.PostAsync(service.Client, "/routerTransform", $"{{\"destType\":\"CLEVERTAP\",\"input\":[],\"x\":{deep}}}")).Status);

        var metrics = await ScrapeAsync(service);
        Assert.Equal(1, metrics.Sum("mappings_requests_refused_total", ("limit", "response_size")));
        Assert.Equal(1, metrics.Sum("mappings_requests_refused_total", ("limit", "nesting_depth")));
        Assert.Equal(1, metrics.Sum("mappings_events_refused_total", ("limit", "nesting_depth"), ("feature", "processor")));
        Assert.Equal(1, metrics.Sum("event_transform_failure", ("feature", "processor"), ("errorType", "instrumentation"), ("destinationId", "")));
    }

    [Fact]
    public async Task Delivery_queues_are_gauges_per_account()
    {
        await using var service = await StartAsync(new ServiceOptions(), perAccount: 1);
        var group = _cleverTap.Hold("metrics-queue");
        var requests = Enumerable.Range(0, 3)
            .Select(_ => Http.PostAsync(service.Client, "/v0/destinations/clevertap/proxy", DeliveryTests.Request(_cleverTap.Origin + "/hold?group=metrics-queue", "acct-queue")))
            .ToList();
        try
        {
            for (int i = 0; i < 200 && group.Arrived < 1; i++) await Task.Delay(25);
            PrometheusText metrics;
            int tries = 0;
            do
            {
                metrics = await ScrapeAsync(service);
            }
            while (metrics.Sum("mappings_delivery_waiting", ("account", "acct-queue")) < 2 && ++tries < 200 && await Delay());
            Assert.Equal(1, metrics.Sum("mappings_delivery_in_flight", ("account", "acct-queue")));
            Assert.Equal(2, metrics.Sum("mappings_delivery_waiting", ("account", "acct-queue")));
        }
        finally
        {
            group.Release();
            await Task.WhenAll(requests);
        }
        var after = await ScrapeAsync(service);
        Assert.Empty(after.Where("mappings_delivery_waiting", ("account", "acct-queue")));
        Assert.Equal(3, after.Sum("tf_proxy_dest_req_count"));

        static async Task<bool> Delay()
        {
            await Task.Delay(25);
            return true;
        }
    }

    [Fact]
    public async Task Without_stats_there_is_no_listener()
    {
        await using var service = await StartAsync(new ServiceOptions { EnableStats = false });
        Assert.Null(service.MetricsAddress);
        await Http.AssertHealthyAsync(service.Client);
    }

    [Fact]
    public void Settings_are_read_from_the_environment()
    {
        var options = ServiceOptions.FromEnvironment(_ => null);
        Assert.True(options.EnableStats);
        Assert.Equal(9091, options.MetricsPort);
        var set = ServiceOptions.FromEnvironment(name => name switch
        {
            "ENABLE_STATS" => "false", "METRICS_PORT" => "9191", "STATS_CLIENT" => "statsd", "METRICS_MAX_DESTINATIONS" => "10", _ => null,
        });
        Assert.False(set.EnableStats);
        Assert.Equal(9191, set.MetricsPort);
        Assert.Equal("statsd", set.StatsClient);
        Assert.Equal(10, set.MetricsMaxDestinations);
        var clash = Assert.Throws<FormatException>(() => ServiceOptions.FromEnvironment(name => name is "PORT" or "METRICS_PORT" ? "9000" : null));
        Assert.Contains("METRICS_PORT", clash.Message);
        Assert.Throws<FormatException>(() => ServiceOptions.FromEnvironment(name => name == "METRICS_PORT" ? "x" : null));
    }

    [Fact]
    public void Label_values_are_capped()
    {
        var values = new LabelValues(2);
        Assert.Equal("a", values.Of("a"u8));
        Assert.Same(values.Of("a"u8), values.Of("a"u8));
        Assert.Equal("b", values.Of("b"u8));
        Assert.Equal(LabelValues.Other, values.Of("c"u8));
        Assert.Equal("", values.Of(""u8));
        Assert.Equal(LabelValues.Other, values.Of(Encoding.UTF8.GetBytes(new string('x', 129))));
        Assert.Equal(LabelValues.Other, values.Of([0xC3, 0x28]));
        Assert.Equal(2, values.Count);
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] Array(IEnumerable<ReadOnlyMemory<byte>> items)
    {
        var body = new ByteBuffer();
        body.Append((byte)'[');
        bool first = true;
        foreach (var item in items)
        {
            if (!first) body.Append((byte)',');
            body.Append(item.Span);
            first = false;
        }
        body.Append((byte)']');
        return body.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Counts entries as the metrics must: a success (statusCode 200) by its metadata's ids (a
    /// batch: its first metadata), a failure by its statTags.
    /// </summary>
    private static void Count(JsonElement entries, string feature, Dictionary<string, double> success, Dictionary<string, double> failure)
    {
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.GetProperty("statusCode").GetInt32() == 200)
            {
                entry.TryGetProperty("metadata", out var metadata);
                if (metadata.ValueKind == JsonValueKind.Array) metadata = metadata.GetArrayLength() > 0 ? metadata[0] : default;
                Add(success, $"{feature}|{Id(metadata, "destinationId")}|{Id(metadata, "workspaceId")}");
            }
            else
            {
                var tags = entry.GetProperty("statTags");
                Add(failure, $"{feature}|{Id(tags, "destinationId")}|{Id(tags, "workspaceId")}|{tags.GetProperty("errorCategory").GetString()}|{tags.GetProperty("errorType").GetString()}");
            }
        }

        static void Add(Dictionary<string, double> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

        static string Id(JsonElement container, string name) =>
            container.ValueKind != JsonValueKind.Object || !container.TryGetProperty(name, out var value) ? ""
            : value.ValueKind == JsonValueKind.String && value.GetString()!.Length <= LabelValues.MaxLength ? value.GetString()! : LabelValues.Other;
    }

    private static Dictionary<string, double> Scraped(PrometheusText metrics, string name, bool failure) =>
        metrics.Where(name).Where(s => s.Value > 0).ToDictionary(
            s => $"{s.Labels["feature"]}|{s.Labels["destinationId"]}|{s.Labels["workspaceId"]}" + (failure ? $"|{s.Labels["errorCategory"]}|{s.Labels["errorType"]}" : ""),
            s => s.Value);
}
