using Hangfire;

namespace Recorder.Service.Webhooks;

/// <summary>
/// Retries for webhook jobs with the configured delays (Hangfire's default
/// back-off, (n−1)⁴ + 15 + rand(30)·n seconds, is not configurable per queue).
/// Recording jobs are never retried by Hangfire: they handle failures themselves.
/// </summary>
public static class WebhookRetryFilter
{
    public static AutomaticRetryAttribute Create(IReadOnlyList<int> delaysSeconds) => new()
    {
        Attempts = delaysSeconds.Count,
        DelaysInSeconds = delaysSeconds.ToArray(),
        OnAttemptsExceeded = AttemptsExceededAction.Fail,
        LogEvents = true,
    };
}
