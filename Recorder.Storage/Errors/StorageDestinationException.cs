namespace Recorder.Storage;

/// <summary>
/// The destination refused the operation for a reason a retry cannot fix: the
/// bucket does not exist, the credentials are unknown or lack permission, the
/// KMS key is refused. Raised at the first such answer (no retries); the
/// message names the bucket/key and the cause, never a secret.
/// </summary>
public sealed class StorageDestinationException : StorageException
{
    public StorageDestinationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
