namespace Mappings.Service;

/// <summary>
/// <c>Mappings.Service --health</c>: asks the service running in this container (<c>PORT</c> on
/// the loopback interface) for <c>GET /health</c> and exits 0 when it answers
/// <c>{"service":"UP"}</c>, 1 otherwise. For a Docker <c>HEALTHCHECK</c> (the runtime image has no
/// curl); an orchestrator's HTTP probe on <c>/health</c> does the same without it.
/// </summary>
internal static class HealthProbe
{
    public static async Task<int> RunAsync(ServiceOptions options, TextWriter error)
    {
        int port = options.Port == 0 ? ServiceOptions.DefaultPort : options.Port;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync($"http://127.0.0.1:{port}/health").ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.IsSuccessStatusCode && body.Contains("\"UP\"", StringComparison.Ordinal)) return 0;
            await error.WriteLineAsync($"mappings service: /health answered {(int)response.StatusCode}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"mappings service: /health on port {port} did not answer ({e.GetType().Name})").ConfigureAwait(false);
        }
        return 1;
    }
}
