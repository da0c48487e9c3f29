using Mappings.Runtime;
using Mappings.Runtime.Json;
using Microsoft.AspNetCore.Http;

namespace Mappings.Service.Hosting;

/// <summary>
/// Reads a request body once, straight from Kestrel's pipe into a pooled buffer (the transformers
/// read it from there; nothing else copies it). Bodies over the limit are refused (413). Large
/// bodies are read and processed one at a time, so a few of them cannot exhaust memory together;
/// their buffers are not kept afterwards.
/// </summary>
internal sealed class RequestBodyReader
{
    /// <summary>Bodies at least this large take the large-body turn (one at a time).</summary>
    public const int LargeBodyBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Buffers, transformers and heaps that held a body at least this large are left to the
    /// garbage collector rather than kept for the next request: they keep their size.
    /// </summary>
    public const int KeptBodyBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Most bytes of buffers kept between requests. Every request in flight holds its body (and, while
    /// it is transformed and answered, its response), so under concurrent load many buffers are in use
    /// at once: keeping enough of them spares the garbage collector a large-object allocation per
    /// request (and the memory that garbage occupies until a full collection).
    /// </summary>
    public const long KeptBufferBytes = 64 * 1024 * 1024;

    private readonly InstancePool<ByteBuffer> _buffers = new(() => new ByteBuffer(64 * 1024), maxKept: 256, maxKeptBytes: KeptBufferBytes);
    private readonly SemaphoreSlim _largeTurn = new(1, 1);

    public RequestBodyReader(long limit, MemoryRelief? relief = null)
    {
        Limit = limit;
        Relief = relief ?? new MemoryRelief();
        Relief.OnRelief(_buffers.Clear);
    }

    public long Limit { get; }

    /// <summary>Told when a large buffer is let go; the endpoints empty their pools when it runs.</summary>
    public MemoryRelief Relief { get; }

    /// <summary>A buffer for a response body (give it back with <see cref="ReturnBuffer"/>).</summary>
    public ByteBuffer RentBuffer()
    {
        var buffer = _buffers.Rent();
        buffer.Clear();
        buffer.ClearLimit();
        return buffer;
    }

    public void ReturnBuffer(ByteBuffer buffer) => Keep(buffer, large: false);

    /// <summary>Reads the whole body. Dispose the result when done with the bytes.</summary>
    public async ValueTask<RequestBody> ReadAsync(HttpContext context)
    {
        var request = context.Request;
        long? declared = request.ContentLength;
        if (declared > Limit) return RequestBody.TooLarge(this);

        bool large = false;
        var buffer = RentBuffer();
        try
        {
            if (declared >= LargeBodyBytes)
            {
                await _largeTurn.WaitAsync(context.RequestAborted).ConfigureAwait(false);
                large = true;
            }
            if (declared is > 0 and < int.MaxValue) buffer.Ensure((int)declared.Value);

            var reader = request.BodyReader;
            while (true)
            {
                var result = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
                var sequence = result.Buffer;
                if (buffer.Length + sequence.Length > Limit)
                {
                    reader.AdvanceTo(sequence.End);
                    Release(buffer, large);
                    return RequestBody.TooLarge(this);
                }
                if (!large && buffer.Length + sequence.Length >= LargeBodyBytes)
                {
                    await _largeTurn.WaitAsync(context.RequestAborted).ConfigureAwait(false);
                    large = true;
                }
                foreach (var segment in sequence) buffer.Append(segment.Span);
                reader.AdvanceTo(sequence.End);
                if (result.IsCompleted) break;
            }
            Metrics.RequestMetrics.BodyRead(context, buffer.Length);
            return new RequestBody(this, buffer, large);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            Release(buffer, large);
            return RequestBody.TooLarge(this);
        }
        catch
        {
            Release(buffer, large);
            throw;
        }
    }

    internal void Release(ByteBuffer? buffer, bool large)
    {
        if (buffer is not null) Keep(buffer, large);
        if (large) _largeTurn.Release();
    }

    private void Keep(ByteBuffer buffer, bool large)
    {
        buffer.Clear();
        long capacity = buffer.GetSpan().Length;
        _buffers.Return(buffer, keep: !large && capacity < KeptBodyBytes, bytes: capacity);
        if (large || capacity >= LargeBodyBytes) Relief.LargeBufferReleased();
    }
}

/// <summary>A request body read into a pooled buffer; disposing gives the buffer back.</summary>
internal readonly struct RequestBody : IDisposable
{
    private readonly RequestBodyReader? _owner;
    private readonly ByteBuffer? _buffer;
    private readonly bool _large;

    internal RequestBody(RequestBodyReader owner, ByteBuffer? buffer, bool large)
    {
        _owner = owner;
        _buffer = buffer;
        _large = large;
    }

    internal static RequestBody TooLarge(RequestBodyReader owner) => new(owner, null, false);

    /// <summary>True when the body was over the limit (nothing was kept).</summary>
    public bool IsTooLarge => _buffer is null;

    public ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.WrittenSpan;

    public ReadOnlyMemory<byte> Memory => _buffer is null ? default : _buffer.WrittenMemory;

    public int Length => _buffer?.Length ?? 0;

    /// <summary>True when what processed this body should not be kept for the next request (see <see cref="RequestBodyReader.KeptBodyBytes"/>).</summary>
    public bool IsLarge => _large || Length >= RequestBodyReader.KeptBodyBytes;

    public void Dispose() => _owner?.Release(_buffer, _large);
}
