namespace Recorder.Storage;

/// <summary>
/// An entry written: its index, key and version (null in a bucket without versioning), how many PUTs it made,
/// and the versions lost on the way (the same list the last build was given).
/// </summary>
public sealed record LogAppendResult(long Index, string Key, string? VersionId, int Attempts, IReadOnlyList<LostAppendAttempt> LostAttempts);
