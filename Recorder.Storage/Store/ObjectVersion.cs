namespace Recorder.Storage;

/// <summary>
/// One version of a key as a version listing shows it. <see cref="VersionId"/> is null for the
/// version a bucket without versioning holds (S3 calls it "null"); a delete marker has no bytes.
/// </summary>
public sealed record ObjectVersion(
    string Key, string? VersionId, long SizeBytes, string ETag, DateTimeOffset LastModified, bool IsDeleteMarker);
