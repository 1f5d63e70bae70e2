using System.Text.Json.Serialization;

namespace Recorder.Pipeline.Audit;

/// <summary>
/// What <c>recorder audit</c> found in a bucket (under a prefix): counts of what it checked, the bucket's settings,
/// and every finding. <see cref="Holds"/> is false when any finding is a violation or any setting failed.
/// </summary>
public sealed record AuditReport
{
    public required string Bucket { get; init; }
    public required string Prefix { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    /// <summary>The recorder's build that ran the audit.</summary>
    public required string AuditorBuild { get; init; }
    public required AuditCounts Counts { get; init; }
    public required IReadOnlyList<BucketSettingCheck> Settings { get; init; }
    public required IReadOnlyList<AuditFinding> Findings { get; init; }
    /// <summary>The audit log's state: entries, the latest checkpoint, and the verifier key of its checkpoints.</summary>
    public AuditLogSummary? Log { get; init; }

    public bool Holds => Findings.All(f => f.Severity != FindingSeverity.Violation) && Settings.All(s => s.Status != SettingStatus.Fail);
}

/// <summary>How much was checked.</summary>
public sealed record AuditCounts(long Objects, long Bytes, long Recordings, long Segments, long IncompleteUploads, long LogEntries, long Checkpoints);

[JsonConverter(typeof(JsonStringEnumConverter<SettingStatus>))]
public enum SettingStatus
{
    [JsonStringEnumMemberName("pass")]
    Pass,
    [JsonStringEnumMemberName("fail")]
    Fail,
    /// <summary>The server does not report it, or its answer proves nothing (e.g. Ceph's 200 for default encryption).</summary>
    [JsonStringEnumMemberName("cannot-verify")]
    CannotVerify,
}

/// <summary>One bucket setting: what was checked, the outcome, what the server said, and the command that shows it.</summary>
public sealed record BucketSettingCheck(string Name, SettingStatus Status, string Detail, string Reproduce);

/// <summary>The audit log as found: entries, the newest checkpoint's size and root, and the C2SP verifier key of the checkpoints.</summary>
public sealed record AuditLogSummary(long Entries, long? CheckpointSize, string? CheckpointRoot, string? VerifierKey, string Origin);
