using Mappings.Service.Hosting;

namespace Mappings.Service.Tests;

/// <summary>
/// The turns transformations take (<see cref="TurnGate"/>): short work before long work, long work
/// never starved, cancelled waiters skipped. No timing is asserted: a turn that must be given is
/// awaited (with a generous guard against a hang), one that must not is checked not to be.
/// </summary>
public sealed class TurnGateTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Free_turns_are_given_at_once_then_waiters_wait_for_a_release()
    {
        var gate = new TurnGate(2);
        await gate.WaitAsync(isShort: true, CancellationToken.None).WaitAsync(Guard);
        await gate.WaitAsync(isShort: false, CancellationToken.None).WaitAsync(Guard);
        Assert.Equal(0, gate.Free);
        var third = gate.WaitAsync(isShort: true, CancellationToken.None);
        Assert.False(third.IsCompleted);
        gate.Release();
        await third.WaitAsync(Guard);
        gate.Release();
        gate.Release();
        Assert.Equal(2, gate.Free);
    }

    [Fact]
    public async Task Short_work_goes_before_long_work_that_waited_longer()
    {
        var gate = new TurnGate(1);
        await gate.WaitAsync(isShort: false, CancellationToken.None).WaitAsync(Guard);
        var longOne = gate.WaitAsync(isShort: false, CancellationToken.None);
        var shortOne = gate.WaitAsync(isShort: true, CancellationToken.None);
        gate.Release();
        await shortOne.WaitAsync(Guard);
        Assert.False(longOne.IsCompleted);
        gate.Release();
        await longOne.WaitAsync(Guard);
        gate.Release();
        Assert.Equal(1, gate.Free);
    }

    [Fact]
    public async Task Long_work_gets_a_turn_after_a_run_of_short_grants()
    {
        var gate = new TurnGate(1);
        await gate.WaitAsync(isShort: true, CancellationToken.None).WaitAsync(Guard);
        var longOne = gate.WaitAsync(isShort: false, CancellationToken.None);
        var shorts = new List<Task>();
        for (int i = 0; i < TurnGate.ShortInARow + 2; i++) shorts.Add(gate.WaitAsync(isShort: true, CancellationToken.None));

        // Short, short, … (ShortInARow of them), then the long one, then the remaining shorts in order.
        for (int i = 0; i < TurnGate.ShortInARow; i++)
        {
            gate.Release();
            await shorts[i].WaitAsync(Guard);
            Assert.False(longOne.IsCompleted);
            Assert.False(shorts[i + 1].IsCompleted);
        }
        gate.Release();
        await longOne.WaitAsync(Guard);
        Assert.False(shorts[TurnGate.ShortInARow].IsCompleted);
        for (int i = TurnGate.ShortInARow; i < shorts.Count; i++)
        {
            gate.Release();
            await shorts[i].WaitAsync(Guard);
        }
        gate.Release();
        Assert.Equal(1, gate.Free);
    }

    [Fact]
    public async Task A_cancelled_waiter_is_skipped_and_its_turn_goes_on()
    {
        var gate = new TurnGate(1);
        await gate.WaitAsync(isShort: true, CancellationToken.None).WaitAsync(Guard);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.WaitAsync(isShort: true, cancel.Token);
        var next = gate.WaitAsync(isShort: false, CancellationToken.None);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Guard));
        gate.Release();
        await next.WaitAsync(Guard);
        gate.Release();
        Assert.Equal(1, gate.Free);

        // Cancelled while nothing was waiting behind it: the released turn is free again.
        await gate.WaitAsync(isShort: true, CancellationToken.None).WaitAsync(Guard);
        using var cancel2 = new CancellationTokenSource();
        var alone = gate.WaitAsync(isShort: false, cancel2.Token);
        cancel2.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => alone.WaitAsync(Guard));
        gate.Release();
        Assert.Equal(1, gate.Free);
        await gate.WaitAsync(isShort: true, CancellationToken.None).WaitAsync(Guard);
        Assert.Equal(0, gate.Free);
    }

    [Fact]
    public async Task An_already_cancelled_token_takes_no_turn()
    {
        var gate = new TurnGate(1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.WaitAsync(isShort: true, new CancellationToken(canceled: true)));
        Assert.Equal(1, gate.Free);
        await gate.WaitAsync(isShort: true, CancellationToken.None).WaitAsync(Guard);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.WaitAsync(isShort: false, new CancellationToken(canceled: true)));
        gate.Release();
        Assert.Equal(1, gate.Free);
    }

    [Fact]
    public async Task Cancelled_waiters_do_not_pile_up_while_the_turns_are_held()
    {
        var gate = new TurnGate(1);
        await gate.WaitAsync(isShort: true, CancellationToken.None).WaitAsync(Guard);
        for (int i = 0; i < 2000; i++)
        {
            using var cancel = new CancellationTokenSource();
            var waiting = gate.WaitAsync(isShort: i % 2 == 0, cancel.Token);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Guard));
        }
        Assert.InRange(gate.Queued, 0, 2 * 64 + 2);
        gate.Release();
        Assert.Equal(1, gate.Free);
        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public void A_release_without_a_turn_taken_is_an_error()
    {
        var gate = new TurnGate(2);
        Assert.Throws<InvalidOperationException>(() => gate.Release());
        Assert.Equal(2, gate.Free);
    }

    [Fact]
    public async Task A_cancelled_wait_carries_the_callers_token()
    {
        var gate = new TurnGate(1);
        await gate.WaitAsync(isShort: true, CancellationToken.None).WaitAsync(Guard);
        using var cancel = new CancellationTokenSource();
        var waiting = gate.WaitAsync(isShort: true, cancel.Token);
        cancel.Cancel();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Guard));
        Assert.Equal(cancel.Token, e.CancellationToken);
        gate.Release();
    }

    /// <summary>
    /// Many workers at once, short and long, some cancelling while they wait: never more holders
    /// than turns, every turn back at the end, and the queues purged of the cancelled waiters.
    /// </summary>
    [Fact]
    public async Task Under_contention_turns_are_never_exceeded_nor_lost()
    {
        const int turns = 2;
        var gate = new TurnGate(turns);
        int holders = 0;
        int most = 0;
        int granted = 0;
        var workers = new List<Task>();
        for (int w = 0; w < 32; w++)
        {
            int seed = w;
            workers.Add(Task.Run(async () =>
            {
                var random = new Random(seed);
                for (int i = 0; i < 200; i++)
                {
                    using var cancel = new CancellationTokenSource();
                    if (random.Next(4) == 0) cancel.Cancel();
                    else if (random.Next(4) == 0) cancel.CancelAfter(random.Next(2));
                    try
                    {
                        await gate.WaitAsync(isShort: random.Next(2) == 0, cancel.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        continue;
                    }
                    int now = Interlocked.Increment(ref holders);
                    InterlockedMax(ref most, now);
                    Interlocked.Increment(ref granted);
                    if (random.Next(2) == 0) await Task.Yield();
                    Interlocked.Decrement(ref holders);
                    gate.Release();
                }
            }));
        }
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.InRange(most, 1, turns);
        Assert.True(granted > 0);
        Assert.Equal(turns, gate.Free);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen)
        {
            int previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen) return;
            seen = previous;
        }
    }
}
