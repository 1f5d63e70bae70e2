using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Recorder.Service.Api;

/// <summary>
/// A token bucket per caller (token, or address without one), for ASP.NET
/// Core's rate-limiting middleware. The library's own partitioned limiter
/// (<c>PartitionedRateLimiter.Create</c>) wakes a timer every 100 ms to
/// replenish its buckets: measured here, that was 1.2% of a core with the
/// service idle, five times everything else it does idle (bench/service.sh,
/// docs/benchmarks.md). This one refills a bucket from the time elapsed when
/// it is asked, so an idle service does nothing; buckets idle for 10 minutes
/// (full again by then) are dropped.
/// </summary>
public sealed class TokenRateLimiter(Func<HttpContext, string> partition, int perSecond, int burst, TimeProvider? clock = null) : PartitionedRateLimiter<HttpContext>
{
    private static readonly TimeSpan IdleFor = TimeSpan.FromMinutes(10);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private long _nextSweep = long.MinValue;

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) =>
        _buckets.TryGetValue(partition(resource), out var bucket)
            ? new RateLimiterStatistics { CurrentAvailablePermits = (long)bucket.Peek(perSecond, burst, _clock) }
            : new RateLimiterStatistics { CurrentAvailablePermits = burst };

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        var now = _clock.GetTimestamp();
        Sweep(now);
        var bucket = _buckets.GetOrAdd(partition(resource), static (_, state) => new Bucket(state.burst, state.now, state._clock), (burst, now, _clock));
        var wait = bucket.Take(permitCount, perSecond, burst, now);
        return wait is null ? Lease.Acquired : new Lease(wait.Value);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

    private void Sweep(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + _clock.TimestampFrequency * 60, due) != due) return;
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.IdleSince(now) > IdleFor) _buckets.TryRemove(key, out _);
        }
    }

    /// <summary>Buckets held (for tests: idle ones are dropped).</summary>
    internal int Partitions => _buckets.Count;

    private sealed class Bucket(double tokens, long at, TimeProvider clock)
    {
        private readonly Lock _gate = new();

        /// <summary>Takes the permits, or says how long until there are enough.</summary>
        public TimeSpan? Take(int permits, int perSecond, int burst, long now)
        {
            lock (_gate)
            {
                Refill(perSecond, burst, now);
                if (tokens >= permits)
                {
                    tokens -= permits;
                    return null;
                }
                return TimeSpan.FromSeconds((permits - tokens) / perSecond);
            }
        }

        public double Peek(int perSecond, int burst, TimeProvider clock)
        {
            lock (_gate)
            {
                Refill(perSecond, burst, clock.GetTimestamp());
                return tokens;
            }
        }

        public TimeSpan IdleSince(long now)
        {
            lock (_gate) return clock.GetElapsedTime(at, now);
        }

        private void Refill(int perSecond, int burst, long now)
        {
            tokens = Math.Min(burst, tokens + clock.GetElapsedTime(at, now).TotalSeconds * perSecond);
            at = now;
        }
    }

    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(null);

        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
