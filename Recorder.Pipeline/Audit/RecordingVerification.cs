namespace Recorder.Pipeline.Audit;

/// <summary>What <see cref="RecordingVerifier"/> found for one recording: the facts it checked and every finding.</summary>
public sealed record RecordingVerification(
    string Manifest, string? RecordingId, string? HostId, ManifestSignatureFacts Signature, IReadOnlyList<SegmentFacts> Segments,
    IReadOnlyList<AuditFinding> Findings)
{
    /// <summary>True when no finding is a violation.</summary>
    public bool Holds => Findings.All(f => f.Severity != FindingSeverity.Violation);

    /// <summary>With <see cref="VerifyOptions.CheckAuditLog"/>: the recording's events in the audit log, in order (who did what, when).</summary>
    public IReadOnlyList<Log.AuditEvent>? AuditEvents { get; init; }
}

/// <summary>
/// The manifest's signature: <c>signed</c>, <c>unsigned</c> or <c>invalid</c>; the signer's fingerprint; and why it is
/// trusted: <c>trusted</c> (a --trust key, valid then), <c>bucket-only</c> (its key is published in the bucket, nothing
/// more), or <c>untrusted</c>.
/// </summary>
public sealed record ManifestSignatureFacts(string Status, string? Signer, string? Trust);

/// <summary>One segment as checked: the stored bytes and their hash, the header's recipients, and (with a key) the decrypted media.</summary>
public sealed record SegmentFacts(
    int Number, string Location, long? Bytes, bool HashMatches, IReadOnlyList<string> Recipients, bool Truncated,
    bool? Decrypted, double? MediaSeconds, IReadOnlyList<string>? Streams)
{
    /// <summary>The SHA-256 the manifest gives (what the log's segment event must name).</summary>
    public string? Sha256 { get; init; }
}
