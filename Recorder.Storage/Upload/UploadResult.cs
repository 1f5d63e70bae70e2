namespace Recorder.Storage;

/// <summary>A completed upload: where the object is, its ETag, its length and how many parts made it.</summary>
public sealed record UploadResult(string Bucket, string Key, string UploadId, string ETag, long LengthBytes, int PartCount)
{
    public override string ToString() => $"s3://{Bucket}/{Key}";
}
