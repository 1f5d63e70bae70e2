namespace Recorder.Storage;

/// <summary>
/// A failure that may go away by itself: a 5xx answer (503 SlowDown
/// included), a timeout, a connection reset or refused, a DNS hiccup. Raised by
/// an <see cref="IObjectStore"/> for one attempt; the sink, the reader and the
/// recovery retry it with backoff until the outage window is spent.
/// </summary>
public sealed class StorageTransientException : StorageException
{
    public StorageTransientException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
