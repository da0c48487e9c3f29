using System.Text;
using System.Text.Json.Nodes;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>The delivery proxy (spec §8) against the fake CleverTap: the reference vectors and the classification rules.</summary>
[Collection(ServiceCollection.Name)]
public sealed class DeliveryTests(ServiceFixture fixture)
{
    private HttpClient Client => fixture.Client;
    private FakeCleverTap CleverTap => fixture.CleverTap;

    public static TheoryData<string> Vectors()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(SharedFiles.Path("conformance/reference/dataDelivery"), "*.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Fact]
    public void All_7_delivery_vectors_are_present() =>
        Assert.Equal(7, Directory.GetFiles(SharedFiles.Path("conformance/reference/dataDelivery"), "*.json").Length);

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task Reference_delivery_vector_matches(string file)
    {
        var vector = JsonNode.Parse(File.ReadAllText(Path.Combine(SharedFiles.Path("conformance/reference/dataDelivery"), file)))!;
        string version = vector["meta"]!["version"]!.GetValue<string>();
        // The vectors name https://api.clevertap.com; the request goes to the fake instead (127.0.0.1 is allowed).
        string body = vector["input"]!["request"]!["body"]!.ToJsonString().Replace("https://api.clevertap.com", CleverTap.Origin);
        var expected = vector["output"]!["response"]!;

        var answer = await Http.PostAsync(Client, $"/{version}/destinations/clevertap/proxy", body);
        Assert.Equal(expected["status"]!.GetValue<int>(), answer.Status);
        Assert.Equal("2", answer.Header("apiVersion"));
        string? diff = CompareWithoutHeaders(expected["body"]!, answer.Json);
        Assert.True(diff is null, $"{file}\n{diff}\nactual: {answer.Text}");
    }

    [Fact]
    public async Task The_request_is_built_as_axios_builds_it()
    {
        var answer = await Proxy("v0", Request(CleverTap.Origin + "/echo", "acct-echo", """{"d":[{"type":"event","evtName":"E","identity":"i"}]}""", @params: """{"destination":"clevertap","a b":"x&y"}"""));
        Assert.Equal(200, answer.Status);
        var echo = answer.Json["output"]!["destinationResponse"]!["response"]!;
        Assert.Equal("POST", echo["method"]!.GetValue<string>());
        Assert.Equal("?destination=clevertap&a+b=x%26y", echo["query"]!.GetValue<string>());
        var headers = echo["headers"]!;
        Assert.Equal("RudderLabs", headers["user-agent"]!.GetValue<string>());
        Assert.Equal("acct-echo", headers["x-clevertap-account-id"]!.GetValue<string>());
        Assert.Equal("pass-echo", headers["x-clevertap-passcode"]!.GetValue<string>());
        Assert.StartsWith("application/json", headers["content-type"]!.GetValue<string>());
        Assert.Equal("""{"d":[{"type":"event","evtName":"E","identity":"i"}]}""", echo["body"]!.GetValue<string>());
        // destinationResponse.headers: CleverTap's answer headers, names lower-cased (spec §14.11).
        var responseHeaders = answer.Json["output"]!["destinationResponse"]!["headers"]!.AsObject();
        Assert.Contains(responseHeaders, h => h.Key == "content-type");
        Assert.All(responseHeaders, h => Assert.Equal(h.Key.ToLowerInvariant(), h.Key));
    }

    [Fact]
    public async Task The_last_non_empty_body_format_is_sent()
    {
        string request = """
            {"endpoint":"@@CleverTap.Origin@@/echo","method":"POST","headers":{"X-CleverTap-Account-Id":"acct-form"},
             "body":{"JSON":{"ignored":true},"JSON_ARRAY":{},"XML":{},"FORM":{"a":"1 2","b":{"c":3}}},"metadata":{"jobId":1}}
            """.Replace("@@CleverTap.Origin@@", CleverTap.Origin);
        var answer = await Proxy("v0", request);
        var echo = answer.Json["output"]!["destinationResponse"]!["response"]!;
        Assert.Equal("a=1+2&b=%7B%22c%22%3A3%7D", echo["body"]!.GetValue<string>());
        Assert.Equal("application/x-www-form-urlencoded", echo["headers"]!["content-type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/status/500", 500, "retryable", 500)]
    [InlineData("/status/503", 503, "retryable", 503)]
    [InlineData("/status/429", 429, "throttled", 429)]
    [InlineData("/status/401", 401, "aborted", 401)]
    [InlineData("/status/404", 404, "aborted", 400)]
    [InlineData("/text", 400, "aborted", 400)]
    public async Task Failures_are_classified_by_status(string path, int status, string errorType, int httpStatus)
    {
        var answer = await Proxy("v0", Request(CleverTap.Origin + path, "acct-classify"));
        Assert.Equal(httpStatus, answer.Status);
        var output = answer.Json["output"]!;
        Assert.Equal(status, output["status"]!.GetValue<int>());
        Assert.Equal(errorType, output["statTags"]!["errorType"]!.GetValue<string>());
        Assert.Equal("network", output["statTags"]!["errorCategory"]!.GetValue<string>());
        Assert.Equal("dataDelivery", output["statTags"]!["feature"]!.GetValue<string>());
        Assert.Equal("dest-1", output["statTags"]!["destinationId"]!.GetValue<string>());
        int answered = path == "/text" ? 200 : status;
        Assert.Equal($"Request failed  with status: {answered}", output["message"]!.GetValue<string>());
        Assert.Equal(answered, output["destinationResponse"]!["status"]!.GetValue<int>());

        var v1 = await Proxy("v1", Request(CleverTap.Origin + path, "acct-classify", metadataArray: true));
        Assert.Equal(200, v1.Status);
        Assert.Equal(status, v1.Json["output"]!["status"]!.GetValue<int>());
        Assert.Equal(2, v1.Json["output"]!["response"]!.AsArray().Count);
        Assert.All(v1.Json["output"]!["response"]!.AsArray(), r => Assert.Equal(status, r!["statusCode"]!.GetValue<int>()));
    }

    [Fact]
    public async Task An_empty_2xx_answer_is_a_success()
    {
        var answer = await Proxy("v1", Request(CleverTap.Origin + "/empty", "acct-empty", metadataArray: true));
        Assert.Equal(200, answer.Status);
        var output = answer.Json["output"]!;
        Assert.Equal(204, output["status"]!.GetValue<int>());
        Assert.Equal("Request Processed Successfully", output["message"]!.GetValue<string>());
        Assert.Equal("\"\"", output["response"]![0]!["error"]!.GetValue<string>());
        Assert.Null(output["statTags"]);
    }

    [Fact]
    public async Task Connection_refused_maps_to_ECONNREFUSED()
    {
        int closedPort = ClosedPort();
        var answer = await Proxy("v0", Request($"http://127.0.0.1:{closedPort}/1/upload", "acct-refused"));
        Assert.Equal(500, answer.Status);
        var output = answer.Json["output"]!;
        Assert.Equal("Request failed  with status: 500", output["message"]!.GetValue<string>());
        Assert.Equal("[ECONNREFUSED] :: Connection refused", output["destinationResponse"]!["response"]!.GetValue<string>());
        Assert.Equal(500, output["destinationResponse"]!["status"]!.GetValue<int>());
        Assert.Null(output["destinationResponse"]!["headers"]);
        Assert.Equal("retryable", output["statTags"]!["errorType"]!.GetValue<string>());

        var v1 = await Proxy("v1", Request($"http://127.0.0.1:{closedPort}/1/upload", "acct-refused", metadataArray: true));
        Assert.Equal("\"[ECONNREFUSED] :: Connection refused\"", v1.Json["output"]!["response"]![0]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reset_connection_maps_to_ECONNRESET()
    {
        var answer = await Proxy("v0", Request(CleverTap.Origin + "/reset", "acct-reset"));
        Assert.Equal(500, answer.Status);
        Assert.Equal("[ECONNRESET] :: Connection reset by peer", answer.Json["output"]!["destinationResponse"]!["response"]!.GetValue<string>());
    }

    // ------------------------------------------------------------------ D5

    [Theory]
    [InlineData("https://evil.example.com/1/upload", "evil.example.com")]
    [InlineData("https://api.clevertap.com.evil.example.com/1/upload", "api.clevertap.com.evil.example.com")]
    [InlineData("http://api.clevertap.com/1/upload", "api.clevertap.com")]
    [InlineData("https://in1.api.clevertap.com:8443/1/upload", "in1.api.clevertap.com")]
    [InlineData("http://localhost:1/1/upload", "localhost")]
    [InlineData("http://10.1.2.3/1/upload", "10.1.2.3")]
    [InlineData("http://user:secretpw@127.0.0.1:1/1/upload", "127.0.0.1")]
    public async Task Other_hosts_are_refused_without_sending(string endpoint, string host)
    {
        int before = CleverTap.Requests.Count;
        var v0 = await Proxy("v0", Request(endpoint, "acct-d5"));
        Assert.Equal(400, v0.Status);
        var output = v0.Json["output"]!;
        Assert.Equal(400, output["status"]!.GetValue<int>());
        string message = output["message"]!.GetValue<string>();
        Assert.Contains(host, message);
        Assert.DoesNotContain("secretpw", message);
        Assert.Equal("aborted", output["statTags"]!["errorType"]!.GetValue<string>());

        var v1 = await Proxy("v1", Request(endpoint, "acct-d5", metadataArray: true));
        Assert.Equal(200, v1.Status);
        Assert.Equal(400, v1.Json["output"]!["status"]!.GetValue<int>());
        Assert.Equal(message, v1.Json["output"]!["response"]![0]!["error"]!.GetValue<string>());
        Assert.Equal(before, CleverTap.Requests.Count);
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_refused()
    {
        var answer = await Proxy("v0", Request(CleverTap.Origin + "/redirect?to=" + Uri.EscapeDataString("http://evil.example.com/steal"), "acct-redirect"));
        Assert.Equal(400, answer.Status);
        Assert.Contains("evil.example.com", answer.Json["output"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_redirect_to_an_allowed_host_is_followed()
    {
        var answer = await Proxy("v0", Request(CleverTap.Origin + "/redirect?to=" + Uri.EscapeDataString(CleverTap.Origin + "/echo"), "acct-redirect"));
        Assert.Equal(200, answer.Status);
        Assert.Equal("/echo", answer.Json["output"]!["destinationResponse"]!["response"]!["path"]!.GetValue<string>());
    }

    // ------------------------------------------------------------------ D3

    [Fact]
    public async Task The_16th_request_of_an_account_waits_for_a_turn()
    {
        string group = "d3-" + Guid.NewGuid().ToString("N");
        var hold = CleverTap.Hold(group);
        string endpoint = $"{CleverTap.Origin}/hold?group={group}";
        var requests = Enumerable.Range(0, 16).Select(_ => Proxy("v0", Request(endpoint, "acct-d3"))).ToList();

        await WaitUntil(() => hold.Arrived >= 15);
        await Task.Delay(500);
        Assert.Equal(15, hold.Arrived); // the 16th is waiting in Mappings, not at CleverTap
        Assert.Equal(15, hold.InFlight);

        // Another account is not held up by this one.
        var other = Proxy("v0", Request(endpoint, "acct-d3-other"));
        await WaitUntil(() => hold.Arrived >= 16);

        hold.Release();
        var answers = await Task.WhenAll(requests.Append(other));
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Equal(17, hold.Arrived);
        Assert.True(hold.MaxInFlight <= 16, $"at most 15 of acct-d3 plus 1 of the other account at once, saw {hold.MaxInFlight}");
    }

    // ------------------------------------------------------------------ bad bodies

    [Theory]
    [InlineData("v0", "not json")]
    [InlineData("v0", "[]")]
    [InlineData("v0", "\"string\"")]
    [InlineData("v1", """{"endpoint":"https://api.clevertap.com/1/upload","metadata":{"jobId":1}}""")]
    [InlineData("v0", """{"endpoint":"https://api.clevertap.com/1/upload","__proto__":{}}""")]
    public async Task Bodies_of_the_wrong_shape_are_400(string version, string body)
    {
        int before = CleverTap.Requests.Count;
        var answer = await Http.PostAsync(Client, $"/{version}/destinations/clevertap/proxy", body);
        Assert.Equal(400, answer.Status);
        Assert.False(string.IsNullOrEmpty(answer.Json["error"]!.GetValue<string>()));
        Assert.Equal(before, CleverTap.Requests.Count);
    }

    // ------------------------------------------------------------------ helpers

    private Task<Answer> Proxy(string version, string body) => Http.PostAsync(Client, $"/{version}/destinations/clevertap/proxy", body);

    internal static string Request(string endpoint, string account, string json = """{"d":[{"type":"event","evtName":"E","identity":"i"}]}""", string @params = """{"destination":"clevertap"}""", bool metadataArray = false)
    {
        string metadata = """{"jobId":1,"destinationId":"dest-1","workspaceId":"ws-1"}""";
        if (metadataArray) metadata = $$$"""[{{{metadata}}},{"jobId":2,"destinationId":"dest-1","workspaceId":"ws-1"}]""";
        return $$$"""
            {"version":"1","type":"REST","method":"POST","endpoint":{{{JsonValue.Create(endpoint).ToJsonString()}}},
             "headers":{"X-CleverTap-Account-Id":{{{JsonValue.Create(account).ToJsonString()}}},"X-CleverTap-Passcode":"pass-echo","Content-Type":"application/json"},
             "params":{{{@params}}},"body":{"JSON":{{{json}}},"JSON_ARRAY":{},"XML":{},"FORM":{}},"files":{},
             "metadata":{{{metadata}}},"destinationConfig":{}}
            """;
    }

    internal static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    internal static async Task WaitUntil(Func<bool> condition, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached");
            await Task.Delay(20);
        }
    }

    /// <summary>Compares as conformance/README.md says, leaving destinationResponse.headers out (spec §14.11).</summary>
    internal static string? CompareWithoutHeaders(JsonNode expected, JsonNode actual)
    {
        var copy = actual.DeepClone();
        (copy["output"]?["destinationResponse"] as JsonObject)?.Remove("headers");
        return new JsonComparer().CompareValues(Encoding.UTF8.GetBytes(expected.ToJsonString()), Encoding.UTF8.GetBytes(copy.ToJsonString()));
    }
}
