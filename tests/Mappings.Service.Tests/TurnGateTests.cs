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
    public async Task An_already_cancelled_token_throws_when_the_caller_would_wait()
    {
        var gate = new TurnGate(1);
        await gate.WaitAsync(isShort: true, CancellationToken.None).WaitAsync(Guard);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.WaitAsync(isShort: true, new CancellationToken(canceled: true)));
        gate.Release();
        Assert.Equal(1, gate.Free);
    }
}
