using System.Security.Cryptography;
using Recorder.Crypto.Stream;

namespace Recorder.Crypto;

/// <summary>
/// Seekable, read-only plaintext view of an age file over a seekable ciphertext
/// stream (a local file, or ranged reads of an object). Chunk k lives at
/// header + 16 + k × 65,552. <see cref="Length"/> comes from the final chunk, which
/// was authenticated when the stream was opened; each read authenticates the
/// chunks it touches (a batch at a time) and never returns unauthenticated bytes.
/// </summary>
public sealed class AgeRandomAccessStream : System.IO.Stream
{
    private readonly System.IO.Stream _source;
    private readonly long _chunksStart;
    private readonly PayloadCipher _cipher;
    private readonly bool _leaveOpen;
    private readonly long _chunkCount;
    private readonly int _lastChunkLength;
    private readonly int _chunksPerBatch;
    private readonly byte[] _ciphertext;
    private readonly byte[] _plaintext;
    private long _cacheFirstChunk = -1;
    private int _cacheBytes;
    private long _position;
    private long _length;

    private AgeRandomAccessStream(System.IO.Stream source, long chunksStart, PayloadCipher cipher, AgeDecryptOptions options, long chunkCount, int lastChunkLength)
    {
        _source = source;
        _chunksStart = chunksStart;
        _cipher = cipher;
        _leaveOpen = options.LeaveOpen;
        _chunkCount = chunkCount;
        _lastChunkLength = lastChunkLength;
        _chunksPerBatch = Math.Max(1, options.ChunksPerBatch);
        _ciphertext = new byte[_chunksPerBatch * AgePayloadLayout.EncryptedChunkSize];
        _plaintext = new byte[_chunksPerBatch * AgePayloadLayout.ChunkSize];
    }

    internal static async Task<AgeRandomAccessStream> OpenAsync(
        System.IO.Stream source, long chunksStart, PayloadCipher cipher, AgeDecryptOptions options, CancellationToken ct)
    {
        var chunksLength = source.Length - chunksStart;
        if (chunksLength <= 0) throw AgeDecryptionException.Chunk(0, "the file is truncated (no payload chunks)");
        var chunkCount = (chunksLength + AgePayloadLayout.EncryptedChunkSize - 1) / AgePayloadLayout.EncryptedChunkSize;
        var lastLength = (int)(chunksLength - (chunkCount - 1) * AgePayloadLayout.EncryptedChunkSize);
        var stream = new AgeRandomAccessStream(source, chunksStart, cipher, options, chunkCount, lastLength);
        // The final chunk first: it authenticates the length before anything is read.
        await stream.FillAsync(chunkCount - 1, ct).ConfigureAwait(false);
        stream._length = (chunkCount - 1) * AgePayloadLayout.ChunkSize + stream._cacheBytes;
        return stream;
    }

    /// <summary>Number of STREAM chunks in the file.</summary>
    public long ChunkCount => _chunkCount;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => Length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _position >= Length) return 0;
        var chunk = _position / AgePayloadLayout.ChunkSize;
        if (!IsCached(chunk))
        {
            var (offset, length) = Locate(chunk);
            _source.Position = offset;
            _source.ReadExactly(_ciphertext.AsSpan(0, length));
            Decrypt(chunk, length);
        }
        return Take(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _position >= Length) return 0;
        var chunk = _position / AgePayloadLayout.ChunkSize;
        if (!IsCached(chunk)) await FillAsync(chunk, cancellationToken).ConfigureAwait(false);
        return Take(buffer.Span);
    }

    private bool IsCached(long chunk) =>
        _cacheFirstChunk >= 0 && chunk >= _cacheFirstChunk &&
        (chunk - _cacheFirstChunk) * AgePayloadLayout.ChunkSize < _cacheBytes;

    private async Task FillAsync(long chunk, CancellationToken ct)
    {
        var (offset, length) = Locate(chunk);
        _source.Position = offset;
        await _source.ReadExactlyAsync(_ciphertext.AsMemory(0, length), ct).ConfigureAwait(false);
        Decrypt(chunk, length);
    }

    /// <summary>Where the batch starting at <paramref name="first"/> lies in the source.</summary>
    private (long Offset, int Length) Locate(long first)
    {
        var count = (int)Math.Min(_chunksPerBatch, _chunkCount - first);
        var length = first + count == _chunkCount
            ? (count - 1) * AgePayloadLayout.EncryptedChunkSize + _lastChunkLength
            : count * AgePayloadLayout.EncryptedChunkSize;
        return (_chunksStart + AgePayloadLayout.ChunkOffset(first), length);
    }

    private void Decrypt(long first, int length)
    {
        _cacheFirstChunk = -1;
        var includesLast = first + (length + AgePayloadLayout.EncryptedChunkSize - 1) / AgePayloadLayout.EncryptedChunkSize == _chunkCount;
        var plainBytes = FinalChunkRules.OpenBatch(_cipher, _ciphertext.AsMemory(0, length), first, includesLast, _lastChunkLength,
            _chunkCount - 1, _plaintext, parallel: true);
        _cacheFirstChunk = first;
        _cacheBytes = plainBytes;
    }

    private int Take(Span<byte> buffer)
    {
        var start = (int)(_position - _cacheFirstChunk * AgePayloadLayout.ChunkSize);
        var n = (int)Math.Min(Math.Min(buffer.Length, _cacheBytes - start), Length - _position);
        _plaintext.AsSpan(start, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cipher.Dispose();
            CryptographicOperations.ZeroMemory(_plaintext);
            if (!_leaveOpen) _source.Dispose();
        }
        base.Dispose(disposing);
    }
}
