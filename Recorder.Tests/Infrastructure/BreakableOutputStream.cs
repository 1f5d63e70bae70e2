using System.Text;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// A write-only stdout or stderr for the CLI run in-process that the test can
/// break as a dead supervisor's pipe breaks: until <see cref="Break"/> it keeps
/// what is written; after it every write throws <see cref="IOException"/>
/// ("Broken pipe", what a write to a pipe without a reader gets) and is counted.
/// </summary>
public sealed class BreakableOutputStream : Stream
{
    private readonly MemoryStream _kept = new();
    private readonly Lock _gate = new();
    private bool _broken;
    private int _failedWrites;

    /// <summary>What was written before the break.</summary>
    public string Text
    {
        get { lock (_gate) return Encoding.UTF8.GetString(_kept.ToArray()); }
    }

    /// <summary>Writes attempted after the break (each one threw).</summary>
    public int FailedWrites
    {
        get { lock (_gate) return _failedWrites; }
    }

    public void Break()
    {
        lock (_gate) _broken = true;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            if (_broken)
            {
                _failedWrites++;
                throw new IOException("Broken pipe");
            }
            _kept.Write(buffer);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Nothing to flush, as on a pipe: only writes fail.</summary>
    public override void Flush() { }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
