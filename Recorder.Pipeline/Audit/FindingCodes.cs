namespace Recorder.Pipeline.Audit;

/// <summary>The finding classes, each with its severity and a title for reports. Codes are part of the JSON output: keep them.</summary>
public static class FindingCodes
{
    public const string ManifestMissing = "manifest-missing";
    public const string ManifestMalformed = "manifest-malformed";
    public const string ManifestUnsigned = "manifest-unsigned";
    public const string SignatureInvalid = "signature-invalid";
    public const string SignerUntrusted = "signer-untrusted";
    public const string SignerOnlyInBucket = "signer-only-in-bucket";
    public const string SegmentMissing = "segment-missing";
    public const string SegmentOutsideRecording = "segment-outside-recording";
    public const string SegmentHashMismatch = "segment-hash-mismatch";
    public const string SegmentNotAge = "segment-not-age";
    public const string RecipientsMismatch = "recipients-mismatch";
    public const string SegmentTruncated = "segment-truncated";
    public const string DecryptionFailed = "decryption-failed";
    public const string MediaMismatch = "media-mismatch";
    public const string ObjectNotEncrypted = "object-not-encrypted";
    public const string AgeWithoutManifest = "age-without-manifest";
    public const string RecipientsNotRegistered = "recipients-not-registered";
    public const string TooManyRecipients = "too-many-recipients";
    public const string RecordingGap = "recording-gap";
    public const string UploadStale = "upload-stale";
    public const string TailPiecesLeft = "upload-tail-pieces";
    public const string LogEntryMalformed = "log-entry-malformed";
    public const string LogChainBroken = "log-chain-broken";
    public const string LogGap = "log-gap";
    public const string LogEntryRewritten = "log-entry-rewritten";
    public const string LogEventUnsigned = "log-event-unsigned";
    public const string LogSignatureInvalid = "log-signature-invalid";
    public const string LogSignerUntrusted = "log-signer-untrusted";
    public const string CheckpointInvalid = "checkpoint-invalid";
    public const string CheckpointInconsistent = "checkpoint-inconsistent";
    public const string LogNotCheckpointed = "log-not-checkpointed";
    public const string LogEventsMismatch = "log-events-mismatch";

    private static readonly Dictionary<string, (FindingSeverity Severity, string Title)> Known = new(StringComparer.Ordinal)
    {
        [ManifestMissing] = (FindingSeverity.Violation, "Segments without a manifest"),
        [ManifestMalformed] = (FindingSeverity.Violation, "Manifests that cannot be read"),
        [ManifestUnsigned] = (FindingSeverity.Violation, "Unsigned manifests"),
        [SignatureInvalid] = (FindingSeverity.Violation, "Manifest signatures that do not verify"),
        [SignerUntrusted] = (FindingSeverity.Violation, "Manifests signed by a key that is not trusted"),
        [SignerOnlyInBucket] = (FindingSeverity.Notice, "Signers known only from the bucket"),
        [SegmentMissing] = (FindingSeverity.Violation, "Segments listed in a manifest but not stored"),
        [SegmentOutsideRecording] = (FindingSeverity.Violation, "Segments a manifest places outside its recording"),
        [SegmentHashMismatch] = (FindingSeverity.Violation, "Segments whose bytes differ from the manifest"),
        [SegmentNotAge] = (FindingSeverity.Violation, "Segments that are not age files"),
        [RecipientsMismatch] = (FindingSeverity.Violation, "Segments encrypted for other recipients than the manifest says"),
        [SegmentTruncated] = (FindingSeverity.Warning, "Truncated segments (their worker died)"),
        [DecryptionFailed] = (FindingSeverity.Violation, "Segments that fail authenticated decryption"),
        [MediaMismatch] = (FindingSeverity.Violation, "Decrypted media that does not match the manifest"),
        [ObjectNotEncrypted] = (FindingSeverity.Violation, "Objects that are not encrypted"),
        [AgeWithoutManifest] = (FindingSeverity.Violation, "age files no manifest lists"),
        [RecipientsNotRegistered] = (FindingSeverity.Violation, "Segments encrypted for keys the host did not register"),
        [TooManyRecipients] = (FindingSeverity.Violation, "Segments with more recipients than the host allows"),
        [RecordingGap] = (FindingSeverity.Warning, "Gaps between a recording's segments (media lost in a take-over)"),
        [UploadStale] = (FindingSeverity.Warning, "Incomplete multipart uploads older than the threshold"),
        [TailPiecesLeft] = (FindingSeverity.Warning, "Tail pieces of an upload whose worker died, older than the threshold"),
        [LogEntryMalformed] = (FindingSeverity.Violation, "Audit log entries that cannot be read or are not canonical"),
        [LogChainBroken] = (FindingSeverity.Violation, "Breaks or forks in the audit log's hash chain"),
        [LogGap] = (FindingSeverity.Violation, "Gaps in the audit log (deleted entries)"),
        [LogEntryRewritten] = (FindingSeverity.Violation, "Audit log entries rewritten or deleted (extra versions no writer accounts for)"),
        [LogEventUnsigned] = (FindingSeverity.Violation, "Unsigned audit events"),
        [LogSignatureInvalid] = (FindingSeverity.Violation, "Audit events whose signature does not verify"),
        [LogSignerUntrusted] = (FindingSeverity.Violation, "Audit events signed by a key that is not trusted"),
        [CheckpointInvalid] = (FindingSeverity.Violation, "Checkpoints that cannot be read or whose signature does not verify"),
        [CheckpointInconsistent] = (FindingSeverity.Violation, "Checkpoints that do not commit to the stored log (do not extend each other)"),
        [LogNotCheckpointed] = (FindingSeverity.Warning, "Audit log entries no checkpoint covers yet"),
        [LogEventsMismatch] = (FindingSeverity.Violation, "Recordings whose audit events disagree with their manifest"),
    };

    public static FindingSeverity Severity(string code) => Known.TryGetValue(code, out var known) ? known.Severity : FindingSeverity.Violation;

    public static string Title(string code) => Known.TryGetValue(code, out var known) ? known.Title : code;

    /// <summary>A finding of a known class, with that class's severity.</summary>
    public static AuditFinding Finding(string code, string subject, string message, string? reproduce = null) =>
        new(code, Severity(code), subject, message, reproduce);
}
