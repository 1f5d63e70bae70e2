namespace Recorder.Storage;

/// <summary>
/// Transient failures went on for longer than the configured outage window:
/// the destination is treated as gone. The inner exception is the last
/// transient failure.
/// </summary>
public sealed class StorageOutageException : StorageException
{
    public StorageOutageException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>How long the failures lasted before giving up.</summary>
    public TimeSpan OutageDuration { get; init; }

    /// <summary>How many attempts failed in that time.</summary>
    public int FailedAttempts { get; init; }
}
