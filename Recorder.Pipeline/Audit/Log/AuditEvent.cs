namespace Recorder.Pipeline.Audit.Log;

/// <summary>
/// One audit event as its writer states it: what happened, when, to which recording of which host, by which worker,
/// and the facts that pin it down (a segment's object, size and SHA-256; a retention's mode and days; a grant's
/// recipient fingerprint). Ids only: no names, no meeting URIs, no content — nothing personal.
/// </summary>
public sealed record AuditEvent
{
    public required string Type { get; init; }
    public required DateTimeOffset Time { get; init; }
    public string? HostId { get; init; }
    public string? RecordingId { get; init; }
    /// <summary>The worker (service instance) that wrote it.</summary>
    public string? Worker { get; init; }
    public int? Segment { get; init; }
    /// <summary>The object the event is about: a key in the bucket.</summary>
    public string? Object { get; init; }
    public long? Bytes { get; init; }
    public string? Sha256 { get; init; }
    /// <summary>A recipient's fingerprint (grants), a retention mode (COMPLIANCE/GOVERNANCE), an end reason: the event's one short detail.</summary>
    public string? Detail { get; init; }
    public long? Days { get; init; }
    public long? LeaseEpoch { get; init; }
}
