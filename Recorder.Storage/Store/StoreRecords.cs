namespace Recorder.Storage;

/// <summary>One multipart upload: where it goes and the id S3 gave it.</summary>
public sealed record MultipartUploadId(string Bucket, string Key, string UploadId)
{
    public override string ToString() => $"s3://{Bucket}/{Key} (upload {UploadId})";
}

/// <summary>
/// A part S3 acknowledged. <paramref name="ContentMd5"/> is the base64 MD5 sent
/// as Content-MD5 (null when the part was only listed), so the multipart ETag
/// of a completed object can be predicted and checked.
/// </summary>
public sealed record UploadedPart(int PartNumber, string ETag, long SizeBytes, string? ContentMd5 = null);

/// <summary>What HEAD says of an object.</summary>
public sealed record StoredObject(
    string Bucket,
    string Key,
    long SizeBytes,
    string ETag,
    DateTimeOffset LastModified,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>One entry of an object listing (no metadata: that needs a HEAD per object).</summary>
public sealed record ObjectSummary(string Bucket, string Key, long SizeBytes, string ETag, DateTimeOffset LastModified);

/// <summary>A multipart upload that was initiated and neither completed nor aborted.</summary>
public sealed record IncompleteUpload(MultipartUploadId Upload, DateTimeOffset Initiated);
