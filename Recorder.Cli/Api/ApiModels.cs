namespace Recorder.Cli.Api;

// The CLI's copies of the service's wire shapes (Recorder.Service/Api/ApiModels.cs):
// the CLI may not reference the service (DESIGN.md, "Projects"), and it is compiled
// ahead of time, so these are source-generated (ApiJson). Property names and
// types are the service's, property for property; ApiWireShapeTests compares the
// two sets and the client tests run them against the real service.

internal sealed record CreateRecordingRequest(string Meeting, string? Start, string? MaxDuration, string? Layout, string? Size, string? Host);

internal sealed record RecordingCreated(string RecordingId, string State, DateTimeOffset StartAt);

internal sealed record RecordingView(
    string RecordingId,
    string HostId,
    string Meeting,
    string MeetingId,
    string State,
    string Layout,
    string Size,
    double MaxDurationSeconds,
    DateTimeOffset StartAt,
    RecordingTimes Times,
    double? StartedLateSeconds,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<SegmentView> Segments,
    string? Manifest,
    long VideoFramesDropped,
    long BytesUploaded,
    bool StopRequested,
    string? EndReason,
    string? Error);

internal sealed record RecordingTimes(
    DateTimeOffset Scheduled, DateTimeOffset? Joining, DateTimeOffset? Recording, DateTimeOffset? Finalizing, DateTimeOffset? Completed, DateTimeOffset? Failed);

internal sealed record SegmentView(int Number, string Uri, long Bytes, string Sha256, double MediaStartSeconds, double DurationSeconds, string EndReason, bool Truncated);

internal sealed record RecordingList(IReadOnlyList<RecordingView> Items, string? Next);

internal sealed record CreateHostRequest(string Name, IReadOnlyList<string>? Recipients, string? KmsKey, string? DisplayName, string? WebhookUrl);

internal sealed record UpdateHostRequest(string? Name, IReadOnlyList<string>? Recipients, string? KmsKey, string? DisplayName, string? WebhookUrl, bool? RemoveWebhook);

internal sealed record HostView(string HostId, string Name, IReadOnlyList<string> Recipients, string DisplayName, string? WebhookUrl, DateTimeOffset CreatedAt,
    string? Retention = null);

internal sealed record RetentionRequest(string Policy);

internal sealed record LegalHoldRequest(bool On);

internal sealed record LegalHoldView(string RecordingId, bool LegalHold, IReadOnlyList<string> Objects);

internal sealed record HostCreated(string HostId, string Token, string? WebhookSecret);

internal sealed record HostUpdated(HostView Host, string? WebhookSecret);

internal sealed record TokenIssued(string Id, string Token);

internal sealed record CreateAuditorRequest(string Name);

internal sealed record AuditorView(string AuditorId, string Name, DateTimeOffset CreatedAt);

internal sealed record AuditorCreated(string AuditorId, string Token);

/// <summary>
/// An RFC 9457 problem as the service writes it: "hint", (400 validation) "errors" field → messages, and (409)
/// "code" and "recordingId" are its extensions.
/// </summary>
internal sealed record ProblemDetails(
    string? Title = null, int? Status = null, string? Detail = null, string? Hint = null, IReadOnlyDictionary<string, string[]>? Errors = null,
    string? Code = null, string? RecordingId = null);
