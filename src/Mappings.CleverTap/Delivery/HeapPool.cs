using System.Collections.Concurrent;
using Mappings.Runtime.Json;

namespace Mappings.CleverTap.Delivery;

/// <summary>
/// Heaps kept for reuse between requests (a heap is not thread-safe: one per request at a time).
/// A heap that held a large body or CleverTap answer is left to the garbage collector instead of being kept.
/// </summary>
internal sealed class HeapPool
{
    private const int MaxKept = 64;
    private const int LargeBodyBytes = 4 * 1024 * 1024;
    private readonly ConcurrentQueue<JsHeap> _heaps = new();

    public JsHeap Rent()
    {
        if (!_heaps.TryDequeue(out var heap)) heap = new JsHeap();
        heap.Reset();
        return heap;
    }

    /// <summary>Lets every kept heap go (the service calls this when it gives memory back).</summary>
    public void Clear()
    {
        while (_heaps.TryDequeue(out _))
        {
        }
    }

    public void Return(JsHeap heap, long bytesHeld)
    {
        if (bytesHeld > LargeBodyBytes || _heaps.Count >= MaxKept) return;
        _heaps.Enqueue(heap);
    }
}
