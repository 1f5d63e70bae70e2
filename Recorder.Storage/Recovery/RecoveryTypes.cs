namespace Recorder.Storage;

/// <summary>What to do with an upload whose writer died.</summary>
public enum RecoveryPolicy
{
    /// <summary>Complete it with the contiguous run of parts from part 1 and tag the object truncated.</summary>
    CompleteTruncated,

    /// <summary>Abort it: S3 deletes its parts.</summary>
    Abort,
}

public enum RecoveryOutcome
{
    /// <summary>The uploaded prefix is now an object, tagged <see cref="ObjectDestination.TruncatedTagName"/>=true.</summary>
    CompletedTruncated,

    /// <summary>The upload was aborted (by policy, or because part 1 never arrived).</summary>
    Aborted,

    /// <summary>The upload had already been completed (the object is there with the expected ETag or size).</summary>
    AlreadyCompleted,

    /// <summary>The upload no longer exists and left no matching object.</summary>
    AlreadyGone,
}

/// <summary>The result of recovering one upload.</summary>
public sealed record RecoveryResult(
    MultipartUploadId Upload,
    RecoveryOutcome Outcome,
    long LengthBytes,
    int PartCount,
    string? ETag,
    IReadOnlyList<int> DiscardedPartNumbers);

/// <summary>Retry settings and page size for <see cref="MultipartUploadRecovery"/>.</summary>
public sealed record RecoveryOptions
{
    public TimeSpan OutageWindow { get; init; } = TimeSpan.FromMinutes(2);
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);
    public int ListPageSize { get; init; } = 1000;
}
