using System.Text;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>
/// A request body may start with a UTF-8 byte order mark: the reference's body parser decodes with
/// iconv-lite, which drops it, so every endpoint answers exactly as it answers the body without it
/// (it was a 400 "not valid JSON"). CleverTap's answers are read the same way (axios drops it too).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ByteOrderMarkTests(ServiceFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private const string Item = """{"message":{"type":"identify","userId":"u1","traits":{"email":"a@b.c"},"context":{"device":{"token":"t"},"os":{"name":"android"}}},"metadata":{"jobId":1},"destination":{"ID":"d1","Config":{"accountId":"acc","passcode":"pc"}}}""";

    public static TheoryData<string, string> Bodies() => new()
    {
        { "/v0/destinations/clevertap", "[" + Item + "]" },
        { "/v0/destinations/clevertap", "[" + Item + ",\uFEFF" + Item + "]" },
        { "/routerTransform", """{"input":[""" + Item + """],"destType":"CLEVERTAP"}""" },
        { "/routerTransform", """{"destType":"CLEVERTAP","input":[""" + Item + "]}" },
        { "/batch", """{"input":[""" + Item + """],"destType":"CLEVERTAP"}""" },
        { "/deleteUsers", """[{"destType":"CLEVERTAP","userAttributes":[],"config":{"accountId":"acc","passcode":"pc"}}]""" },
        { "/v0/destinations/clevertap/proxy", "{}" },
        { "/v1/destinations/clevertap/proxy", "{}" },
        { "/v0/destinations/clevertap", "[" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_leading_byte_order_mark_changes_nothing(string path, string body)
    {
        byte[] plain = Encoding.UTF8.GetBytes(body);
        var expected = await Http.PostAsync(Client, path, plain);
        var answer = await Http.PostAsync(Client, path, (byte[])[.. Bom, .. plain]);
        Assert.Equal(expected.Status, answer.Status);
        Assert.Equal(expected.Text, answer.Text);
    }

    [Fact]
    public async Task Only_a_leading_one_is_dropped()
    {
        // A second mark, or one after white space, is text JSON does not allow, as for the reference.
        foreach (byte[] body in new[] { (byte[])[.. Bom, .. Bom, .. "[]"u8], [.. " "u8, .. Bom, .. "[]"u8] })
        {
            var answer = await Http.PostAsync(Client, "/v0/destinations/clevertap", body);
            Assert.Equal(400, answer.Status);
            Assert.StartsWith("The request body is not valid JSON", answer.Json["error"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_CleverTap_answer_that_starts_with_one_is_read_as_JSON_and_only_one_is_dropped()
    {
        var answer = await Http.PostAsync(fixture.Client, "/v0/destinations/clevertap/proxy", DeliveryTests.Request(fixture.CleverTap.Origin + "/bom", "acct-bom"));
        Assert.Equal(200, answer.Status);
        Assert.Equal("success", answer.Json["output"]!["destinationResponse"]!["response"]!["status"]!.GetValue<string>());

        // axios drops one; with a second, JSON.parse fails and the answer is its text (not a success).
        var twice = await Http.PostAsync(fixture.Client, "/v0/destinations/clevertap/proxy", DeliveryTests.Request(fixture.CleverTap.Origin + "/bom2", "acct-bom"));
        Assert.Equal(400, twice.Status);
        Assert.Equal("\uFEFF{\"status\":\"success\",\"processed\":1,\"unprocessed\":[]}", twice.Json["output"]!["destinationResponse"]!["response"]!.GetValue<string>());
    }
}
