using System.Diagnostics;

namespace Mappings.Cli;

/// <summary>
/// Progress on stderr while a long run goes on (only when stderr is a terminal), and the one-line
/// summary at the end (always).
/// </summary>
public sealed class Progress
{
    private readonly TextWriter _error;
    private readonly long _totalBytes;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastReport;

    public Progress(TextWriter error, long totalBytes, bool interactive)
    {
        _error = error;
        _totalBytes = totalBytes;
        _interactive = interactive;
    }

    /// <summary>The running count of what the run reads (<paramref name="noun"/>: "events", or "bodies" for <c>route</c>).</summary>
    public void Update(long count, long errors, long bytesRead, string noun = "events")
    {
        if (!_interactive || _clock.ElapsedMilliseconds - _lastReport < 500) return;
        _lastReport = _clock.ElapsedMilliseconds;
        string share = _totalBytes > 0 ? $" ({100.0 * bytesRead / _totalBytes:0}%)" : string.Empty;
        _error.Write($"\r{count:N0} {noun}{share}, {errors:N0} errors, {Rate(count):N0} {noun}/s   ");
    }

    public void Finish(string noun, long events, long errors)
    {
        if (_interactive && _lastReport > 0) _error.Write("\r" + new string(' ', 70) + "\r");
        _error.WriteLine($"{events:N0} {noun}, {errors:N0} errors, {Rate(events):N0} {noun}/s ({_clock.Elapsed.TotalSeconds:0.00} s)");
    }

    private double Rate(long events) => events / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
}
