using System.Text;
using System.Text.Json.Nodes;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>
/// Request-supplied names in error answers and log lines are cut (D10), log lines cannot be forged,
/// error texts never quote request bytes, and v1 proxy job errors are bounded (D9).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class QuotingTests(ServiceFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private const string Destination = """{"ID":"d1","Config":{"accountId":"acc","passcode":"pc","trackAnonymous":true}}""";

    private static string Json(string s) => JsonValue.Create(s).ToJsonString();

    private static string Error(Answer answer) => answer.Json["error"]!.GetValue<string>();

    [Fact]
    public async Task Unknown_destination_names_are_cut_to_256_characters()
    {
        string name = new('n', 2000);
        string expected = "Unknown destination: " + new string('n', 256) + "…";

        Assert.Equal(expected, Error(await Http.PostAsync(Client, "/v0/destinations/" + name, "[]")));
        Assert.Equal(expected, Error(await Http.PostAsync(Client, "/v1/destinations/" + name + "/proxy", "{}")));
        Assert.Equal(expected, Error(await Http.PostAsync(Client, "/routerTransform", $$"""{"input":[{}],"destType":{{Json(name)}}}""")));
        Assert.Equal(expected, Error(await Http.PostAsync(Client, "/batch", $$"""{"input":[{}],"destType":{{Json(name)}}}""")));
        Assert.Equal(expected, Error(await Http.PostAsync(Client, "/deleteUsers", $$$"""[{"destType":{{{Json(name)}}},"userAttributes":[],"config":{}}]""")));

        // Up to 256 characters, the name is quoted whole.
        string exact = new('e', 256);
        Assert.Equal("Unknown destination: " + exact, Error(await Http.PostAsync(Client, "/routerTransform", $$"""{"input":[{}],"destType":{{Json(exact)}}}""")));
    }

    /// <summary>
    /// A destType that is not a string is named by JavaScript's String of it, but only as far as it
    /// is quoted: a body of a million <c>{}</c> (or of many destType members) is not turned into
    /// text whole (it was, once per member, before the router's answer). The router's scan reads a
    /// value into a heap only up to 64 KiB of its text, and names a larger one by its text.
    /// </summary>
    [Fact]
    public async Task A_huge_destType_that_is_not_a_string_is_named_only_as_far_as_quoted()
    {
        string objects = "[" + string.Join(",", Enumerable.Repeat("{}", 1_000_000)) + "]";
        string expected = "Unknown destination: " + string.Concat(Enumerable.Repeat("[object Object],", 17))[..256] + "…";
        Assert.Equal("Unknown destination: " + objects[..256] + "…", Error(await Http.PostAsync(Client, "/routerTransform", """{"input":[{}],"destType":""" + objects + "}")));
        Assert.Equal("Unknown destination: " + objects[..256] + "…", Error(await Http.PostAsync(Client, "/routerTransform", """{"destType":""" + objects + ""","input":[{}],"x":1}""")));
        string small = "[" + string.Join(",", Enumerable.Repeat("{}", 20_000)) + "]";
        Assert.Equal(expected, Error(await Http.PostAsync(Client, "/routerTransform", """{"input":[{}],"destType":""" + small + "}")));
        Assert.Equal(expected, Error(await Http.PostAsync(Client, "/batch", """{"input":[{}],"destType":""" + objects + "}")));
        Assert.Equal(expected, Error(await Http.PostAsync(Client, "/deleteUsers", """[{"destType":""" + objects + ""","userAttributes":[],"config":{}}]""")));

        // A name built only as far as it is quoted still shows it was cut, whatever its characters.
        string wide = new string('€', 256) + "😀";
        foreach (string destType in new[] { Json(wide), "[" + Json(wide) + "]" })
        {
            string cut = "Unknown destination: " + new string('€', 256) + "…";
            Assert.Equal(cut, Error(await Http.PostAsync(Client, "/routerTransform", """{"input":[{}],"destType":""" + destType + "}")));
            Assert.Equal(cut, Error(await Http.PostAsync(Client, "/batch", """{"input":[{}],"destType":""" + destType + "}")));
            Assert.Equal(cut, Error(await Http.PostAsync(Client, "/deleteUsers", """[{"destType":""" + destType + ""","userAttributes":[],"config":{}}]""")));
        }

        // JSON.parse keeps the last of repeated members.
        string repeated = "{" + string.Concat(Enumerable.Repeat("\"destType\":[1,{}],", 200_000)) + "\"destType\":[2],\"input\":[{}],\"x\":1}";
        Assert.Equal("Unknown destination: 2", Error(await Http.PostAsync(Client, "/routerTransform", repeated)));
    }

    /// <summary>
    /// A name with an escaped lone surrogate (valid JSON; JavaScript keeps the code unit) is quoted
    /// as JSON.stringify writes it, and such a key beside <c>input</c> is just another member: both
    /// were answered 500 by the router (the destType scan threw), and the batch and deletion answers
    /// replaced the surrogate with three U+FFFD.
    /// </summary>
    [Fact]
    public async Task Lone_surrogates_in_names_and_keys_are_text_like_any_other()
    {
        const string Expected = """{"error":"Unknown destination: \udc00x"}""";
        Assert.Equal(Expected, (await Http.PostAsync(Client, "/routerTransform", """{"input":[{}],"destType":"\udc00x"}""")).Text);
        Assert.Equal(Expected, (await Http.PostAsync(Client, "/routerTransform", """{"destType":"\udc00x","input":[{}],"x":1}""")).Text);
        Assert.Equal(Expected, (await Http.PostAsync(Client, "/batch", """{"input":[{}],"destType":"\udc00x"}""")).Text);
        Assert.Equal(Expected, (await Http.PostAsync(Client, "/deleteUsers", """[{"destType":"\udc00x","userAttributes":[],"config":{}}]""")).Text);

        string input = $$"""{"message":{"type":"track","event":"e","userId":"u"},"metadata":{"jobId":1},"destination":{{Destination}}}""";
        var plain = await Http.PostAsync(Client, "/routerTransform", $$"""{"input":[{{input}}],"destType":"CLEVERTAP"}""");
        Assert.Equal(200, plain.Status);
        foreach (string body in new[]
        {
            $$"""{"\udc00":1,"input":[{{input}}],"destType":"CLEVERTAP"}""",
            $$"""{"input":[{{input}}],"destType":"CLEVERTAP","\ud800":"\udc00"}""",
            $$"""{"destType":"CLEVERTAP","\udc00":1,"input":[{{input}}],"x":1}""",
        })
        {
            var answer = await Http.PostAsync(Client, "/routerTransform", body);
            Assert.Equal(plain.Text, answer.Text);
        }
    }

    [Fact]
    public async Task A_batch_destType_is_cut_in_does_not_implement_batch()
    {
        // Matched after trimming, so a long destType can still be CleverTap's.
        string destType = new string(' ', 100_000) + "clevertap";
        var answer = await Http.PostAsync(Client, "/batch", """{"input":[{"message":{},"metadata":{"jobId":1}}],"destType":""" + Json(destType) + "}");
        Assert.Equal(200, answer.Status);
        Assert.Equal(new string(' ', 256) + "… does not implement batch", answer.Json[0]!["error"]!.GetValue<string>());

        var plain = await Http.PostAsync(Client, "/batch", """{"input":[{"message":{},"metadata":{"jobId":1}}],"destType":"CLEVERTAP"}""");
        Assert.Equal("CLEVERTAP does not implement batch", plain.Json[0]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Other_paths_are_cut_in_not_found_answers()
    {
        var answer = await Http.PostAsync(Client, "/x/" + new string('p', 1000), "{}");
        Assert.Equal(404, answer.Status);
        Assert.Equal("Not found: POST /x/" + new string('p', 253) + "…", Error(answer));
    }

    [Fact]
    public async Task No_request_can_forge_or_flood_a_log_line()
    {
        string marker = "forged-" + Guid.NewGuid().ToString("N");
        string prefix = $"EVIL\r\nInformation Mappings.Service[1] {marker} \u001b[31m";
        string destType = prefix + new string('z', 5000);
        await Http.PostAsync(Client, "/routerTransform", $$"""{"input":[{}],"destType":{{Json(destType)}}}""");
        await Http.PostAsync(Client, "/v0/destinations/" + Uri.EscapeDataString($"EVIL\n{marker}"), "[]");

        // The service's own lines (the test captures every category at every level; ASP.NET Core's
        // below Warning quote request paths as they came: docs/operations.md, "Logs").
        var lines = fixture.Service.Logs.Lines.Where(l => l.Contains(" Mappings.Service[", StringComparison.Ordinal) && l.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 2, string.Join("\n", lines));
        Assert.All(lines, line =>
        {
            Assert.DoesNotContain(line.TrimEnd(), c => c < ' ');
            Assert.Contains("EVIL\\", line);
            Assert.True(line.Length < 1000, line);
        });
        Assert.Contains(lines, l => l.Contains($"EVIL\\r\\nInformation Mappings.Service[1] {marker} \\u001B[31m" + new string('z', 256 - prefix.Length) + "…\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_errors_give_a_position_and_never_the_offending_text()
    {
        const string Secret = "TOP-SECRET-PASSCODE-4711";
        foreach (string path in new[] { "/v0/destinations/clevertap", "/routerTransform", "/deleteUsers", "/v0/destinations/clevertap/proxy", "/v1/destinations/clevertap/proxy", "/batch" })
        {
            // System.Text.Json would quote the literal: "'tTOP-SECRET…' is an invalid JSON literal".
            var answer = await Http.PostAsync(Client, path, """{"config":{"passcode": t""" + Secret + "}}");
            Assert.Equal(400, answer.Status);
            Assert.Matches(@"^The request body is not valid JSON \(line 1, byte \d+\)$", Error(answer));
        }
    }

    [Theory]
    [InlineData("products")]
    [InlineData("Items")]
    public async Task An_invalid_products_string_is_named_not_quoted(string field)
    {
        const string Secret = "SECRET-PRODUCT-NAME";
        string body = """[{"message":{"type":"track","event":"order completed","userId":"u2","properties":{""" + Json(field) + ":" + Json("[{\"name\":\"" + Secret + "\" tSECRET}]") + """}},"metadata":{"jobId":1},"destination":""" + Destination + "}]";
        var answer = await Http.PostAsync(Client, "/v0/destinations/clevertap", body);
        Assert.Equal(200, answer.Status);
        string error = answer.Json[0]!["error"]!.GetValue<string>();
        Assert.Matches(@"^properties\.products \(or properties\.Items\) is a string that is not valid JSON \(line 1, byte \d+\)$", error);
        Assert.DoesNotContain("SECRET", answer.Text);
    }

    [Fact]
    public async Task A_large_CleverTap_answer_for_1000_jobs_is_cut_in_every_job_error()
    {
        string metadata = "[" + string.Join(",", Enumerable.Range(1, 1000).Select(i => $$"""{"jobId":{{i}},"destinationId":"dest-1","workspaceId":"ws-1"}""")) + "]";
        string request = DeliveryTests.Request(fixture.CleverTap.Origin + "/partial?records=10000", "acct-partial")
            .Replace("""{"jobId":1,"destinationId":"dest-1","workspaceId":"ws-1"}""", metadata);
        var answer = await Http.PostAsync(Client, "/v1/destinations/clevertap/proxy", request);

        Assert.Equal(200, answer.Status);
        var output = answer.Json["output"]!;
        Assert.Equal("Request failed  with status: 200", output["message"]!.GetValue<string>());
        Assert.Equal(400, output["status"]!.GetValue<int>());
        Assert.Equal("aborted", output["statTags"]!["errorType"]!.GetValue<string>());
        var jobs = output["response"]!.AsArray();
        Assert.Equal(1000, jobs.Count);
        string first = jobs[0]!["error"]!.GetValue<string>();
        Assert.True(first.Length is 16_383 or 16_384, $"{first.Length} characters");
        Assert.StartsWith("""{"status":"partial","processed":0,"unprocessed":[{"status":"fail","code":509,"error":"Invalid identity: profile 😀 \"0\" was not found",""", first);
        Assert.EndsWith("…(truncated)", first);
        for (int i = 0; i < jobs.Count; i++)
        {
            Assert.Equal(first, jobs[i]!["error"]!.GetValue<string>());
            Assert.Equal(400, jobs[i]!["statusCode"]!.GetValue<int>());
            Assert.Equal(i + 1, jobs[i]!["metadata"]!["jobId"]!.GetValue<int>());
        }
        Assert.InRange(answer.Body.Length, 1000 * 16_384, 1000 * 16_384 * 2);
    }
}
