using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>
/// The deployable build (docs/operations.md, "Building what you deploy"): the documented publish
/// command, run once into a temporary folder; its output starts, answers <c>/health</c> and
/// <c>/metrics</c> on the ports it is given, and its health-probe mode (<c>--health</c>, the
/// Dockerfile's HEALTHCHECK) exits 0 against it and 1 against nothing.
/// </summary>
public sealed class PublishTests
{
    /// <summary>The command of docs/operations.md and the Dockerfile, with the output folder.</summary>
    public static readonly string[] PublishArguments = ["publish", "src/Mappings.Service/Mappings.Service.csproj", "-c", "Release", "-o"];

    [Fact]
    public async Task The_published_service_starts_and_answers_health_and_metrics()
    {
        string output = Path.Combine(Path.GetTempPath(), "mappings-publish-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, log) = await RunAsync(RepositoryRoot(), [.. PublishArguments, output, "--nologo"], TimeSpan.FromMinutes(10));
            Assert.True(code == 0, $"dotnet publish exited {code}:\n{log}");
            Assert.True(File.Exists(Path.Combine(output, "Mappings.Service.dll")));
            // Framework-dependent: the runtime is not in the output.
            Assert.False(File.Exists(Path.Combine(output, "System.Private.CoreLib.dll")));

            int port = FreePort(), metricsPort = FreePort();
            var start = new ProcessStartInfo("dotnet", [Path.Combine(output, "Mappings.Service.dll")])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = output,
            };
            start.Environment["PORT"] = port.ToString();
            start.Environment["METRICS_PORT"] = metricsPort.ToString();
            using var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
                Answer? health = null;
                for (int i = 0; i < 300 && health is null && !process.HasExited; i++)
                {
                    try
                    {
                        health = await Http.GetAsync(client, "/health");
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(100);
                    }
                }
                Assert.NotNull(health);
                Assert.Equal("""{"service":"UP"}""", health.Text);

                using var metricsClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TimeSpan.FromSeconds(10) };
                var metrics = PrometheusText.Parse(await metricsClient.GetStringAsync("/metrics"));
                Assert.Equal(1, metrics.Sum("http_request_duration_count", ("route", "/health"), ("code", "200")));

                // The health-probe mode of the Dockerfile's HEALTHCHECK.
                Assert.Equal(0, (await RunAsync(output, ["Mappings.Service.dll", "--health"], TimeSpan.FromMinutes(1), ("PORT", port.ToString()))).Code);
                Assert.Equal(1, (await RunAsync(output, ["Mappings.Service.dll", "--health"], TimeSpan.FromMinutes(1), ("PORT", FreePort().ToString()))).Code);
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            try
            {
                Directory.Delete(output, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<(int Code, string Log)> RunAsync(string directory, string[] arguments, TimeSpan timeout, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not end within {timeout}:\n{log}");
        }
        lock (log) return (process.ExitCode, log.ToString());
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mappings.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Mappings.sln not found above " + AppContext.BaseDirectory);
    }
}
