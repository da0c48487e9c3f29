using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>
/// SIGTERM: the service process stops accepting, answers the requests in flight (deliveries still
/// hung on CleverTap as timeouts, a few seconds before the shutdown timeout) and exits.
/// </summary>
public sealed partial class ShutdownTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigTerm = 15;

    [GeneratedRegex(@"listening on .*, port (\d+);")]
    private static partial Regex ListeningPort();

    [Fact]
    public async Task On_SIGTERM_deliveries_hung_on_CleverTap_get_complete_retryable_answers_and_the_process_exits()
    {
        if (!OperatingSystem.IsLinux()) return;
        await using var cleverTap = await FakeCleverTap.StartAsync();
        string group = "shutdown-" + Guid.NewGuid().ToString("N");
        var hold = cleverTap.Hold(group);

        string dll = Path.Combine(AppContext.BaseDirectory, "Mappings.Service.dll");
        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["PORT"] = "0";
        start.Environment["METRICS_PORT"] = "0"; // a free port: never the default 9091 another process may hold
        start.Environment["PROXY_ALLOWED_HOSTS"] = "127.0.0.1";
        start.Environment["SHUTDOWN_TIMEOUT_MS"] = "4000"; // deliveries answered after 3.2 s
        start.Environment["REQUEST_TIMEOUT_IN_MS"] = "120000";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        using var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            if (ListeningPort().Match(e.Data) is { Success: true } m) port.TrySetResult(int.Parse(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) output.Enqueue(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{await port.Task.WaitAsync(TimeSpan.FromSeconds(60))}"), Timeout = TimeSpan.FromSeconds(60) };
            string endpoint = $"{cleverTap.Origin}/hold?group={group}";
            var v0a = Http.PostAsync(client, "/v0/destinations/clevertap/proxy", DeliveryTests.Request(endpoint, "acct-a"));
            var v0b = Http.PostAsync(client, "/v0/destinations/clevertap/proxy", DeliveryTests.Request(endpoint, "acct-b"));
            var v1 = Http.PostAsync(client, "/v1/destinations/clevertap/proxy", DeliveryTests.Request(endpoint, "acct-c", metadataArray: true));
            await DeliveryTests.WaitUntil(() => hold.Arrived == 3, seconds: 60);

            Assert.Equal(0, kill(process.Id, SigTerm));

            foreach (var answer in new[] { await v0a, await v0b })
            {
                Assert.Equal(500, answer.Status);
                var o = answer.Json["output"]!;
                Assert.Equal("[ECONNABORTED] :: Connection aborted", o["destinationResponse"]!["response"]!.GetValue<string>());
                Assert.Equal("retryable", o["statTags"]!["errorType"]!.GetValue<string>());
            }
            var batch = await v1;
            Assert.Equal(200, batch.Status);
            Assert.Equal(500, batch.Json["output"]!["response"]![0]!["statusCode"]!.GetValue<int>());
            Assert.Equal("\"[ECONNABORTED] :: Connection aborted\"", batch.Json["output"]!["response"]![0]!["error"]!.GetValue<string>());

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(45));
            await process.WaitForExitAsync(exit.Token);
            Assert.True(process.ExitCode == 0, string.Join("\n", output));
            Assert.Contains(output, l => l.Contains("Stopping: no new connections", StringComparison.Ordinal));
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
