namespace Recorder.Storage;

/// <summary>
/// The answer to <see cref="IObjectStore.PutIfAbsentAsync"/>: the outcome and, when
/// <see cref="PutIfAbsentOutcome.Created"/>, the ETag and the new version's id
/// (null in a bucket that never had versioning).
/// </summary>
public sealed record PutIfAbsentResult(PutIfAbsentOutcome Outcome, string? VersionId, string? ETag)
{
    public static PutIfAbsentResult Created(string? versionId, string etag) => new(PutIfAbsentOutcome.Created, versionId, etag);

    public static PutIfAbsentResult AlreadyExists { get; } = new(PutIfAbsentOutcome.AlreadyExists, null, null);

    public static PutIfAbsentResult Conflict { get; } = new(PutIfAbsentOutcome.Conflict, null, null);
}
