namespace Recorder.Cli.IO;

/// <summary>
/// Sequential read-only wrapper that reads the next block on a pool thread while
/// the caller works on the current one, so reading the source overlaps sealing or
/// opening chunks. <see cref="CopyToAsync(System.IO.Stream, int, CancellationToken)"/>
/// hands blocks to the destination without another copy.
/// </summary>
public sealed class ReadAheadStream(System.IO.Stream inner, int blockBytes = InputSource.CopyBufferBytes) : System.IO.Stream
{
    private byte[] _current = new byte[blockBytes];
    private byte[] _next = new byte[blockBytes];
    private int _offset;
    private int _count;
    private Task<int>? _pending;
    private bool _ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || !await EnsureDataAsync(cancellationToken)) return 0;
        var n = Math.Min(buffer.Length, _count - _offset);
        _current.AsMemory(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async Task CopyToAsync(System.IO.Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        while (await EnsureDataAsync(cancellationToken))
        {
            await destination.WriteAsync(_current.AsMemory(_offset, _count - _offset), cancellationToken);
            _offset = _count;
        }
    }

    /// <summary>Makes the current block non-empty (starting the read of the one after); false at the end.</summary>
    private async Task<bool> EnsureDataAsync(CancellationToken ct)
    {
        if (_offset < _count) return true;
        if (_ended) return false;
        var read = await (_pending ?? StartRead(ct));
        (_current, _next) = (_next, _current);
        (_offset, _count) = (0, read);
        _pending = null;
        if (read == 0)
        {
            _ended = true;
            return false;
        }
        _pending = StartRead(ct);
        return true;
    }

    private Task<int> StartRead(CancellationToken ct)
    {
        var target = _next;
        return Task.Run(async () => await inner.ReadAsync(target, ct), ct);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_pending is not null) await _pending.ContinueWith(_ => { }, TaskScheduler.Default);
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
