using System.Collections.Concurrent;

namespace Mappings.Service.Hosting;

/// <summary>
/// Instances kept for reuse between requests: transformers, heaps and buffers are not thread-safe
/// and grow to the largest request they served, so each request rents its own, and one that served
/// a large request (or failed unexpectedly) is left to the garbage collector instead of being kept.
/// </summary>
internal sealed class InstancePool<T>
    where T : class
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly Func<T> _create;
    private readonly int _maxKept;
    private int _count;

    public InstancePool(Func<T> create, int maxKept)
    {
        _create = create;
        _maxKept = maxKept;
    }

    public T Rent()
    {
        if (_items.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _count);
            return item;
        }
        return _create();
    }

    /// <summary>Keeps the instance for the next request, unless <paramref name="keep"/> is false or enough are kept.</summary>
    public void Return(T item, bool keep = true)
    {
        if (!keep) return;
        if (Interlocked.Increment(ref _count) > _maxKept)
        {
            Interlocked.Decrement(ref _count);
            return;
        }
        _items.Enqueue(item);
    }
}
