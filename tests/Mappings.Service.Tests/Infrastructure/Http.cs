using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Mappings.Service.Tests.Infrastructure;

/// <summary>An HTTP answer read whole.</summary>
public sealed record Answer(int Status, byte[] Body, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidDataException("null body");

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) || ContentHeaders.TryGetValues(name, out values) ? string.Join(",", values) : null;

    public override string ToString() => $"{Status} {Text}";
}

/// <summary>Small helpers for calling the service.</summary>
public static class Http
{
    public static Task<Answer> PostAsync(HttpClient client, string path, string body, params (string Name, string Value)[] headers) =>
        PostAsync(client, path, Encoding.UTF8.GetBytes(body), headers);

    public static async Task<Answer> PostAsync(HttpClient client, string path, ReadOnlyMemory<byte> body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return await SendAsync(client, request);
    }

    public static async Task<Answer> GetAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(client, request);
    }

    public static async Task<Answer> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        return new Answer((int)response.StatusCode, body, response.Headers, response.Content.Headers);
    }

    /// <summary>The service answers its health check.</summary>
    public static async Task AssertHealthyAsync(HttpClient client)
    {
        var answer = await GetAsync(client, "/health");
        Assert.Equal(200, answer.Status);
        Assert.Equal("""{"service":"UP"}""", answer.Text);
    }
}
