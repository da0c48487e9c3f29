
namespace Mappings.Service.Tests;

/// <summary>Memory is given back once large requests have stopped for a while, once per quiet period.</summary>
public sealed class MemoryReliefTests
{
    [Fact]
    public async Task Memory_relief_follows_a_quiet_period_once()
    {
        var time = new Infrastructure.ManualTimeProvider();
        var relief = new Hosting.MemoryRelief(TimeSpan.FromSeconds(2), time);
        int trims = 0;
        relief.OnRelief(() => Interlocked.Increment(ref trims));

        relief.LargeBufferReleased();
        time.Advance(TimeSpan.FromSeconds(1.5));
        relief.LargeBufferReleased(); // a burst goes on: the relief waits for it to end
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(50);
        Assert.Equal(0, relief.Collections);

        time.Advance(TimeSpan.FromSeconds(1));
        await DeliveryTests.WaitUntil(() => relief.Collections == 1 && Volatile.Read(ref trims) == 1);

        relief.LargeBufferReleased();
        time.Advance(TimeSpan.FromSeconds(2));
        await DeliveryTests.WaitUntil(() => relief.Collections == 2 && Volatile.Read(ref trims) == 2);
    }
}
