using Recorder.Crypto;
using Recorder.Pipeline;
using Recorder.Storage;

namespace Recorder.Pipeline.Output;

/// <summary>
/// One segment: plaintext → age STREAM (fresh file key) → SHA-256 of the
/// ciphertext → multipart upload. Nothing is buffered beyond the encryptor's
/// batch and the sink's memory budget.
/// </summary>
/// <param name="afterComplete">Runs once the object is stored (its Object Lock retention, which Ceph does not take from the upload).</param>
internal sealed class EncryptedSegmentWriter(string location, MultipartUploadSink sink, HashingWriteStream ciphertext, AgeEncryptingStream age,
    Func<CancellationToken, Task>? afterComplete = null) : ISegmentWriter
{
    private bool _done;

    public string Location { get; } = location;

    public UploadProgress? Upload => sink.Progress;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken) =>
        age.WriteAsync(plaintext, cancellationToken);

    public async Task<SegmentWritten> CompleteAsync(CancellationToken cancellationToken)
    {
        await age.FinishAsync(cancellationToken).ConfigureAwait(false);
        var result = await sink.CompleteAsync(cancellationToken).ConfigureAwait(false);
        _done = true;
        if (afterComplete is not null) await afterComplete(cancellationToken).ConfigureAwait(false);
        if (result.LengthBytes != ciphertext.BytesWritten)
            throw new InvalidOperationException($"{Location}: stored {result.LengthBytes} bytes, but {ciphertext.BytesWritten} were written");
        return new SegmentWritten(Location, ciphertext.BytesWritten, ciphertext.HashHex(), age.PlaintextLength);
    }

    public async Task AbortAsync(CancellationToken cancellationToken)
    {
        // Never seal a failed segment as if it were complete.
        age.Abort();
        _done = true;
        await sink.AbortAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_done) age.Abort();
        await age.DisposeAsync().ConfigureAwait(false);
        await ciphertext.DisposeAsync().ConfigureAwait(false);
        await sink.DisposeAsync().ConfigureAwait(false);
    }
}
