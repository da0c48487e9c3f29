using System.Text.Json;
using Mappings.Runtime.Json;

namespace Mappings.Runtime.Protocol;

/// <summary>
/// An answer entry written aside before it is copied into the answer, so that writing it may fail
/// part way (a value holding a token longer than the JSON writer takes, <see cref="OutputLimitException"/>)
/// without leaving half an entry behind: the caller then writes it again without that value.
/// Error entries only; success entries have their own staging (<see cref="ProcessorEntryWriter"/>).
/// </summary>
internal sealed class StagedEntry
{
    private readonly ByteBuffer _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public StagedEntry() => _writer = new Utf8JsonWriter(_buffer, JsonWriterExtensions.Options);

    /// <summary>Starts a new entry (whatever an earlier attempt left is dropped).</summary>
    public Utf8JsonWriter Begin()
    {
        _buffer.Clear();
        _writer.Reset(_buffer);
        return _writer;
    }

    /// <summary>Copies the entry into the answer.</summary>
    public void CopyTo(Utf8JsonWriter answer)
    {
        _writer.Flush();
        answer.WriteRawValue(_buffer.WrittenSpan, skipInputValidation: true);
        _buffer.ClearAndTrim(KeptBytes);
    }

    private const int KeptBytes = 64 * 1024;
}
