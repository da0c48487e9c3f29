using System.Text;

namespace Mappings.Cli.Tests;

/// <summary>Progress on standard error: shown only on a terminal and only for long runs; the summary always.</summary>
public sealed class ProgressTests
{
    [Fact]
    public void On_a_terminal_a_long_run_shows_progress_then_clears_it_before_the_summary()
    {
        var error = new StringWriter();
        var progress = new Progress(error, totalBytes: 200, interactive: true);
        progress.Update(1, 0, 10);
        Assert.Equal("", error.ToString()); // too early for progress
        Thread.Sleep(650);
        progress.Update(10, 2, 100);
        string shown = error.ToString();
        Assert.StartsWith("\r10 events (50%), 2 errors, ", shown);
        Assert.Contains(" events/s", shown);
        Assert.DoesNotContain("\n", shown);
        progress.Finish("events", 20, 3);
        string all = error.ToString();
        string summary = all[(all.LastIndexOf('\r') + 1)..];
        Assert.EndsWith("\n", summary);
        Assert.Equal((20L, 3L, "events"), Summary.Parse(summary.TrimEnd('\n')));
        Assert.Single(all.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Route_counts_bodies()
    {
        var error = new StringWriter();
        var progress = new Progress(error, totalBytes: 0, interactive: true);
        Thread.Sleep(650);
        progress.Update(3, 1, 10, "bodies");
        Assert.StartsWith("\r3 bodies, 1 errors, ", error.ToString());
        Assert.Contains(" bodies/s", error.ToString());
        Assert.DoesNotContain("events", error.ToString());
    }

    [Fact]
    public void Without_a_terminal_only_the_summary_is_written()
    {
        var error = new StringWriter();
        var progress = new Progress(error, totalBytes: 200, interactive: false);
        Thread.Sleep(600);
        progress.Update(10, 2, 100);
        Assert.Equal("", error.ToString());
        progress.Finish("events", 10, 2);
        Assert.Equal((10L, 2L, "events"), Summary.AssertOneLine(error.ToString()));
    }

    [Fact]
    public void A_short_run_on_a_terminal_writes_only_the_summary()
    {
        var error = new StringWriter();
        var output = new MemoryStream();
        int exit = Cli.Transform(new MemoryStream(OutputLines.Join(TransformLineTests.Track("a"))), output, new Progress(error, 0, interactive: true));
        Assert.Equal(0, exit);
        Assert.Equal((1L, 0L, "events"), Summary.AssertOneLine(error.ToString()));
    }

    [Fact]
    public void A_slow_long_input_on_a_terminal_shows_progress_while_it_runs()
    {
        // One line per read, 100 ms apart: progress is due after half a second.
        var lines = Enumerable.Range(0, 10).Select(i => i == 4 ? "not json" : TransformLineTests.Track("e" + i)).ToArray();
        byte[] input = OutputLines.Join(lines);
        var error = new StringWriter();
        var output = new MemoryStream();
        int exit = Cli.Transform(new SlowLineStream(input, TimeSpan.FromMilliseconds(100)), output, new Progress(error, input.Length, interactive: true));
        Assert.Equal(0, exit);
        Assert.Equal(10, OutputLines.Split(output.ToArray()).Count);
        string text = error.ToString();
        Assert.Matches(@"\r[0-9]+ events \([0-9]+%\), [0-9]+ errors, [0-9,]+ events/s", text);
        string summary = text[(text.LastIndexOf('\r') + 1)..].TrimEnd('\n');
        Assert.Equal((10L, 1L, "events"), Summary.Parse(summary));
    }

    /// <summary>A stream that hands out one line per read and waits before each.</summary>
    private sealed class SlowLineStream(byte[] data, TimeSpan delay) : Stream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= data.Length) return 0;
            Thread.Sleep(delay);
            int end = Array.IndexOf(data, (byte)'\n', _position);
            int length = Math.Min(count, (end < 0 ? data.Length : end + 1) - _position);
            Array.Copy(data, _position, buffer, offset, length);
            _position += length;
            return length;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
