namespace Recorder.Storage;

/// <summary>
/// One index of a <see cref="WriteOnceLog"/> as a reader sees it: the winning (oldest) version's bytes, and
/// every other version of the key (race losers, rewrites, delete markers) for an audit to account for.
/// </summary>
public sealed record LogEntry(
    long Index, string Key, string? VersionId, byte[] Content, DateTimeOffset LastModified, IReadOnlyList<ObjectVersion> OtherVersions);
