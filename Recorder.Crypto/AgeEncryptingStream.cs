using System.Security.Cryptography;
using Recorder.Crypto.Stream;

namespace Recorder.Crypto;

/// <summary>
/// Write-only stream that seals what is written to it as age STREAM chunks and
/// writes them on to the destination. Plaintext is gathered into batches of
/// <see cref="AgeEncryptOptions.ChunksPerBatch"/> chunks; a batch is sealed on
/// several cores, and while it is written to the destination (asynchronously)
/// the next batch fills. Invariant: a batch is sealed only once at least one
/// byte beyond it has arrived, so the last chunk is always held back until
/// <see cref="FinishAsync"/> knows it is the final one (and never empty unless
/// the whole plaintext is).
/// </summary>
public sealed class AgeEncryptingStream : System.IO.Stream
{
    private enum State { Open, Finished, Aborted, Faulted }

    private readonly System.IO.Stream _destination;
    private readonly PayloadCipher _cipher;
    private readonly bool _leaveOpen;
    private readonly byte[] _plain;
    private readonly byte[][] _sealed;
    private int _plainCount;
    private int _sealedIndex;
    private Task _pendingWrite = Task.CompletedTask;
    private long _nextChunk;
    private State _state;
    private bool _disposed;

    internal AgeEncryptingStream(System.IO.Stream destination, PayloadCipher cipher, AgeEncryptOptions options)
    {
        _destination = destination;
        _cipher = cipher;
        _leaveOpen = options.LeaveOpen;
        _plain = new byte[options.ChunksPerBatch * AgePayloadLayout.ChunkSize];
        _sealed = [new byte[options.ChunksPerBatch * AgePayloadLayout.EncryptedChunkSize], new byte[options.ChunksPerBatch * AgePayloadLayout.EncryptedChunkSize]];
    }

    /// <summary>Plaintext bytes accepted so far.</summary>
    public long PlaintextLength { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => _state == State.Open && !_disposed;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfNotOpen();
        try
        {
            while (!buffer.IsEmpty)
            {
                if (_plainCount == _plain.Length) Emit(SealBatch(final: false));
                buffer = Append(buffer);
            }
        }
        catch
        {
            _state = State.Faulted;
            throw;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfNotOpen();
        try
        {
            while (!buffer.IsEmpty)
            {
                if (_plainCount == _plain.Length) await EmitAsync(SealBatch(final: false), cancellationToken).ConfigureAwait(false);
                // Large writes skip the copy: whole batches with data after them are sealed
                // straight from the caller's buffer (before this call returns).
                while (_plainCount == 0 && buffer.Length > _plain.Length)
                {
                    await EmitAsync(SealBatch(buffer[.._plain.Length]), cancellationToken).ConfigureAwait(false);
                    PlaintextLength += _plain.Length;
                    buffer = buffer[_plain.Length..];
                }
                buffer = buffer[(buffer.Length - Append(buffer.Span).Length)..];
            }
        }
        catch
        {
            _state = State.Faulted;
            throw;
        }
    }

    /// <summary>Seals the final chunk, writes everything and flushes the destination. Idempotent.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken = default)
    {
        if (_state == State.Finished) return;
        ThrowIfNotOpen();
        try
        {
            await EmitAsync(SealBatch(final: true), cancellationToken).ConfigureAwait(false);
            await _pendingWrite.ConfigureAwait(false);
            await _destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            _state = State.Finished;
        }
        catch
        {
            _state = State.Faulted;
            throw;
        }
        finally
        {
            Release();
        }
    }

    /// <summary>
    /// Stops without sealing the final chunk, so what was written stays detectably
    /// truncated (no decryptor accepts it). Use on failure paths instead of disposing
    /// an unfinished stream, which would finish it.
    /// </summary>
    public void Abort()
    {
        if (_state != State.Open) return;
        _state = State.Aborted;
        Release();
    }

    public override void Flush()
    {
        // Chunks cannot be flushed before they are full; only what is already sealed moves on.
        _pendingWrite.GetAwaiter().GetResult();
        _destination.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _pendingWrite.ConfigureAwait(false);
        await _destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private ReadOnlySpan<byte> Append(ReadOnlySpan<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _plain.Length - _plainCount);
        buffer[..n].CopyTo(_plain.AsSpan(_plainCount));
        _plainCount += n;
        PlaintextLength += n;
        return buffer[n..];
    }

    /// <summary>Seals the gathered plaintext into the sealed buffer not being written; returns it.</summary>
    private ReadOnlyMemory<byte> SealBatch(bool final)
    {
        var sealedBatch = Seal(_plain.AsMemory(0, _plainCount), final);
        _plainCount = 0;
        return sealedBatch;
    }

    /// <summary>Seals a whole non-final batch taken directly from a caller's buffer.</summary>
    private ReadOnlyMemory<byte> SealBatch(ReadOnlyMemory<byte> batch) => Seal(batch, final: false);

    private ReadOnlyMemory<byte> Seal(ReadOnlyMemory<byte> plaintext, bool final)
    {
        var target = _sealed[_sealedIndex];
        _sealedIndex ^= 1;
        var length = _cipher.SealChunks(plaintext, _nextChunk, final, target);
        _nextChunk += AgePayloadLayout.ChunkCount(plaintext.Length);
        return target.AsMemory(0, length);
    }

    private void Emit(ReadOnlyMemory<byte> sealedBatch)
    {
        _pendingWrite.GetAwaiter().GetResult();
        _destination.Write(sealedBatch.Span);
    }

    private async ValueTask EmitAsync(ReadOnlyMemory<byte> sealedBatch, CancellationToken cancellationToken)
    {
        // The previous batch's write uses the other buffer; wait for it before starting this one.
        await _pendingWrite.ConfigureAwait(false);
        _pendingWrite = StartWrite(sealedBatch, cancellationToken);
    }

    private Task StartWrite(ReadOnlyMemory<byte> sealedBatch, CancellationToken cancellationToken)
    {
        var write = _destination.WriteAsync(sealedBatch, cancellationToken);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }

    private void ThrowIfNotOpen()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_state != State.Open)
            throw new InvalidOperationException($"the age stream is {_state.ToString().ToLowerInvariant()}; nothing more can be written");
    }

    private void Release()
    {
        _cipher.Dispose();
        CryptographicOperations.ZeroMemory(_plain);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            try
            {
                if (_state == State.Open) FinishAsync().GetAwaiter().GetResult();
            }
            finally
            {
                _disposed = true;
                if (!_leaveOpen) _destination.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            try
            {
                if (_state == State.Open) await FinishAsync().ConfigureAwait(false);
            }
            finally
            {
                _disposed = true;
                if (!_leaveOpen) await _destination.DisposeAsync().ConfigureAwait(false);
            }
        }
        GC.SuppressFinalize(this);
    }
}
