namespace Recorder.Storage;

/// <summary>
/// A bucket's settings as the server reports them, raw, for an audit to judge: each is the server's answer, "none"
/// when it says there is none, or null with the error when it would not say (<see cref="Errors"/>).
/// </summary>
public sealed record BucketSettings
{
    /// <summary>Enabled, Suspended or Off.</summary>
    public string? Versioning { get; init; }
    /// <summary>Object Lock: enabled, and the default retention (mode, days) when one is set.</summary>
    public bool? ObjectLockEnabled { get; init; }
    public string? DefaultRetentionMode { get; init; }
    public int? DefaultRetentionDays { get; init; }
    /// <summary>The bucket policy's JSON, or "" when there is none.</summary>
    public string? Policy { get; init; }
    /// <summary>The public access block's four flags, or null with an error (Ceph answers all-false when none is set).</summary>
    public IReadOnlyDictionary<string, bool>? PublicAccessBlock { get; init; }
    /// <summary>Days after which the lifecycle aborts incomplete multipart uploads (the smallest rule), or -1 when no rule does.</summary>
    public int? AbortIncompleteUploadDays { get; init; }
    /// <summary>Default encryption algorithms the server reports, empty when it reports none.</summary>
    public IReadOnlyList<string>? DefaultEncryption { get; init; }
    /// <summary>Per setting, the server's error when it would not answer.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();
}
