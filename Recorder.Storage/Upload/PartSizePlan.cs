namespace Recorder.Storage;

/// <summary>
/// Part sizes for one upload. S3 allows 10,000 parts of at least 5 MiB (all
/// but the last). The first <see cref="GrowthFromPartNumber"/> − 1 parts are
/// sized so the expected length fits in half the part numbers; the other half
/// is kept for a recording that outlives its estimate, with parts grown so the
/// longest configured recording still fits. Sizes are whole MiB.
/// </summary>
public sealed record PartSizePlan(long InitialPartSizeBytes, int GrowthFromPartNumber, long GrownPartSizeBytes)
{
    public const int MaxParts = 10_000;
    public const long MinPartSizeBytes = 5L * 1024 * 1024;
    private const long MiB = 1024 * 1024;
    private const int PartsForEstimate = MaxParts / 2;

    public long MaxPartSizeBytes => Math.Max(InitialPartSizeBytes, GrownPartSizeBytes);

    /// <summary>The most bytes an upload on this plan can carry.</summary>
    public long CapacityBytes =>
        (GrowthFromPartNumber - 1) * InitialPartSizeBytes + (MaxParts - GrowthFromPartNumber + 1) * GrownPartSizeBytes;

    public long SizeOfPart(int partNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partNumber, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partNumber, MaxParts);
        return partNumber < GrowthFromPartNumber ? InitialPartSizeBytes : GrownPartSizeBytes;
    }

    /// <param name="expectedLengthBytes">The usual length of a recording (sizes the first half of the parts).</param>
    /// <param name="maxLengthBytes">The longest recording allowed (must fit in 10,000 parts).</param>
    /// <param name="minPartSizeBytes">Smallest part wanted (at least 5 MiB).</param>
    public static PartSizePlan Choose(long expectedLengthBytes, long maxLengthBytes, long minPartSizeBytes = MinPartSizeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedLengthBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(minPartSizeBytes, MinPartSizeBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLengthBytes, expectedLengthBytes);
        var initial = RoundUpToMiB(Math.Max(minPartSizeBytes, CeilDiv(expectedLengthBytes, PartsForEstimate)));
        var coveredByInitial = initial * PartsForEstimate;
        var grown = maxLengthBytes <= coveredByInitial
            ? initial
            : RoundUpToMiB(Math.Max(initial, CeilDiv(maxLengthBytes - coveredByInitial, MaxParts - PartsForEstimate)));
        return new PartSizePlan(initial, PartsForEstimate + 1, grown);
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;

    private static long RoundUpToMiB(long bytes) => CeilDiv(bytes, MiB) * MiB;
}
