namespace Recorder.Storage;

/// <summary>
/// A read-only, seekable view of one S3 object by ranged GETs, for decryption
/// (random access to age chunks) and audits. Reading a block starts fetches of
/// the next <see cref="SeekableReadOptions.ReadAheadBlocks"/> blocks in
/// parallel; a seek drops (and cancels) fetches outside the new window, so
/// memory stays within the bound on <see cref="SeekableReadOptions"/>. Every
/// GET carries If-Match with the ETag seen at open: an object replaced while
/// being read fails (412) instead of mixing two versions. Transient failures
/// are retried within the outage window. One reader at a time.
/// </summary>
public sealed class S3SeekableReadStream : Stream
{
    private readonly ObjectRangeReader _reader;
    private readonly SeekableReadOptions _options;
    private readonly Dictionary<long, (Task<byte[]> Fetch, CancellationTokenSource Cancel)> _blocks = [];
    private long _position;
    private bool _disposed;

    private S3SeekableReadStream(ObjectRangeReader reader, SeekableReadOptions options)
    {
        _reader = reader;
        _options = options;
    }

    /// <summary>HEADs the object (for its length and ETag) and returns a stream at position 0.</summary>
    /// <exception cref="StorageException">No such object (ErrorCode NoSuchKey), or the destination refused.</exception>
    public static async Task<S3SeekableReadStream> OpenAsync(
        IObjectStore store, string bucket, string key, SeekableReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SeekableReadOptions();
        var reader = await ObjectRangeReader.OpenAsync(store, bucket, key, options, cancellationToken).ConfigureAwait(false);
        return new S3SeekableReadStream(reader, options);
    }

    /// <summary>What HEAD said at open: size, ETag, metadata.</summary>
    public StoredObject Object => _reader.Object;

    /// <summary>Body bytes fetched so far (blocks fetched ahead included).</summary>
    public long BytesFetched => _reader.BytesFetched;

    public override bool CanRead => !_disposed;
    public override bool CanSeek => !_disposed;
    public override bool CanWrite => false;
    public override long Length => Object.SizeBytes;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        DropOutside(target / _options.BlockSizeBytes);
        return target;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty || _position >= Length) return 0;
        var index = _position / _options.BlockSizeBytes;
        DropOutside(index);
        for (var i = index; i <= index + _options.ReadAheadBlocks && i * _options.BlockSizeBytes < Length; i++)
        {
            if (!_blocks.ContainsKey(i)) _blocks[i] = StartFetch(i);
        }
        var block = await _blocks[index].Fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        var within = (int)(_position - index * _options.BlockSizeBytes);
        var n = Math.Min(buffer.Length, block.Length - within);
        block.AsSpan(within, n).CopyTo(buffer.Span);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    private (Task<byte[]>, CancellationTokenSource) StartFetch(long index)
    {
        var cancel = new CancellationTokenSource();
        var offset = index * _options.BlockSizeBytes;
        var size = (int)Math.Min(_options.BlockSizeBytes, Length - offset);
        var fetch = Task.Run(async () =>
        {
            var block = new byte[size];
            await _reader.ReadExactlyAsync(offset, block, cancel.Token).ConfigureAwait(false);
            return block;
        }, cancel.Token);
        return (fetch, cancel);
    }

    /// <summary>Forgets blocks before <paramref name="index"/> or beyond the read-ahead window.</summary>
    private void DropOutside(long index)
    {
        foreach (var i in _blocks.Keys.Where(i => i < index || i > index + _options.ReadAheadBlocks).ToList())
        {
            _blocks[i].Cancel.Cancel();
            _blocks[i].Fetch.ContinueWith(static (_, c) => ((CancellationTokenSource)c!).Dispose(), _blocks[i].Cancel, TaskScheduler.Default);
            _blocks.Remove(i);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            foreach (var (_, cancel) in _blocks.Values) cancel.Cancel();
            _blocks.Clear();
        }
        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
