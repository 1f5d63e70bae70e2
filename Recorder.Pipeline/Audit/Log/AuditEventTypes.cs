namespace Recorder.Pipeline.Audit.Log;

/// <summary>The kinds of audit events (the <c>type</c> field). Part of the log's format: keep them.</summary>
public static class AuditEventTypes
{
    public const string RecordingScheduled = "recording.scheduled";
    public const string RecordingStarted = "recording.started";
    public const string SegmentCompleted = "segment.completed";
    public const string SegmentTruncated = "segment.truncated";
    public const string RecordingEnded = "recording.ended";
    public const string GrantIssued = "grant.issued";
    public const string RetentionSet = "retention.set";
    public const string LegalHoldSet = "legal-hold.set";
    public const string LegalHoldReleased = "legal-hold.released";
    public const string RecordingDeleted = "recording.deleted";

    public static IReadOnlyList<string> All { get; } =
    [
        RecordingScheduled, RecordingStarted, SegmentCompleted, SegmentTruncated, RecordingEnded, GrantIssued, RetentionSet,
        LegalHoldSet, LegalHoldReleased, RecordingDeleted,
    ];
}
