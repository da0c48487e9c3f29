using System.Text;
using System.Text.Json;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>
/// The bounds of D7, D8 and D11 over HTTP, with small settings: an item nested too deep or with
/// too large an output fails alone inside a request of good items; an answer over
/// <c>MAX_RESPONSE_MB</c> is a 413 naming the limit, and the service goes on serving.
/// </summary>
public sealed class OutputLimitTests : IAsyncLifetime
{
    private ServiceInstance _service = null!;

    public async Task InitializeAsync() =>
        _service = await ServiceInstance.StartAsync(new ServiceOptions { MaxEventOutputBytes = 100 * 1024, MaxResponseBytes = 200 * 1024 });

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private static string Item(int job, string message) =>
        """{"message":""" + message + ""","metadata":{"jobId":""" + job + """},"destination":{"ID":"d1","Config":{"accountId":"acc","passcode":"pc"}}}""";

    private static string Good(int job) => Item(job, $$$"""{"type":"track","event":"e","userId":"u{{{job}}}"}""");

    [Fact]
    public async Task Deep_and_huge_items_fail_alone_among_good_ones()
    {
        string deep = Item(2, """{"type":"track","event":"e","userId":"u","properties":{"x":""" + new string('[', 1200) + new string(']', 1200) + "}}");
        string huge = Item(3, """{"type":"track","event":"e","userId":"u","properties":{"text":""" + "\"" + new string('x', 150_000) + "\"}}");
        string sparse = Item(4, """{"type":"identify","userId":"u","traits":{"x.80000000":1}}""");
        string body = $"[{Good(1)},{deep},{huge},{sparse},{Good(5)}]";
        var answer = await Http.PostAsync(_service.Client, "/v0/destinations/clevertap", Encoding.UTF8.GetBytes(body));
        Assert.Equal(200, answer.Status);
        using var doc = JsonDocument.Parse(answer.Body, new JsonDocumentOptions { MaxDepth = 3000 });
        var entries = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal([200, 400, 400, 400, 200], entries.Select(e => e.GetProperty("statusCode").GetInt32()));
        Assert.Equal([1, 2, 3, 4, 5], entries.Select(e => e.GetProperty("metadata").GetProperty("jobId").GetInt32()));
        Assert.Contains("nested more than 1000 levels deep", entries[1].GetProperty("error").GetString());
        Assert.Contains("larger than 0.098 MiB", entries[2].GetProperty("error").GetString());
        Assert.Contains("MAX_EVENT_OUTPUT_MB", entries[3].GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/v0/destinations/clevertap")]
    [InlineData("/routerTransform")]
    public async Task An_answer_over_the_limit_is_413_and_the_service_goes_on(string path)
    {
        // 300 items of about 1 KB each: no item is over its limit, but together they pass 200 KiB.
        var items = Enumerable.Range(1, 300).Select(i => Item(i, $$$"""{"type":"track","event":"e","userId":"u","properties":{"text":"{{{new string('y', 1000)}}}"}}"""));
        string list = "[" + string.Join(",", items) + "]";
        string body = path == "/routerTransform" ? $$$"""{"input":{{{list}}},"destType":"CLEVERTAP"}""" : list;
        var answer = await Http.PostAsync(_service.Client, path, Encoding.UTF8.GetBytes(body));
        Assert.Equal(413, answer.Status);
        Assert.Contains("MAX_RESPONSE_MB", answer.Json["error"]!.GetValue<string>());
        Assert.Contains(_service.Logs.Lines, l => l.Contains("MAX_RESPONSE_MB"));

        await Http.AssertHealthyAsync(_service.Client);
        string small = "[" + string.Join(",", Enumerable.Range(1, 5).Select(Good)) + "]";
        var ok = await Http.PostAsync(_service.Client, path, Encoding.UTF8.GetBytes(path == "/routerTransform" ? $$$"""{"input":{{{small}}},"destType":"CLEVERTAP"}""" : small));
        Assert.Equal(200, ok.Status);
    }

    /// <summary>A router body whose items are too many for any answer within the limit is refused while it is read (no answer is built).</summary>
    [Fact]
    public async Task A_router_body_of_many_empty_items_is_refused_early()
    {
        string body = """{"input":[""" + string.Join(",", Enumerable.Repeat("{}", 5000)) + """],"destType":"CLEVERTAP"}""";
        var answer = await Http.PostAsync(_service.Client, "/routerTransform", Encoding.UTF8.GetBytes(body));
        Assert.Equal(413, answer.Status);
        Assert.Contains("MAX_RESPONSE_MB", answer.Json["error"]!.GetValue<string>());
    }
}
