namespace Recorder.Storage;

/// <summary>
/// A version this writer added to an entry key and lost (an older version of the key won). The entry the writer
/// finally writes should list it: a later, signed entry claiming an extra version is how an auditor tells a
/// race loser from a rewrite.
/// </summary>
public sealed record LostAppendAttempt(long Index, string Key, string VersionId);
