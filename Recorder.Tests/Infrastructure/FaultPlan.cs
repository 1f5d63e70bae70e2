namespace Recorder.Tests.Infrastructure;

/// <summary>
/// What <see cref="FaultInjectingS3Proxy"/> does to UploadPart requests, each
/// drawn from a seeded random sequence: answer 500 or 503 SlowDown, reset the
/// connection halfway through the body, or hold the request for a latency spike;
/// never more than <see cref="MaxFailuresInARow"/> failures in a row for one part.
/// </summary>
public sealed record FaultPlan
{
    public double ErrorRate { get; init; } = 0.20;
    public double ResetRate { get; init; } = 0.05;
    public double LatencyRate { get; init; } = 0.05;
    public TimeSpan Latency { get; init; } = TimeSpan.FromSeconds(2);
    public int Seed { get; init; } = 4;

    /// <summary>
    /// Injected failures (500, 503, reset) in a row for one part before its next
    /// request is let through: random draws alone could fail one part for longer
    /// than the sink's outage window tolerates, and the test would fail by chance.
    /// </summary>
    public int MaxFailuresInARow { get; init; } = 3;

    /// <summary>Faults for the first UploadPart requests, before the random draws (so each kind surely happens).</summary>
    public IReadOnlyList<InjectedFault> FirstFaults { get; init; } = [];
}

public enum InjectedFault { None, Error500, Error503, ResetMidBody, LatencySpike }
