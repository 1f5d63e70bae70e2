using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Recorder.Service.Api;

namespace Recorder.Tests.Service;

public sealed class TokenRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new();

    private static HttpContext Caller(string who)
    {
        var context = new DefaultHttpContext();
        context.Items["who"] = who;
        return context;
    }

    private TokenRateLimiter Limiter(int perSecond, int burst) => new(c => (string)c.Items["who"]!, perSecond, burst, _clock);

    [Fact]
    public void A_burst_is_allowed_then_the_rate_and_the_wait_is_said()
    {
        using var limiter = Limiter(perSecond: 2, burst: 3);
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => limiter.AttemptAcquire(Caller("a")).IsAcquired));
        using var refused = limiter.AttemptAcquire(Caller("a"));
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(0.5), wait);

        _clock.Advance(TimeSpan.FromSeconds(0.5)); // one token back at 2 a second
        Assert.Equal([true, false], Enumerable.Range(0, 2).Select(_ => limiter.AttemptAcquire(Caller("a")).IsAcquired));
        _clock.Advance(TimeSpan.FromMinutes(1)); // never more than the burst
        Assert.Equal(3, Enumerable.Range(0, 5).Count(_ => limiter.AttemptAcquire(Caller("a")).IsAcquired));
    }

    [Fact]
    public void Callers_have_buckets_of_their_own_and_idle_ones_are_dropped()
    {
        using var limiter = Limiter(perSecond: 1, burst: 1);
        Assert.True(limiter.AttemptAcquire(Caller("a")).IsAcquired);
        Assert.False(limiter.AttemptAcquire(Caller("a")).IsAcquired);
        Assert.True(limiter.AttemptAcquire(Caller("b")).IsAcquired);
        Assert.Equal(2, limiter.Partitions);
        _clock.Advance(TimeSpan.FromMinutes(11));
        Assert.True(limiter.AttemptAcquire(Caller("c")).IsAcquired); // a sweep is due: a and b went idle
        Assert.Equal(1, limiter.Partitions);
    }
}
