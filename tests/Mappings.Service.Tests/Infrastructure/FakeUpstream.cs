using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mappings.Service.Tests.Infrastructure;

/// <summary>
/// A stand-in for the operator's existing transformer: records what it receives and answers
/// recognisably (an <c>X-Upstream: yes</c> header, bodies that name the upstream).
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private FakeUpstream(WebApplication app)
    {
        _app = app;
    }

    public Uri Address { get; private set; } = null!;

    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeUpstream(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Address = new Uri(app.Urls.First());
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8)) body = await reader.ReadToEndAsync();
        var headers = new Dictionary<string, string>();
        foreach (var (name, values) in request.Headers) headers[name.ToLowerInvariant()] = values.ToString();
        _requests.Enqueue(new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", headers, body));

        context.Response.Headers["X-Upstream"] = "yes";
        context.Response.ContentType = "application/json";
        string path = request.Path.Value ?? "";
        if (path == "/features")
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("""{"routerTransform":{"AM":true},"regulations":["AM"],"supportSourceTransformV1":true,"supportTransformerProxyV1":false}""");
            return;
        }
        if (path == "/deleteUsers")
        {
            var entries = JsonNode.Parse(body)!.AsArray();
            var answer = new JsonArray();
            foreach (var entry in entries) answer.Add(new JsonObject { ["statusCode"] = 207, ["status"] = "upstream " + entry!["destType"]!.GetValue<string>() });
            context.Response.StatusCode = 207;
            await context.Response.WriteAsync(answer.ToJsonString());
            return;
        }
        context.Response.StatusCode = 203;
        await context.Response.WriteAsync(new JsonObject { ["upstream"] = true, ["path"] = path, ["query"] = request.QueryString.Value, ["length"] = body.Length }.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
