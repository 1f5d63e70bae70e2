using Recorder.Storage;

namespace Recorder.Pipeline;

/// <summary>Where a recording goes: one writer per segment, and the manifest next to them.</summary>
public interface IRecordingOutput
{
    /// <summary>Fingerprints of the keys every segment is encrypted for (shown to auditors).</summary>
    IReadOnlyList<string> RecipientFingerprints { get; }

    /// <summary>Opens segment <paramref name="number"/> (from 1): a fresh file key, a new object.</summary>
    Task<ISegmentWriter> StartSegmentAsync(int number, CancellationToken cancellationToken);

    Task PublishManifestAsync(RecordingManifest manifest, CancellationToken cancellationToken);

    /// <summary>Where the manifest is (e.g. s3://bucket/key).</summary>
    string ManifestLocation { get; }
}

/// <summary>Takes a segment's plaintext (fragmented MP4), encrypts and stores it.</summary>
public interface ISegmentWriter : IAsyncDisposable
{
    string Location { get; }

    /// <summary>
    /// The upload's counters now (ciphertext bytes S3 acknowledged, parts in flight, retries),
    /// for progress reports; still readable once the segment is completed. Null where nothing is uploaded.
    /// </summary>
    UploadProgress? Upload { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken);

    /// <summary>Seals the last chunk and completes the object.</summary>
    Task<SegmentWritten> CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Gives up on the segment; nothing incomplete stays visible as an object.</summary>
    Task AbortAsync(CancellationToken cancellationToken);
}

public sealed record SegmentWritten(string Location, long CiphertextBytes, string CiphertextSha256, long PlaintextBytes);
