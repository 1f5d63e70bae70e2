namespace Recorder.Tests.Infrastructure;

/// <summary>
/// A stdin for the CLI run in-process that stays open — a read waits, as on a
/// pipe whose writer is alive and silent — until the test calls
/// <see cref="End"/>, which ends it (reads return 0: end of file).
/// </summary>
public sealed class HeldOpenInputStream : Stream
{
    private readonly ManualResetEventSlim _closed = new();

    public void End() => _closed.Set();

    public override int Read(byte[] buffer, int offset, int count)
    {
        _closed.Wait();
        return 0;
    }

    public override int Read(Span<byte> buffer)
    {
        _closed.Wait();
        return 0;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
