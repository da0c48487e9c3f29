using System.Net;
using Mappings.CleverTap.Delivery;
using Mappings.Runtime.Http;
using Mappings.Service.Tests.Infrastructure;

namespace Mappings.Service.Tests;

/// <summary>
/// D3's wait counts toward <c>REQUEST_TIMEOUT_IN_MS</c>: a request whose turn comes when (almost)
/// all of its time is spent is answered as a timeout and never sent to CleverTap.
/// </summary>
public sealed class DeliveryBudgetTests
{
    private static readonly DeliveryHostPolicy Policy = new(["gateway.test", "127.0.0.1"]);

    private static OutgoingRequest Request(string url, string account) =>
        new() { Method = "POST", Url = new Uri(url), Account = account, Body = "{}"u8.ToArray() };

    /// <summary>A CleverTap that counts what it receives and answers only when released.</summary>
    private sealed class HeldHandler : HttpMessageHandler
    {
        private int _sent;
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Sent => Volatile.Read(ref _sent);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            await Release.Task.WaitAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"status":"success"}""") };
        }
    }

    [Theory]
    [InlineData(60_000, 1_000)]
    [InlineData(10_000, 1_000)]
    [InlineData(2_000, 200)]
    [InlineData(300, 30)]
    public void The_least_time_to_send_is_a_tenth_of_the_timeout_at_most_a_second(int timeoutMs, int expectedMs)
    {
        using var client = new DeliveryClient(new DeliveryOptions { Timeout = TimeSpan.FromMilliseconds(timeoutMs) });
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), client.MinimumTimeToSend);
    }

    [Fact]
    public async Task A_request_whose_turn_comes_with_its_time_spent_is_answered_as_a_timeout_and_not_sent()
    {
        var time = new ManualTimeProvider();
        var cleverTap = new HeldHandler();
        using var client = new DeliveryClient(new DeliveryOptions { Timeout = TimeSpan.FromSeconds(10), MaxConcurrentPerAccount = 1 }, cleverTap, time);

        var first = client.SendAsync(Request("http://gateway.test/1/upload", "acct"), Policy, CancellationToken.None);
        await DeliveryTests.WaitUntil(() => cleverTap.Sent == 1);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var second = client.SendAsync(Request("http://gateway.test/1/upload", "acct"), Policy, CancellationToken.None);
        Assert.False(second.IsCompleted); // waiting for the account's only turn

        // The first request's time runs out while CleverTap hangs: its turn goes to the second,
        // which has 1 ms of its 10 s left.
        time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));
        var firstResult = await first.WaitAsync(TimeSpan.FromSeconds(30));
        var secondResult = await second.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TransportFailure.Aborted, firstResult.Failure);
        Assert.Equal(TransportFailure.Aborted, secondResult.Failure);
        Assert.Equal(1, cleverTap.Sent);
        Assert.Equal(0, client.Gates.InFlight("acct"));
    }

    [Fact]
    public async Task A_request_whose_turn_comes_in_time_is_sent()
    {
        var time = new ManualTimeProvider();
        var cleverTap = new HeldHandler();
        using var client = new DeliveryClient(new DeliveryOptions { Timeout = TimeSpan.FromSeconds(10), MaxConcurrentPerAccount = 1 }, cleverTap, time);

        var first = client.SendAsync(Request("http://gateway.test/1/upload", "acct"), Policy, CancellationToken.None);
        await DeliveryTests.WaitUntil(() => cleverTap.Sent == 1);
        var second = client.SendAsync(Request("http://gateway.test/1/upload", "acct"), Policy, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(8.9)); // 1.1 s left when CleverTap answers the first
        cleverTap.Release.SetResult();

        Assert.Equal(200, (await first.WaitAsync(TimeSpan.FromSeconds(30))).Status);
        Assert.Equal(200, (await second.WaitAsync(TimeSpan.FromSeconds(30))).Status);
        Assert.Equal(2, cleverTap.Sent);
    }

    [Fact]
    public async Task Thirty_deliveries_for_a_hung_account_send_at_most_its_fifteen_turns()
    {
        await using var fake = await FakeCleverTap.StartAsync();
        string group = "hung-" + Guid.NewGuid().ToString("N");
        var hold = fake.Hold(group);
        using var client = new DeliveryClient(new DeliveryOptions { Timeout = TimeSpan.FromSeconds(2), MaxConcurrentPerAccount = 15 });

        var sends = Enumerable.Range(0, 30)
            .Select(_ => client.SendAsync(Request($"{fake.Origin}/hold?group={group}", "acct-hung"), Policy, CancellationToken.None))
            .ToList();
        var results = await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(results, r => Assert.Equal(TransportFailure.Aborted, r.Failure));
        Assert.InRange(hold.Arrived, 0, 15);
        Assert.Equal(0, client.Gates.InFlight("acct-hung"));
    }
}
