namespace Recorder.Storage;

/// <summary>What <see cref="WriteOnceLog.AppendAsync"/> gives the entry builder for one attempt.</summary>
public sealed class LogAppendContext
{
    internal LogAppendContext(long index, byte[]? previousEntry, IReadOnlyList<LostAppendAttempt> lostAttempts)
    {
        Index = index;
        // Not `PreviousEntry = previousEntry`: a null array converts to an empty memory, not to null.
        if (previousEntry is not null) PreviousEntry = previousEntry;
        LostAttempts = lostAttempts;
    }

    /// <summary>The index this attempt writes.</summary>
    public long Index { get; }

    /// <summary>The winning entry at <see cref="Index"/> − 1 (null at index 0): what a chained entry hashes.</summary>
    public ReadOnlyMemory<byte>? PreviousEntry { get; }

    /// <summary>The versions this append has left behind so far (in the order lost); the entry should record them.</summary>
    public IReadOnlyList<LostAppendAttempt> LostAttempts { get; }
}
