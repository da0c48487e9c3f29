using Mappings.Runtime.Json;

namespace Mappings.Cli;

/// <summary>
/// Reads JSON Lines from a stream without loading it whole: yields each line's bytes (without its
/// line end: LF or CRLF; a leading UTF-8 BOM is skipped). A final line end does not start a line.
/// The span handed out is valid until the next call.
/// </summary>
public sealed class JsonLines
{
    private readonly Stream _stream;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _first = true;

    public JsonLines(Stream stream) => _stream = stream;

    /// <summary>Total bytes read so far (for progress).</summary>
    public long BytesRead { get; private set; }

    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Take(newline, 1);
                return true;
            }
            if (_eof)
            {
                if (_start < _end)
                {
                    line = Take(_end - _start, 0);
                    return true;
                }
                line = default;
                return false;
            }
            Fill();
        }
    }

    private ReadOnlySpan<byte> Take(int length, int terminator)
    {
        var line = _buffer.AsSpan(_start, length);
        _start += length + terminator;
        if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
        if (_first)
        {
            _first = false;
            if (line.StartsWith(Wtf8.ByteOrderMark)) line = line[Wtf8.ByteOrderMark.Length..];
        }
        return line;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            // Keep the unfinished line at the front.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
        BytesRead += read;
    }
}
