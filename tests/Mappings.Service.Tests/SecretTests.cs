using Mappings.CleverTap.Delivery;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>The passcode never appears in logs or in error texts, whatever goes wrong.</summary>
public sealed class SecretTests : IAsyncLifetime
{
    private const string Passcode = "TOP-SECRET-PASSCODE-4711";
    private FakeCleverTap _cleverTap = null!;
    private ServiceInstance _service = null!;

    public async Task InitializeAsync()
    {
        _cleverTap = await FakeCleverTap.StartAsync();
        _service = await ServiceInstance.StartAsync(new ServiceOptions
        {
            Delivery = new DeliveryOptions { AllowedHosts = ["127.0.0.1"], DeletionBaseUrl = new Uri(_cleverTap.Origin), Timeout = TimeSpan.FromSeconds(1) },
        });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _cleverTap.DisposeAsync();
    }

    [Fact]
    public async Task The_passcode_stays_out_of_logs_and_errors()
    {
        int closed = DeliveryTests.ClosedPort();
        string[] endpoints =
        [
            "https://evil.example.com/1/upload",
            $"http://user:{Passcode}@127.0.0.1:{closed}/",
            $"http://127.0.0.1:{closed}/1/upload",
            _cleverTap.Origin + "/slow",
            _cleverTap.Origin + "/status/401",
            _cleverTap.Origin + "/reset",
            "not a url " + Passcode,
        ];
        var errorTexts = new List<string>();
        foreach (string endpoint in endpoints)
        {
            foreach (string version in new[] { "v0", "v1" })
            {
                string request = DeliveryTests.Request(endpoint, "acct-secret", metadataArray: version == "v1").Replace("pass-echo", Passcode);
                var answer = await Http.PostAsync(_service.Client, $"/{version}/destinations/clevertap/proxy", request);
                var output = answer.Json["output"]!;
                errorTexts.Add(output["message"]!.GetValue<string>());
                errorTexts.Add(output["destinationResponse"]?["response"]?.ToJsonString() ?? "");
                errorTexts.Add(output["response"]?[0]?["error"]?.GetValue<string>() ?? "");
            }
        }

        // A header value Node would refuse (a line break), next to the passcode.
        string badHeader = DeliveryTests.Request(_cleverTap.Origin + "/echo", "acct-secret").Replace("\"pass-echo\"", $"\"{Passcode}\",\"X-Bad\":\"a\\r\\nb {Passcode}\"");
        var refused = await Http.PostAsync(_service.Client, "/v0/destinations/clevertap/proxy", badHeader);
        Assert.Equal(400, refused.Status);
        Assert.Equal("[ERR_INVALID_CHAR]", refused.Json["output"]!["destinationResponse"]!["response"]!.GetValue<string>());
        errorTexts.Add(refused.Text);

        // Bodies that are not JSON, with the passcode in them (System.Text.Json's own messages quote
        // an invalid literal whole: "'tTOP-SECRET…' is an invalid JSON literal").
        foreach (string path in new[] { "/v0/destinations/clevertap", "/routerTransform", "/deleteUsers", "/v0/destinations/clevertap/proxy", "/v1/destinations/clevertap/proxy", "/batch" })
        {
            foreach (string body in new[] { $"{{\"passcode\":\"{Passcode}\" oops", $"{{\"config\":{{\"passcode\": t{Passcode}}}}}", $"[{{\"config\":{{\"passcode\": n{Passcode}}}}}]" })
            {
                var answer = await Http.PostAsync(_service.Client, path, body);
                Assert.Equal(400, answer.Status);
                errorTexts.Add(answer.Text);
            }
        }

        // Failed deletions.
        var deletion = await Http.PostAsync(_service.Client, "/deleteUsers", $$$"""[{"destType":"CLEVERTAP","userAttributes":[{"userId":"u"}],"config":{"accountId":"status-500","passcode":"{{{Passcode}}}","region":"bad/{{{Passcode}}}"}}]""");
        errorTexts.Add(deletion.Text);

        Assert.All(errorTexts, text => Assert.DoesNotContain(Passcode, text));
        Assert.NotEmpty(_service.Logs.Lines);
        Assert.All(_service.Logs.Lines, line => Assert.DoesNotContain(Passcode, line));
        await Http.AssertHealthyAsync(_service.Client);
    }
}
