
namespace Mappings.Service.Tests;

/// <summary>Memory is given back once large requests have stopped for a while, once per quiet period.</summary>
public sealed class MemoryReliefTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Memory_relief_follows_a_quiet_period_once()
    {
        var time = new Infrastructure.ManualTimeProvider();
        var relief = new Hosting.MemoryRelief(TimeSpan.FromSeconds(2), time);
        var reliefs = new System.Collections.Concurrent.ConcurrentQueue<TimeSpan>();
        relief.OnRelief(() => reliefs.Enqueue(Now(time)));

        relief.LargeBufferReleased();
        time.Advance(TimeSpan.FromSeconds(1.5));
        relief.LargeBufferReleased(); // a burst goes on: the relief waits for it to end
        await AdvanceUntil(time, () => reliefs.Count == 1);

        // Two seconds after the burst's last release, not after its first, and within one step of the clock.
        Assert.InRange(reliefs.Single(), TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(3.5) + Step);
        Assert.Equal(1, relief.Collections);

        var release = Now(time);
        relief.LargeBufferReleased();
        await AdvanceUntil(time, () => reliefs.Count == 2);
        Assert.InRange(reliefs.Last() - release, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2) + Step);

        // Nothing more follows a quiet period once it has been relieved.
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, time.PendingTimers);
        Assert.Equal(2, relief.Collections);
        Assert.Equal(2, reliefs.Count);
    }

    private static TimeSpan Now(Infrastructure.ManualTimeProvider time) => TimeSpan.FromTicks(time.GetTimestamp());

    /// <summary>
    /// Moves the clock a step at a time until <paramref name="done"/>, each step only once the relief
    /// has set its timer again, so the clock never moves while the relief is deciding how long to
    /// wait (a real clock's move then would only delay the relief; this clock would never come back).
    /// </summary>
    private static async Task AdvanceUntil(Infrastructure.ManualTimeProvider time, Func<bool> done)
    {
        for (int steps = 0; ; steps++)
        {
            await DeliveryTests.WaitUntil(() => done() || time.PendingTimers > 0);
            if (done()) return;
            Assert.True(steps < 100, "no relief within 10 s of the clock");
            time.Advance(Step);
        }
    }
}
