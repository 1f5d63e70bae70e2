namespace Recorder.Storage;

/// <summary>
/// A storage operation failed and retrying it will not help (a protocol error
/// such as InvalidPart, or an input this library rejects). The base of the
/// storage error vocabulary: <see cref="StorageDestinationException"/> (the
/// destination's fault), <see cref="StorageOutageException"/> (transient
/// failures outlasted the outage window) and
/// <see cref="MultipartUploadNotFoundException"/>.
/// </summary>
public class StorageException : Exception
{
    public StorageException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>The bucket the operation addressed.</summary>
    public string? Bucket { get; init; }

    /// <summary>The object key the operation addressed, when it had one.</summary>
    public string? Key { get; init; }

    /// <summary>The S3 error code (e.g. <c>NoSuchBucket</c>), when the server sent one.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The HTTP status the server answered, when it answered.</summary>
    public int? StatusCode { get; init; }
}
