namespace Recorder.Tests.Infrastructure;

/// <summary>
/// What <see cref="FaultInjectingS3Proxy"/> does to UploadPart requests, each
/// drawn from a seeded random sequence: answer 500 or 503 SlowDown, reset the
/// connection halfway through the body, or hold the request for a latency spike.
/// </summary>
public sealed record FaultPlan
{
    public double ErrorRate { get; init; } = 0.20;
    public double ResetRate { get; init; } = 0.05;
    public double LatencyRate { get; init; } = 0.05;
    public TimeSpan Latency { get; init; } = TimeSpan.FromSeconds(2);
    public int Seed { get; init; } = 4;

    /// <summary>Faults for the first UploadPart requests, before the random draws (so each kind surely happens).</summary>
    public IReadOnlyList<InjectedFault> FirstFaults { get; init; } = [];
}

public enum InjectedFault { None, Error500, Error503, ResetMidBody, LatencySpike }
