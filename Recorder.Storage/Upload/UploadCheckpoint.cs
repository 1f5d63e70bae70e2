namespace Recorder.Storage;

public enum UploadCheckpointStatus
{
    /// <summary>Parts are being uploaded; <see cref="UploadCheckpoint.Parts"/> lists those S3 acknowledged.</summary>
    Uploading,

    /// <summary>The object exists; the checkpoint may be deleted.</summary>
    Completed,

    /// <summary>The upload was aborted; nothing remains on S3.</summary>
    Aborted,
}

/// <summary>
/// What a restarted job or a recovery job needs to complete or abort an upload
/// without ListParts: the destination, the upload id and every acknowledged
/// part with its ETag, size and Content-MD5. Plain data, serialisable with
/// System.Text.Json as it is.
/// </summary>
public sealed record UploadCheckpoint
{
    public required ObjectDestination Destination { get; init; }
    public required string UploadId { get; init; }
    public required UploadCheckpointStatus Status { get; init; }

    /// <summary>Acknowledged parts, ascending by part number (not necessarily contiguous).</summary>
    public required IReadOnlyList<UploadedPart> Parts { get; init; }

    public DateTimeOffset UpdatedAt { get; init; } = DateTimeOffset.UtcNow;

    public MultipartUploadId Upload => new(Destination.Bucket, Destination.Key, UploadId);
}
