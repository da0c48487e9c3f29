using System.Text.Json.Nodes;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>User deletion (spec §9) against the fake CleverTap (CLEVERTAP_BASE_URL points at it).</summary>
[Collection(ServiceCollection.Name)]
public sealed class DeletionTests(ServiceFixture fixture)
{
    private HttpClient Client => fixture.Client;
    private FakeCleverTap CleverTap => fixture.CleverTap;

    public static TheoryData<string> Vectors()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(SharedFiles.Path("conformance/reference/userDeletion"), "*.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Fact]
    public void All_3_deletion_vectors_are_present() =>
        Assert.Equal(3, Directory.GetFiles(SharedFiles.Path("conformance/reference/userDeletion"), "*.json").Length);

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task Reference_deletion_vector_matches(string file)
    {
        var vector = JsonNode.Parse(File.ReadAllText(Path.Combine(SharedFiles.Path("conformance/reference/userDeletion"), file)))!;
        var expected = vector["output"]!["response"]!;
        var answer = await Http.PostAsync(Client, "/deleteUsers", vector["input"]!["request"]!["body"]!.ToJsonString());
        Assert.Equal(expected["status"]!.GetValue<int>(), answer.Status);
        Assert.Null(answer.Header("apiVersion"));
        Assert.Null(new JsonComparer().CompareValues(System.Text.Encoding.UTF8.GetBytes(expected["body"]!.ToJsonString()), answer.Body));
    }

    [Fact]
    public async Task The_failing_vector_stops_after_its_first_batch()
    {
        // 126 ids: the first batch of 100 fails (400), so the second is never sent.
        var vector = JsonNode.Parse(File.ReadAllText(SharedFiles.Path("conformance/reference/userDeletion/02-test-2.json")))!;
        int before = CleverTap.DeletionRequests("testFail").Count;
        await Http.PostAsync(Client, "/deleteUsers", vector["input"]!["request"]!["body"]!.ToJsonString());
        var sent = CleverTap.DeletionRequests("testFail").Skip(before).ToList();
        Assert.Single(sent);
        Assert.Equal(100, JsonNode.Parse(sent[0].Body)!["identity"]!.AsArray().Count);
        Assert.Equal("/1/delete/profiles.json", sent[0].Path);
        Assert.Equal("tofail", sent[0].Header("X-CleverTap-Passcode"));
        Assert.Null(sent[0].Header("User-Agent"));
    }

    [Fact]
    public async Task Ids_go_in_batches_of_100_one_after_another_until_the_first_failure()
    {
        var ok = await Http.PostAsync(Client, "/deleteUsers", Entry("batches-ok", 250).ToJsonString());
        Assert.Equal(200, ok.Status);
        Assert.Equal("""[{"statusCode":200,"status":"successful"}]""", ok.Text);
        var sent = CleverTap.DeletionRequests("batches-ok");
        Assert.Equal(new[] { 100, 100, 50 }, sent.Select(r => JsonNode.Parse(r.Body)!["identity"]!.AsArray().Count));
        Assert.Equal("u0", JsonNode.Parse(sent[0].Body)!["identity"]![0]!.GetValue<string>());
        Assert.Equal("u249", JsonNode.Parse(sent[2].Body)!["identity"]![49]!.GetValue<string>());

        var failing = await Http.PostAsync(Client, "/deleteUsers", Entry("fail-at-2", 250).ToJsonString());
        Assert.Equal(500, failing.Status);
        Assert.Equal("""[{"statusCode":500,"error":"User deletion request failed"}]""", failing.Text);
        Assert.Equal(2, CleverTap.DeletionRequests("fail-at-2").Count);
    }

    [Fact]
    public async Task Entries_answer_in_input_order_and_the_first_decides_the_status()
    {
        var body = new JsonArray(Entry("status-429", 1)[0]!.DeepClone(), Entry("order-ok", 3)[0]!.DeepClone(), Entry("status-401", 2)[0]!.DeepClone());
        var answer = await Http.PostAsync(Client, "/deleteUsers", body.ToJsonString());
        Assert.Equal(429, answer.Status);
        Assert.Equal("""[{"statusCode":429,"error":"User deletion request failed"},{"statusCode":200,"status":"successful"},{"statusCode":401,"error":"User deletion request failed"}]""", answer.Text);
    }

    [Fact]
    public async Task Without_user_ids_nothing_is_sent()
    {
        string body = """[{"destType":"clevertap","userAttributes":[{"email":"a@b.c"},{"userId":""},{"userId":0}],"config":{"accountId":"no-ids","passcode":"p"}}]""";
        var answer = await Http.PostAsync(Client, "/deleteUsers", body);
        Assert.Equal(200, answer.Status);
        Assert.Equal("""[{"statusCode":200,"status":"successful"}]""", answer.Text);
        Assert.Empty(CleverTap.DeletionRequests("no-ids"));
    }

    [Theory]
    [InlineData("""[{"destType":"CLEVERTAP","userAttributes":{},"config":{"accountId":"a","passcode":"p"}}]""", "userAttributes is not an array")]
    [InlineData("""[{"destType":"CLEVERTAP","userAttributes":[]}]""", "The deletion request has no config")]
    [InlineData("""[{"destType":"CLEVERTAP","userAttributes":[],"config":null}]""", "The deletion request has no config")]
    [InlineData("""[{"destType":"CLEVERTAP","userAttributes":[],"config":{"accountId":"a"}}]""", "Project ID and Passcode is required for delete user")]
    [InlineData("""[{"destType":"CLEVERTAP","userAttributes":[null],"config":{"accountId":"a","passcode":"p"}}]""", "userAttributes[0]")]
    [InlineData("""[{"destType":"CLEVERTAP","userAttributes":[],"config":{"accountId":"a","passcode":"p","__proto__":{}}}]""", "Object contains forbidden prototype property")]
    [InlineData("""[5]""", "must be an object")]
    public async Task Bad_entries_fail_with_400(string body, string message)
    {
        var answer = await Http.PostAsync(Client, "/deleteUsers", body);
        Assert.Equal(400, answer.Status);
        var entry = answer.Json[0]!;
        Assert.Equal(400, entry["statusCode"]!.GetValue<int>());
        Assert.Contains(message, entry["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_entry_fails_alone()
    {
        string body = """[{"destType":"CLEVERTAP","userAttributes":[],"config":{"__proto__":{}}},{"destType":"CLEVERTAP","userAttributes":[{"userId":"x"}],"config":{"accountId":"alone-ok","passcode":"p"}}]""";
        var answer = await Http.PostAsync(Client, "/deleteUsers", body);
        Assert.Equal(400, answer.Status);
        Assert.Equal(200, answer.Json[1]!["statusCode"]!.GetValue<int>());
        Assert.Single(CleverTap.DeletionRequests("alone-ok"));
    }

    [Fact]
    public async Task Unknown_destination_is_404_and_nothing_is_sent()
    {
        var body = new JsonArray(Entry("unknown-dest-sibling", 1)[0]!.DeepClone(), new JsonObject { ["destType"] = "AM", ["userAttributes"] = new JsonArray(), ["config"] = new JsonObject() });
        var answer = await Http.PostAsync(Client, "/deleteUsers", body.ToJsonString());
        Assert.Equal(404, answer.Status);
        Assert.Equal("""{"error":"Unknown destination: AM"}""", answer.Text);
        Assert.Empty(CleverTap.DeletionRequests("unknown-dest-sibling"));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("not json")]
    public async Task Bodies_of_the_wrong_shape_are_400(string body)
    {
        var answer = await Http.PostAsync(Client, "/deleteUsers", body);
        Assert.Equal(400, answer.Status);
        Assert.False(string.IsNullOrEmpty(answer.Json["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_empty_request_is_an_empty_answer()
    {
        var answer = await Http.PostAsync(Client, "/deleteUsers", "[]");
        Assert.Equal(200, answer.Status);
        Assert.Equal("[]", answer.Text);
    }

    private static JsonArray Entry(string account, int ids)
    {
        var attributes = new JsonArray();
        for (int i = 0; i < ids; i++) attributes.Add(new JsonObject { ["userId"] = "u" + i, ["email"] = $"u{i}@x.y" });
        return new JsonArray(new JsonObject
        {
            ["destType"] = "CLEVERTAP",
            ["userAttributes"] = attributes,
            ["config"] = new JsonObject { ["accountId"] = account, ["passcode"] = "pc-" + account, ["region"] = "in1" },
        });
    }
}
