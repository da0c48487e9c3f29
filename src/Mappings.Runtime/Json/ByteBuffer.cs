using System.Buffers;
using System.Runtime.CompilerServices;

namespace Mappings.Runtime.Json;

/// <summary>
/// A growable byte buffer that is reused from event to event (it only ever grows), usable as an
/// <see cref="IBufferWriter{T}"/>.
/// </summary>
public sealed class ByteBuffer : IBufferWriter<byte>
{
    private byte[] _array;
    private int _length;
    private long _limit = long.MaxValue;
    private OutputLimitKind _limitKind;

    public ByteBuffer(int capacity = 1024)
    {
        _array = new byte[capacity];
    }

    public int Length => _length;

    /// <summary>The bytes the buffer can hold without growing.</summary>
    public int Capacity => _array.Length;

    /// <summary>Empties the buffer and gives back its memory when it grew beyond <paramref name="maxCapacity"/>.</summary>
    public void ClearAndTrim(int maxCapacity)
    {
        _length = 0;
        if (_array.Length > maxCapacity) _array = new byte[Math.Min(1024, maxCapacity)];
    }

    /// <summary>The most bytes the buffer may hold (unlimited by default).</summary>
    public long Limit => _limit;

    /// <summary>
    /// Bounds the buffer: asking it to hold more than <paramref name="bytes"/> throws
    /// <see cref="OutputLimitException"/> before the memory is taken, and it never grows past the
    /// limit (a buffer that grew larger before keeps its capacity but not the right to fill it).
    /// </summary>
    public void SetLimit(long bytes, OutputLimitKind kind)
    {
        _limit = bytes;
        _limitKind = kind;
    }

    /// <summary>Removes the limit.</summary>
    public void ClearLimit() => _limit = long.MaxValue;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Drops everything after the first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length) => _length = length;

    public void Advance(int count)
    {
        _length += count;
        if (_length > _limit) ThrowLimit();
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _array.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _array.AsSpan(_length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(byte value)
    {
        if (_length == _array.Length) Grow(1);
        _array[_length++] = value;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_array.AsSpan(_length));
        _length += bytes.Length;
        if (_length > _limit) ThrowLimit();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ensure(int additional)
    {
        if (_array.Length - _length < additional) Grow(additional);
    }

    private void Grow(int additional)
    {
        long needed = (long)_length + additional;
        if (needed > _limit) ThrowLimit();
        long wanted = Math.Max(Math.Min((long)_array.Length * 2, _limit), needed);
        if (wanted > Array.MaxLength) wanted = Math.Max((long)_length + additional, Array.MaxLength);
        if (wanted > Array.MaxLength) throw new InsufficientMemoryException("Output exceeds the largest possible buffer.");
        Array.Resize(ref _array, (int)wanted);
    }

    private void ThrowLimit()
    {
        _length = (int)Math.Min(_length, _limit);
        throw new OutputLimitException(_limit, _limitKind);
    }
}
