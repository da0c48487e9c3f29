namespace Mappings.Service.Hosting;

/// <summary>
/// Gives memory back to the system after requests with large buffers (a body or an answer of
/// <see cref="RequestBodyReader.LargeBodyBytes"/> and more, such as the answer of a client that
/// stopped reading and was cut off). The garbage collector only runs when the process allocates,
/// and the pools keep transformers and heaps at the size of the largest request they served, so
/// an idle service would otherwise keep that memory resident for good. Once no large buffer has
/// been let go for <see cref="Delay"/>, the pools are emptied (their instances are made anew, small,
/// when needed) and one full, compacting collection returns the free memory to the system. During
/// a burst of large requests nothing happens (the pooled instances serve the burst); at most one
/// collection follows each quiet period.
/// </summary>
internal sealed class MemoryRelief
{
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(2);

    private readonly List<Action> _trims = [];
    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private long _lastRelease;
    private bool _scheduled;

    public MemoryRelief(TimeSpan? delay = null, TimeProvider? time = null)
    {
        Delay = delay ?? DefaultDelay;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan Delay { get; }

    /// <summary>Collections run so far (tests).</summary>
    internal int Collections { get; private set; }

    /// <summary>Adds something to empty before the collection (a pool's Clear).</summary>
    public void OnRelief(Action trim)
    {
        lock (_lock) _trims.Add(trim);
    }

    /// <summary>Notes that a large buffer became garbage; the relief follows once such releases stop for <see cref="Delay"/>.</summary>
    public void LargeBufferReleased()
    {
        lock (_lock)
        {
            _lastRelease = _time.GetTimestamp();
            if (_scheduled) return;
            _scheduled = true;
        }
        _ = WaitAndRelieveAsync();
    }

    private async Task WaitAndRelieveAsync()
    {
        TimeSpan wait = Delay;
        while (true)
        {
            await Task.Delay(wait, _time).ConfigureAwait(false);
            Action[] trims;
            lock (_lock)
            {
                var quiet = _time.GetElapsedTime(_lastRelease);
                if (quiet < Delay)
                {
                    wait = Delay - quiet;
                    continue;
                }
                _scheduled = false;
                trims = [.. _trims];
                Collections++;
            }
            foreach (var trim in trims) trim();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            return;
        }
    }
}
