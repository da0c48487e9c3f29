using System.Net.Sockets;
using System.Text;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>
/// Clients that stop reading their answer are cut off by Kestrel's minimum response data rate
/// (answers are handed over a piece at a time, so the rate counts what the client took), and hold
/// no turn meanwhile; a request body that arrives too slowly is answered 408. Raw sockets; the
/// service runs with small rates and grace periods so that this stays quick.
/// </summary>
public sealed class SlowClientTests
{
    /// <summary>A 2 KB processor request whose answer is about 5 bytes per array element of <paramref name="elements"/> (a path write to a large index).</summary>
    internal static byte[] BigAnswerBody(int elements, int padding = 0) => Encoding.UTF8.GetBytes(
        "[{\"message\":{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"x." + elements + "\":1}},\"metadata\":{\"jobId\":1},"
        + "\"destination\":{\"ID\":\"d1\",\"Config\":{\"accountId\":\"acc\",\"passcode\":\"pc\",\"region\":\"sg1\"}}}"
        + new string(' ', padding) + "]");

    private static byte[] Post(string path, byte[] body) =>
        [.. Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"), .. body];

    /// <summary>Connects with a small receive buffer and sends the request; the caller does not read.</summary>
    private static async Task<Socket> SendAndStallAsync(Uri address, byte[] request)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 16 * 1024 };
        await socket.ConnectAsync(address.Host, address.Port);
        // A guard only: a body the service does not read (it waits for a turn) would block here.
        await socket.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(60));
        return socket;
    }

    /// <summary>Linux TCP_INFO: the connection's state without reading from it (1 = established).</summary>
    private static int TcpState(Socket socket)
    {
        byte[] info = new byte[8];
        socket.GetRawSocketOption(6 /* IPPROTO_TCP */, 11 /* TCP_INFO */, info);
        return info[0];
    }

    private static async Task<long> ReadAllAsync(Socket socket)
    {
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, guard.Token);
                if (n == 0) break;
                total += n;
            }
        }
        catch (SocketException)
        {
            // Reset: the server let the connection go.
        }
        return total;
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_disconnected()
    {
        if (!OperatingSystem.IsLinux()) return; // TCP_INFO
        await using var service = await ServiceInstance.StartAsync(new ServiceOptions
        {
            MinResponseBytesPerSecond = 512 * 1024,
            MinResponseGrace = TimeSpan.FromSeconds(1.5),
        });
        byte[] body = BigAnswerBody(8_000_000); // a 40 MB answer
        using var stalled = await SendAndStallAsync(service.Address, Post("/v0/destinations/clevertap", body));

        // What the socket buffers took (a few MB) at 512 KiB/s, after the grace period: seconds.
        // Had the answer been handed to Kestrel whole, it would allow 40 MB / 512 KiB/s = 78 s.
        await DeliveryTests.WaitUntil(() => TcpState(stalled) != 1, seconds: 60);
        long received = await ReadAllAsync(stalled);
        Assert.InRange(received, 0, 40_000_000 - 1); // cut short: never the whole answer

        await Http.AssertHealthyAsync(service.Client);
        var answer = await Http.PostAsync(service.Client, "/v0/destinations/clevertap", ProcessorTests.ReferenceBody("00-test-0.json"));
        Assert.Equal(200, answer.Status);
    }

    [Fact]
    public async Task A_client_that_stops_reading_holds_no_turn()
    {
        if (!OperatingSystem.IsLinux()) return; // TCP_INFO
        // Kestrel's default rate: these stalled clients are not cut off during the test.
        await using var service = await ServiceInstance.StartAsync(new ServiceOptions { MinResponseBytesPerSecond = 240 });
        // Bodies of 16 MiB and more are transformed one at a time: the large-body turn. The stalled
        // clients' bodies are large, and so are their answers.
        byte[] large = BigAnswerBody(4_000_000, padding: 17 * 1024 * 1024);
        var stalled = new List<Socket>();
        for (int i = 0; i < Environment.ProcessorCount + 1; i++) stalled.Add(await SendAndStallAsync(service.Address, Post("/v0/destinations/clevertap", large)));
        try
        {
            // Another large request and a small one are answered while those clients still hold their connections.
            var answer = await Http.PostAsync(service.Client, "/routerTransform", Encoding.UTF8.GetBytes(
                "{\"input\":[]," + new string(' ', 17 * 1024 * 1024) + "\"destType\":\"CLEVERTAP\"}"));
            Assert.Equal(200, answer.Status);
            var small = await Http.PostAsync(service.Client, "/v0/destinations/clevertap", ProcessorTests.ReferenceBody("00-test-0.json"));
            Assert.Equal(200, small.Status);
            Assert.All(stalled, s => Assert.Equal(1, TcpState(s)));
        }
        finally
        {
            foreach (var s in stalled) s.Dispose();
        }
    }

    [Theory]
    [InlineData("/v0/destinations/clevertap", false)]
    [InlineData("/v0/destinations/am", true)] // streamed on to the upstream transformer as it arrives
    public async Task A_body_that_arrives_too_slowly_is_408_saying_so(string path, bool upstream)
    {
        await using var other = await FakeUpstream.StartAsync();
        await using var service = await ServiceInstance.StartAsync(new ServiceOptions
        {
            MinRequestBodyBytesPerSecond = 1000,
            MinRequestBodyGrace = TimeSpan.FromSeconds(1.5),
            UpstreamTransformerUrl = upstream ? other.Address : null,
        });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(service.Address.Host, service.Address.Port);
        // 100 KB announced, 10 bytes sent, then nothing.
        await socket.SendAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[{{\"message\""));

        var response = new MemoryStream();
        byte[] buffer = new byte[4096];
        using (var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            try
            {
                while (true)
                {
                    int n = await socket.ReceiveAsync(buffer, SocketFlags.None, guard.Token);
                    if (n == 0) break;
                    response.Write(buffer, 0, n);
                    if (Encoding.ASCII.GetString(response.ToArray()).Contains("}", StringComparison.Ordinal)) break;
                }
            }
            catch (SocketException)
            {
            }
        }
        string text = Encoding.UTF8.GetString(response.ToArray());
        Assert.StartsWith("HTTP/1.1 408", text);
        Assert.Contains("""{"error":"Timed out reading the request body: it arrived slower than 1000 bytes/s (after the first 1.5 s)"}""", text);
        Assert.Contains(service.Logs.Lines, l => l.Contains("arrived too slowly: answered 408", StringComparison.Ordinal));
    }
}
