using Recorder.Storage;

namespace Recorder.Tests.Infrastructure;

/// <summary>Counts GetRange calls running at once (each held briefly so overlaps can show).</summary>
public sealed class ConcurrencyProbeStore(IObjectStore inner) : DelegatingObjectStore(inner)
{
    private int _running;
    private int _peak;
    private int _calls;

    public int PeakConcurrentReads => Volatile.Read(ref _peak);
    public int Reads => Volatile.Read(ref _calls);

    public override async Task<int> GetRangeAsync(
        string bucket, string key, long offset, Memory<byte> destination, string? ifMatchETag, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var now = Interlocked.Increment(ref _running);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }
        try
        {
            await Task.Delay(20, cancellationToken);
            return await Inner.GetRangeAsync(bucket, key, offset, destination, ifMatchETag, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
