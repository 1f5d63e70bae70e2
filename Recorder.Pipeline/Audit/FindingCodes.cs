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
    };

    public static FindingSeverity Severity(string code) => Known.TryGetValue(code, out var known) ? known.Severity : FindingSeverity.Violation;

    public static string Title(string code) => Known.TryGetValue(code, out var known) ? known.Title : code;

    /// <summary>A finding of a known class, with that class's severity.</summary>
    public static AuditFinding Finding(string code, string subject, string message, string? reproduce = null) =>
        new(code, Severity(code), subject, message, reproduce);
}
