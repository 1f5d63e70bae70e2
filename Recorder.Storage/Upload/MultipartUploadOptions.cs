namespace Recorder.Storage;

/// <summary>
/// How a <see cref="MultipartUploadSink"/> uses memory, parallelism and time.
/// <para>
/// Memory bound: every byte the sink holds is in a 1 MiB block of a part,
/// and blocks are only allocated while their total stays within
/// <see cref="MemoryBudgetBytes"/>; a writer that needs a block beyond it
/// waits (back-pressure) until S3 acknowledges a part and its blocks are
/// reused. At most one part is being filled, up to
/// <see cref="MaxPartsInFlight"/> are being uploaded (or retried), and the rest
/// wait in a bounded channel. The budget must hold
/// (<see cref="MaxPartsInFlight"/> + 1) parts of the largest planned size.
/// </para>
/// </summary>
public sealed record MultipartUploadOptions
{
    private const long MiB = 1024 * 1024;

    /// <summary>All part blocks together never exceed this.</summary>
    public long MemoryBudgetBytes { get; init; } = 64 * MiB;

    /// <summary>Parts uploaded (and retried) concurrently.</summary>
    public int MaxPartsInFlight { get; init; } = 4;

    /// <summary>The usual length of what is written; sizes the parts. Defaults to <see cref="MaxRecordingLengthBytes"/>.</summary>
    public long? ExpectedLengthBytes { get; init; }

    /// <summary>The longest stream the sink must accept (it must fit in 10,000 parts).</summary>
    public long MaxRecordingLengthBytes { get; init; } = 32L * 1024 * MiB;

    /// <summary>The smallest part size to use (at least 5 MiB, S3's minimum).</summary>
    public long MinPartSizeBytes { get; init; } = PartSizePlan.MinPartSizeBytes;

    /// <summary>How long transient failures may go on before the upload fails with <see cref="StorageOutageException"/>.</summary>
    public TimeSpan OutageWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The first backoff after a transient failure; it doubles up to <see cref="RetryMaxDelay"/> (with jitter).</summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How often the bytes not yet in an uploaded part are stored as small "tail pieces" beside the upload
    /// (<see cref="TailPieces"/>), so that a writer that dies loses at most this much more than what it had not
    /// written yet; recovery appends them as the last part. Null: never (a crash loses up to a part).
    /// </summary>
    public TimeSpan? TailCheckpointInterval { get; init; }

    /// <summary>The part sizes these options give.</summary>
    public PartSizePlan PartSizes =>
        PartSizePlan.Choose(ExpectedLengthBytes ?? MaxRecordingLengthBytes, MaxRecordingLengthBytes, MinPartSizeBytes);

    /// <summary>The smallest <see cref="MemoryBudgetBytes"/> these options allow.</summary>
    public long MinimumMemoryBudgetBytes => (MaxPartsInFlight + 1L) * PartSizes.MaxPartSizeBytes;

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting that is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPartsInFlight, 1, nameof(MaxPartsInFlight));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinPartSizeBytes, PartSizePlan.MinPartSizeBytes, nameof(MinPartSizeBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRecordingLengthBytes, nameof(MaxRecordingLengthBytes));
        if (ExpectedLengthBytes is { } expected && (expected < 0 || expected > MaxRecordingLengthBytes))
            throw new ArgumentOutOfRangeException(nameof(ExpectedLengthBytes), expected, "must lie between 0 and MaxRecordingLengthBytes");
        if (OutageWindow <= TimeSpan.Zero || RetryInitialDelay <= TimeSpan.Zero || RetryMaxDelay < RetryInitialDelay)
            throw new ArgumentException("OutageWindow and RetryInitialDelay must be positive, RetryMaxDelay at least RetryInitialDelay");
        if (TailCheckpointInterval is { } tail && tail < TimeSpan.FromMilliseconds(100))
            throw new ArgumentOutOfRangeException(nameof(TailCheckpointInterval), tail, "must be at least 100 ms");
        var plan = PartSizes;
        if (plan.CapacityBytes < MaxRecordingLengthBytes)
            throw new ArgumentException($"MaxRecordingLengthBytes {MaxRecordingLengthBytes} does not fit in {PartSizePlan.MaxParts} parts");
        if (plan.MaxPartSizeBytes > int.MaxValue)
            throw new ArgumentException($"a part of {plan.MaxPartSizeBytes} bytes is too large for one buffer; lower MaxRecordingLengthBytes");
        if (MemoryBudgetBytes < MinimumMemoryBudgetBytes)
        {
            throw new ArgumentException(
                $"MemoryBudgetBytes {MemoryBudgetBytes} cannot hold {MaxPartsInFlight} parts in flight and one being filled: " +
                $"parts grow to {plan.MaxPartSizeBytes} bytes, so at least {MinimumMemoryBudgetBytes} bytes are needed " +
                "(or lower MaxPartsInFlight or MaxRecordingLengthBytes)", nameof(MemoryBudgetBytes));
        }
    }
}
