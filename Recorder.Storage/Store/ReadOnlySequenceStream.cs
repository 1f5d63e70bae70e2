using System.Buffers;

namespace Recorder.Storage;

/// <summary>
/// A read-only, seekable stream over caller memory (one buffer or several
/// blocks), so the SDK can hash a body for its signature, rewind and send it
/// without it being copied into one buffer.
/// </summary>
internal sealed class ReadOnlySequenceStream(ReadOnlySequence<byte> content) : Stream
{
    private SequencePosition _cursor = content.Start;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => content.Length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
            _cursor = content.GetPosition(Math.Min(value, content.Length));
        }
    }

    public override int Read(Span<byte> buffer)
    {
        if (_position >= content.Length || buffer.IsEmpty) return 0;
        var remaining = content.Slice(_cursor);
        var n = (int)Math.Min(buffer.Length, remaining.Length);
        remaining.Slice(0, n).CopyTo(buffer);
        _cursor = remaining.GetPosition(n);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(buffer, offset, count));
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => content.Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
