namespace Recorder.Pipeline.Audit.Log;

/// <summary>
/// What <see cref="AuditLogVerifier"/> found: how many entries, the newest checkpoint, every finding, and the events
/// per recording (for checking manifests against the log).
/// </summary>
public sealed record AuditLogCheck(
    long Entries, long Checkpoints, AuditLogSummary Summary, IReadOnlyList<AuditFinding> Findings,
    IReadOnlyDictionary<string, IReadOnlyList<AuditEvent>> EventsByRecording);
