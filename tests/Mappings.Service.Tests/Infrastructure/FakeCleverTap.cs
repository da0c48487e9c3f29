using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mappings.Service.Tests.Infrastructure;

/// <summary>One request the fake received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>
/// A local CleverTap on loopback. Answers the exchanges of conformance/reference/network (matched
/// on method and URL path; cases with the same URL are told apart by their request body), plus
/// routes the service tests steer it with: <c>/echo</c>, <c>/status/{code}</c>, <c>/text</c>,
/// <c>/empty</c>, <c>/slow</c>, <c>/reset</c>, <c>/redirect?to=</c>, <c>/hold?group=</c> and
/// <c>/partial?records=</c> (a partial-failure answer listing that many unprocessed records).
/// </summary>
public sealed class FakeCleverTap : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<NetworkCase> _cases;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, HoldGroup> _holds = new();
    private readonly ConcurrentDictionary<string, int> _deletionCalls = new();

    private sealed record NetworkCase(string Method, string Path, JsonNode? Data, int Status, string? Body);

    /// <summary>Requests of one <c>/hold</c> group: they wait until released, counting how many are in at once.</summary>
    public sealed class HoldGroup
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _maxInFlight;
        private int _arrived;

        public int InFlight => Volatile.Read(ref _inFlight);
        public int MaxInFlight => Volatile.Read(ref _maxInFlight);
        public int Arrived => Volatile.Read(ref _arrived);
        public void Release() => _release.TrySetResult();

        internal async Task HoldAsync(CancellationToken aborted)
        {
            Interlocked.Increment(ref _arrived);
            int now = Interlocked.Increment(ref _inFlight);
            int max;
            while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
            {
            }
            try
            {
                await _release.Task.WaitAsync(aborted);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private FakeCleverTap(WebApplication app, List<NetworkCase> cases)
    {
        _app = app;
        _cases = cases;
    }

    public Uri Address { get; private set; } = null!;

    /// <summary><c>http://127.0.0.1:port</c>, without the trailing slash.</summary>
    public string Origin => Address.GetLeftPart(UriPartial.Authority);

    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    public HoldGroup Hold(string group) => _holds.GetOrAdd(group, _ => new HoldGroup());

    public static async Task<FakeCleverTap> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeCleverTap(app, LoadCases());
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Address = new Uri(app.Urls.First());
        return fake;
    }

    private static List<NetworkCase> LoadCases()
    {
        var cases = new List<NetworkCase>();
        foreach (string file in Directory.GetFiles(SharedFiles.Path("conformance/reference/network"), "*.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            var json = JsonNode.Parse(File.ReadAllText(file))!;
            var input = json["input"]!;
            var output = json["output"]!;
            var url = new Uri(input["url"]!.GetValue<string>());
            cases.Add(new NetworkCase(
                (input["method"]?.GetValue<string>() ?? "POST").ToUpperInvariant(),
                url.AbsolutePath,
                input["data"]?.DeepClone(),
                output["status"]!.GetValue<int>(),
                output["data"]?.ToJsonString()));
        }
        return cases;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8)) body = await reader.ReadToEndAsync();
        var headers = new Dictionary<string, string>();
        foreach (var (name, values) in request.Headers) headers[name.ToLowerInvariant()] = values.ToString();
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", headers, body);
        _requests.Enqueue(recorded);
        string path = recorded.Path;

        switch (path)
        {
            case "/echo":
            {
                var echo = new JsonObject
                {
                    ["status"] = "success",
                    ["method"] = recorded.Method,
                    ["path"] = path,
                    ["query"] = recorded.Query,
                    ["headers"] = new JsonObject(headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)JsonValue.Create(h.Value)))),
                    ["body"] = body,
                };
                await Json(context, 200, echo.ToJsonString());
                return;
            }
            case "/text":
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("OK");
                return;
            case "/bom":
            case "/bom2":
                // A success answer that starts with one (two) UTF-8 byte order marks.
                context.Response.ContentType = "application/json";
                if (path == "/bom2") await context.Response.Body.WriteAsync("\uFEFF"u8.ToArray());
                await context.Response.Body.WriteAsync("\uFEFF{\"status\":\"success\",\"processed\":1,\"unprocessed\":[]}"u8.ToArray());
                return;
            case "/empty":
                context.Response.StatusCode = 204;
                return;
            case "/slow":
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                await Json(context, 200, """{"status":"success"}""");
                return;
            case "/reset":
                context.Abort();
                return;
            case "/partial":
            {
                // CleverTap's answer when some records fail: every unprocessed record quoted back.
                int records = int.Parse(request.Query["records"].ToString());
                var unprocessed = new JsonArray();
                for (int i = 0; i < records; i++)
                {
                    unprocessed.Add(new JsonObject
                    {
                        ["status"] = "fail",
                        ["code"] = 509,
                        ["error"] = "Invalid identity: profile 😀 \"" + i + "\" was not found",
                        ["record"] = new JsonObject { ["type"] = "event", ["identity"] = "user-" + i, ["evtName"] = "Product Viewed", ["evtData"] = new JsonObject { ["sku"] = "SKU-" + i, ["name"] = "A product with a long enough name", ["price"] = 12.5 } },
                    });
                }
                await Json(context, 200, new JsonObject { ["status"] = "partial", ["processed"] = 0, ["unprocessed"] = unprocessed }.ToJsonString());
                return;
            }
            case "/redirect":
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = request.Query["to"].ToString();
                return;
            case "/hold":
                try
                {
                    await Hold(request.Query["group"].ToString()).HoldAsync(context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                await Json(context, 200, """{"status":"success","processed":1,"unprocessed":[]}""");
                return;
        }
        if (path.StartsWith("/status/", StringComparison.Ordinal) && int.TryParse(path["/status/".Length..], out int code))
        {
            if (code is 204 or 304) context.Response.StatusCode = code;
            else await Json(context, code, """{"status":"fail","error":"as asked"}""");
            return;
        }

        // The reference's network exchanges: same method and path; where several share them, the body decides.
        JsonNode? sent = null;
        try
        {
            sent = body.Length > 0 ? JsonNode.Parse(body) : null;
        }
        catch (JsonException)
        {
        }
        var candidates = _cases.Where(c => c.Method == recorded.Method && c.Path == path).ToList();
        var match = candidates.FirstOrDefault(c => c.Data is not null && JsonNode.DeepEquals(c.Data, sent))
            ?? (candidates.Count == 1 ? candidates[0] : null);
        if (match is not null)
        {
            await Json(context, match.Status, match.Body ?? "");
            return;
        }
        if (path.EndsWith("/delete/profiles.json", StringComparison.Ordinal))
        {
            // Deletion tests steer the answer with the account id: "status-NNN" answers NNN,
            // "fail-at-N" fails its N-th request with 500; anything else succeeds.
            string account = recorded.Header("X-CleverTap-Account-Id") ?? "";
            int call = _deletionCalls.AddOrUpdate(account, 1, (_, n) => n + 1);
            if (account.StartsWith("status-", StringComparison.Ordinal) && int.TryParse(account["status-".Length..], out int status))
            {
                await Json(context, status, """{"status":"fail"}""");
                return;
            }
            if (account.StartsWith("fail-at-", StringComparison.Ordinal) && int.TryParse(account["fail-at-".Length..], out int failAt) && call == failAt)
            {
                await Json(context, 500, """{"status":"fail"}""");
                return;
            }
            await Json(context, 200, """{"status":"success"}""");
            return;
        }
        await Json(context, 404, """{"status":"fail","error":"no such fake route"}""");
    }

    /// <summary>The deletion requests that carried this account id.</summary>
    public IReadOnlyList<RecordedRequest> DeletionRequests(string account) =>
        _requests.Where(r => r.Path.EndsWith("/delete/profiles.json", StringComparison.Ordinal) && r.Header("X-CleverTap-Account-Id") == account).ToList();

    private static async Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        if (body.Length == 0) return;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var group in _holds.Values) group.Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
