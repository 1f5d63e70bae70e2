namespace Recorder.Pipeline.Audit;

/// <summary>What <see cref="BucketAuditor"/> audits and against what.</summary>
public sealed record AuditOptions
{
    public string Prefix { get; init; } = "";
    /// <summary>The trusted signing keys (manifests, events, checkpoints); null: keys the bucket publishes, reported so.</summary>
    public TrustedSigners? Trust { get; init; }
    /// <summary>Each host's registered recipient fingerprints (from <c>recorder hosts list --json</c>); null: not checked.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? HostRecipients { get; init; }
    /// <summary>At most this many recipients per segment (the service's RECORDER_MAX_RECIPIENTS_PER_HOST, 8 by default).</summary>
    public int MaxRecipients { get; init; } = 8;
    /// <summary>Incomplete uploads and tail pieces older than this are reported.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromHours(24);
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
