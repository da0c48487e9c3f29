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

    public ByteBuffer(int capacity = 1024)
    {
        _array = new byte[capacity];
    }

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Drops everything after the first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length) => _length = length;

    public void Advance(int count) => _length += count;

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
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ensure(int additional)
    {
        if (_array.Length - _length < additional) Grow(additional);
    }

    private void Grow(int additional)
    {
        long wanted = Math.Max((long)_array.Length * 2, (long)_length + additional);
        if (wanted > Array.MaxLength) wanted = Math.Max((long)_length + additional, Array.MaxLength);
        if (wanted > Array.MaxLength) throw new InsufficientMemoryException("Output exceeds the largest possible buffer.");
        Array.Resize(ref _array, (int)wanted);
    }
}
