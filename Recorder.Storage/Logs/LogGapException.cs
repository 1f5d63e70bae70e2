namespace Recorder.Storage;

/// <summary>
/// A <see cref="WriteOnceLog"/> has no entry at <see cref="MissingIndex"/> but has one at <see cref="NextIndex"/>.
/// Writers never skip an index, so an entry was deleted (a plain bucket, or every version of it in a versioned
/// one): the log has been tampered with.
/// </summary>
public sealed class LogGapException : StorageException
{
    public LogGapException(string message, long missingIndex, long nextIndex)
        : base(message)
    {
        MissingIndex = missingIndex;
        NextIndex = nextIndex;
    }

    public long MissingIndex { get; }

    public long NextIndex { get; }
}
