namespace Recorder.Storage;

/// <summary>
/// The multipart upload does not exist (any more): it was completed, aborted,
/// or removed by a lifecycle rule. AWS answers NoSuchUpload; Ceph RGW answers
/// NoSuchKey to ListParts and 500 InternalError to CompleteMultipartUpload for
/// an aborted upload, and <see cref="S3ObjectStore"/> turns both into this.
/// </summary>
public sealed class MultipartUploadNotFoundException : StorageException
{
    public MultipartUploadNotFoundException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public string? UploadId { get; init; }
}
