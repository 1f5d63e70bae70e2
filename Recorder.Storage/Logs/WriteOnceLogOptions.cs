namespace Recorder.Storage;

/// <summary>Limits and retry timing of a <see cref="WriteOnceLog"/>.</summary>
public sealed record WriteOnceLogOptions
{
    /// <summary>
    /// PUTs one append may make (won, lost or in conflict) before it gives up. Each lost one means another writer
    /// appended, so running out means a server that keeps neither the condition nor the version order, or writers
    /// appending back to back: one of 8 such writers has needed about 115 PUTs for one entry on the local Ceph.
    /// </summary>
    public int MaxAttemptsPerAppend { get; init; } = 100;

    /// <summary>Largest entry written or read; a bigger version found while reading is refused, not loaded.</summary>
    public long MaxEntrySizeBytes { get; init; } = 1 << 20;

    /// <summary>Keys or versions per listing request (S3 allows 1 to 1000).</summary>
    public int ListPageSize { get; init; } = 1000;

    /// <summary>How long transient failures of one call may last before <see cref="StorageOutageException"/>.</summary>
    public TimeSpan OutageWindow { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After a race lost in a versioned bucket (its version was not the oldest) or a 409 conflict, the writer waits
    /// a random time up to this, doubled with each further loss in the same append (up to
    /// <see cref="ContentionMaxDelay"/>): racers spread out instead of all trying the next index at once, which on
    /// Ceph leaves a version per loser (8 writers back to back: a third to half as many with the defaults).
    /// </summary>
    public TimeSpan ContentionInitialDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan ContentionMaxDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxAttemptsPerAppend);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEntrySizeBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ListPageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ListPageSize, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(OutageWindow, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryInitialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryMaxDelay, RetryInitialDelay);
        ArgumentOutOfRangeException.ThrowIfLessThan(ContentionInitialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(ContentionMaxDelay, ContentionInitialDelay);
    }
}
