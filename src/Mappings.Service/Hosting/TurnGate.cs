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
    private Queue<TaskCompletionSource> _short = new();
    private Queue<TaskCompletionSource> _long = new();
    private readonly int _turns;
    private int _free;
    private int _shortStreak;
    // Cancelled waiters stay queued until a release reaches them; a queue this long is purged of them.
    private int _purgeAt = MinPurge;
    private const int MinPurge = 64;

    public TurnGate(int turns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(turns, 1);
        _turns = turns;
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

    /// <summary>Waiters queued, cancelled ones included (tests).</summary>
    internal int Queued
    {
        get
        {
            lock (_lock) return _short.Count + _long.Count;
        }
    }

    /// <summary>Live waiters of each class, and turns taken (metrics; counts the queues, so call it rarely).</summary>
    internal (int ShortWaiting, int LongWaiting, int Running) Counts()
    {
        lock (_lock)
        {
            int shortWaiting = 0, longWaiting = 0;
            foreach (var waiter in _short) if (!waiter.Task.IsCompleted) shortWaiting++;
            foreach (var waiter in _long) if (!waiter.Task.IsCompleted) longWaiting++;
            return (shortWaiting, longWaiting, _turns - _free);
        }
    }

    /// <summary>Waits for a turn; <see cref="Release"/> it when the work is done.</summary>
    public async Task WaitAsync(bool isShort, CancellationToken cancellationToken)
    {
        // An aborted request takes no turn, free or not.
        cancellationToken.ThrowIfCancellationRequested();
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
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (isShort) Enqueue(ref _short, waiter);
            else Enqueue(ref _long, waiter);
        }
        // A cancelled waiter stays queued, completed: Release skips it.
        using (cancellationToken.UnsafeRegister(static (state, token) => ((TaskCompletionSource)state!).TrySetCanceled(token), waiter))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }

    private void Enqueue(ref Queue<TaskCompletionSource> queue, TaskCompletionSource waiter)
    {
        if (queue.Count >= _purgeAt)
        {
            // Many waiters: drop the cancelled ones (amortised: the next purge waits for twice as many).
            var live = new Queue<TaskCompletionSource>(queue.Count);
            foreach (var queued in queue)
            {
                if (!queued.Task.IsCompleted) live.Enqueue(queued);
            }
            queue = live;
            _purgeAt = Math.Max(MinPurge, Math.Max(_short.Count, _long.Count) * 2);
        }
        queue.Enqueue(waiter);
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
                    if (_free == _turns) throw new InvalidOperationException("TurnGate.Release was called more often than a turn was taken.");
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
