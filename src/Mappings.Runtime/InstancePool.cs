using System.Collections.Concurrent;

namespace Mappings.Runtime;

/// <summary>
/// Instances kept for reuse between requests (the service's and the delivery client's one pool
/// type): transformers, heaps and buffers are not thread-safe
/// and grow to the largest request they served, so each request rents its own, and one that served
/// a large request (or failed unexpectedly) is left to the garbage collector instead of being kept.
/// At most <c>maxKept</c> instances are kept, and at most <c>maxKeptBytes</c> of their sizes as given
/// to <see cref="Return"/>.
/// </summary>
public sealed class InstancePool<T>
    where T : class
{
    private readonly ConcurrentQueue<(T Item, long Bytes)> _items = new();
    private readonly Func<T> _create;
    private readonly int _maxKept;
    private readonly long _maxKeptBytes;
    private int _count;
    private long _bytes;

    public InstancePool(Func<T> create, int maxKept, long maxKeptBytes = long.MaxValue)
    {
        _create = create;
        _maxKept = maxKept;
        _maxKeptBytes = maxKeptBytes;
    }

    /// <summary>Lets every kept instance go (to the garbage collector).</summary>
    public void Clear()
    {
        while (_items.TryDequeue(out var kept))
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Add(ref _bytes, -kept.Bytes);
        }
    }

    public T Rent()
    {
        if (_items.TryDequeue(out var kept))
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Add(ref _bytes, -kept.Bytes);
            return kept.Item;
        }
        return _create();
    }

    /// <summary>
    /// Keeps the instance (of about <paramref name="bytes"/>) for the next request, unless
    /// <paramref name="keep"/> is false or enough are kept.
    /// </summary>
    public void Return(T item, bool keep = true, long bytes = 0)
    {
        if (!keep) return;
        // Both limits counted (no short circuit), so that both are undone together.
        if (Interlocked.Increment(ref _count) > _maxKept | Interlocked.Add(ref _bytes, bytes) > _maxKeptBytes)
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Add(ref _bytes, -bytes);
            return;
        }
        _items.Enqueue((item, bytes));
    }
}
