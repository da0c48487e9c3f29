namespace Mappings.Service.Hosting;

/// <summary>
/// A fixed number of turns (one per core) for synchronous transformations, handed out in two
/// classes: short work (processor requests with bodies under 4 MiB: typically a hundred events,
/// well under a millisecond) goes before long work (router bodies of up to thousands of events,
/// several milliseconds), so a processor request waits for the turns in progress, not behind every
/// router request queued before it. So that long work is never starved, after
/// <see cref="ShortInARow"/> short grants in a row while long work waits, the next turn goes to
/// the long work that waited first. Waiting is asynchronous and can be cancelled.
/// </summary>
internal sealed class TurnGate
{
    /// <summary>Short grants in a row before a waiting long one is served.</summary>
    public const int ShortInARow = 4;

    private readonly object _lock = new();
    private readonly Queue<TaskCompletionSource> _short = new();
    private readonly Queue<TaskCompletionSource> _long = new();
    private int _free;
    private int _shortStreak;

    public TurnGate(int turns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(turns, 1);
        _free = turns;
    }

    /// <summary>Turns free now (tests).</summary>
    internal int Free
    {
        get
        {
            lock (_lock) return _free;
        }
    }

    /// <summary>Waits for a turn; <see cref="Release"/> it when the work is done.</summary>
    public async Task WaitAsync(bool isShort, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            // A free turn means no live waiter: Release hands a turn to a waiter before freeing it
            // (the queues may still hold cancelled ones, skipped when dequeued).
            if (_free > 0)
            {
                _free--;
                return;
            }
            cancellationToken.ThrowIfCancellationRequested();
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (isShort ? _short : _long).Enqueue(waiter);
        }
        // A cancelled waiter stays queued, completed: Release skips it.
        using (cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetCanceled(), waiter))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Gives the turn to the next waiter (short work first, see the class), or frees it.</summary>
    public void Release()
    {
        lock (_lock)
        {
            while (true)
            {
                bool longFirst = _long.Count > 0 && (_short.Count == 0 || _shortStreak >= ShortInARow);
                var queue = longFirst ? _long : _short;
                if (!queue.TryDequeue(out var next))
                {
                    _free++;
                    return;
                }
                // Completing inside the lock runs nothing inline (continuations are asynchronous).
                if (!next.TrySetResult()) continue; // cancelled meanwhile: the turn goes on
                _shortStreak = longFirst ? 0 : (_long.Count > 0 ? _shortStreak + 1 : 0);
                return;
            }
        }
    }
}
