namespace Recorder.Storage;

/// <summary>
/// How an <see cref="S3SeekableReadStream"/> fetches. It holds at most
/// (<see cref="ReadAheadBlocks"/> + 1) × <see cref="BlockSizeBytes"/> bytes:
/// the block being read and the blocks fetched ahead of it in parallel.
/// </summary>
public sealed record SeekableReadOptions
{
    /// <summary>Bytes per ranged GET.</summary>
    public int BlockSizeBytes { get; init; } = 1024 * 1024;

    /// <summary>Blocks fetched ahead of the reader, concurrently (0: none).</summary>
    public int ReadAheadBlocks { get; init; } = 4;

    public TimeSpan OutageWindow { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long the opening HEAD retries an S3 that cannot be reached; null: <see cref="OutageWindow"/>. Before
    /// anything has been read, a command line tool does better to say soon that the endpoint is wrong or down.
    /// </summary>
    public TimeSpan? OpenOutageWindow { get; init; }

    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BlockSizeBytes, nameof(BlockSizeBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(ReadAheadBlocks, nameof(ReadAheadBlocks));
        if (OutageWindow <= TimeSpan.Zero || OpenOutageWindow <= TimeSpan.Zero || RetryInitialDelay <= TimeSpan.Zero || RetryMaxDelay < RetryInitialDelay)
            throw new ArgumentException("OutageWindow, OpenOutageWindow and RetryInitialDelay must be positive, RetryMaxDelay at least RetryInitialDelay");
    }
}
