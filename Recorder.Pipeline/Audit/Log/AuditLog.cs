namespace Recorder.Pipeline.Audit.Log;

/// <summary>
/// Where the audit log lives in the bucket: <c>{prefix}audit/</c> — entries at <c>entries/{index:D12}</c> (written
/// once, never overwritten), checkpoints at <c>checkpoint</c> (the newest, C2SP tlog-checkpoint in a signed note)
/// and <c>checkpoints/{size:D12}</c> (every one, written once), tiles at <c>tile/…</c> (C2SP tlog-tiles).
/// </summary>
public static class AuditLog
{
    public const string Folder = "audit/";

    public static string Prefix(string bucketPrefix) =>
        (bucketPrefix.Length > 0 && !bucketPrefix.EndsWith('/') ? bucketPrefix + "/" : bucketPrefix) + Folder;

    /// <summary>The checkpoints' origin line and note key name: the log's place, <c>{bucket}/{prefix}audit</c>.</summary>
    public static string Origin(string bucket, string bucketPrefix) => $"{bucket}/{Prefix(bucketPrefix).TrimEnd('/')}";

    public static string CheckpointKey(string bucketPrefix) => Prefix(bucketPrefix) + "checkpoint";

    public static string CheckpointHistoryKey(string bucketPrefix, long size) =>
        Prefix(bucketPrefix) + "checkpoints/" + size.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);

    public static string CheckpointHistoryPrefix(string bucketPrefix) => Prefix(bucketPrefix) + "checkpoints/";
}
