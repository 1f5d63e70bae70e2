using System.Security.Cryptography;

namespace Recorder.Crypto.Stream;

/// <summary>
/// Read-only stream of the plaintext of an age payload read front to back.
/// Reads a batch of chunks, opens them on several cores, and releases a batch
/// only when every chunk in it authenticated. A chunk is treated as non-final
/// only when at least one byte follows it (the buffer holds one byte more than
/// a batch), so the last chunk is always judged by the final-chunk rules; a
/// file cut short is reported when its end is reached, after the authenticated
/// chunks before the cut were already returned. With <c>allowTruncated</c> such a
/// cut ends the stream instead (<see cref="Result"/> tells), releasing only the
/// chunks that authenticated.
/// </summary>
internal sealed class AgeDecryptingStream : System.IO.Stream
{
    private readonly System.IO.Stream _source;
    private readonly PayloadCipher _cipher;
    private readonly bool _leaveOpen;
    private readonly bool _allowTruncated;
    private readonly byte[] _ciphertext;
    private readonly byte[] _plaintext;
    private int _ciphertextCount;
    private int _plainOffset;
    private int _plainCount;
    private long _nextChunk;
    private bool _sourceEnded;
    private bool _finished;
    private long _plaintextLength;
    private bool _truncated;
    private AgeDecryptionException? _failure;

    public AgeDecryptingStream(System.IO.Stream source, PayloadCipher cipher, ReadOnlyMemory<byte> leftover, int chunksPerBatch, bool leaveOpen,
        bool allowTruncated = false)
    {
        _source = source;
        _cipher = cipher;
        _leaveOpen = leaveOpen;
        _allowTruncated = allowTruncated;
        var batch = Math.Max(1, chunksPerBatch);
        _ciphertext = new byte[batch * AgePayloadLayout.EncryptedChunkSize + 1];
        _plaintext = new byte[batch * AgePayloadLayout.ChunkSize];
        if (leftover.Length > _ciphertext.Length) throw new ArgumentException("leftover larger than a batch", nameof(leftover));
        leftover.CopyTo(_ciphertext);
        _ciphertextCount = leftover.Length;
    }

    /// <summary>What was released, once the end of the payload was reached without an error; null before.</summary>
    public AgeDecryptResult? Result => _finished
        ? new AgeDecryptResult { PlaintextLengthBytes = _plaintextLength, ChunkCount = _nextChunk, IsTruncated = _truncated }
        : null;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        while (_plainOffset == _plainCount && !_finished)
        {
            ThrowIfFailed();
            while (_ciphertextCount < _ciphertext.Length && !_sourceEnded)
            {
                var n = _source.Read(_ciphertext.AsSpan(_ciphertextCount));
                if (n == 0) _sourceEnded = true;
                _ciphertextCount += n;
            }
            DecryptBatch();
        }
        return Take(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        while (_plainOffset == _plainCount && !_finished)
        {
            await FillAndDecryptAsync(cancellationToken).ConfigureAwait(false);
        }
        return Take(buffer.Span);
    }

    /// <summary>Hands each authenticated batch straight to the destination (no copy through a caller buffer).</summary>
    public override async Task CopyToAsync(System.IO.Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_plainOffset < _plainCount)
            {
                await destination.WriteAsync(_plaintext.AsMemory(_plainOffset, _plainCount - _plainOffset), cancellationToken).ConfigureAwait(false);
                _plainOffset = _plainCount;
            }
            if (_finished) return;
            await FillAndDecryptAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FillAndDecryptAsync(CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        while (_ciphertextCount < _ciphertext.Length && !_sourceEnded)
        {
            var n = await _source.ReadAsync(_ciphertext.AsMemory(_ciphertextCount), cancellationToken).ConfigureAwait(false);
            if (n == 0) _sourceEnded = true;
            _ciphertextCount += n;
        }
        DecryptBatch();
    }

    private int Take(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _plainCount - _plainOffset);
        _plaintext.AsSpan(_plainOffset, n).CopyTo(buffer);
        _plainOffset += n;
        return n;
    }

    /// <summary>Decrypts the buffered ciphertext: whole chunks followed by data, or everything up to the end.</summary>
    private void DecryptBatch()
    {
        try
        {
            _plainOffset = _plainCount = 0;
            if (!_sourceEnded)
            {
                // Full buffer: every whole chunk has at least one byte after it.
                var fullBytes = _ciphertextCount - 1;
                OpenNonFinal(fullBytes);
                _ciphertext[0] = _ciphertext[fullBytes];
                _ciphertextCount = 1;
                _plaintextLength += _plainCount;
                return;
            }
            if (_ciphertextCount == 0)
                throw AgeDecryptionException.Chunk(_nextChunk, "the file is truncated (no payload chunks)");
            var chunks = (_ciphertextCount + AgePayloadLayout.EncryptedChunkSize - 1) / AgePayloadLayout.EncryptedChunkSize;
            var leading = (chunks - 1) * AgePayloadLayout.EncryptedChunkSize;
            OpenNonFinal(leading);
            var last = FinalChunkRules.OpenLast(_cipher, _ciphertext.AsSpan(leading, _ciphertextCount - leading),
                _nextChunk, _plaintext.AsSpan(_plainCount), _allowTruncated);
            _plainCount += last.PlaintextLength;
            if (last.Authenticated) _nextChunk++;
            _plaintextLength += _plainCount;
            _truncated = !last.IsFinal;
            _finished = true;
        }
        catch (AgeDecryptionException e)
        {
            // Nothing of a failed batch is released.
            _failure = e;
            _plainOffset = _plainCount = 0;
            CryptographicOperations.ZeroMemory(_plaintext);
            throw;
        }
    }

    private void OpenNonFinal(int byteCount)
    {
        if (byteCount == 0) return;
        var failed = _cipher.OpenFullChunks(_ciphertext.AsMemory(0, byteCount), _nextChunk, _plaintext);
        if (failed is { } index)
        {
            var offset = (int)(index - _nextChunk) * AgePayloadLayout.EncryptedChunkSize;
            throw FinalChunkRules.NonFinalFailure(_cipher, _ciphertext.AsSpan(offset, AgePayloadLayout.EncryptedChunkSize), index);
        }
        _nextChunk += byteCount / AgePayloadLayout.EncryptedChunkSize;
        _plainCount = byteCount / AgePayloadLayout.EncryptedChunkSize * AgePayloadLayout.ChunkSize;
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null) throw _failure;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
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
