namespace Recorder.Service.Api;

/// <summary>POST /recordings. Every field but <c>meeting</c> has a default; <c>host</c> is for operators only.</summary>
public sealed record CreateRecordingRequest(string? Meeting, string? Start, string? MaxDuration, string? Layout, string? Size, string? Host);

public sealed record RecordingCreated(string RecordingId, string State, DateTimeOffset StartAt);

/// <summary>A recording as the API shows it. The meeting URI is shown without its PIN and secret.</summary>
public sealed record RecordingView(
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

/// <summary>When the recording entered each state (null: not yet, or skipped).</summary>
public sealed record RecordingTimes(
    DateTimeOffset Scheduled, DateTimeOffset? Joining, DateTimeOffset? Recording, DateTimeOffset? Finalizing, DateTimeOffset? Completed, DateTimeOffset? Failed);

public sealed record SegmentView(int Number, string Uri, long Bytes, string Sha256, double MediaStartSeconds, double DurationSeconds, string EndReason, bool Truncated);

public sealed record RecordingList(IReadOnlyList<RecordingView> Items, string? Next);

/// <summary>POST /hosts: the host's key(s) as recipients (age1… or kms:ARN), or kmsKey as a shorthand.</summary>
public sealed record CreateHostRequest(string? Name, IReadOnlyList<string>? Recipients, string? KmsKey, string? DisplayName, string? WebhookUrl);

/// <summary>PATCH /hosts/{id}: only the fields given change; new recipients apply to recordings that start afterwards.</summary>
public sealed record UpdateHostRequest(string? Name, IReadOnlyList<string>? Recipients, string? KmsKey, string? DisplayName, string? WebhookUrl, bool? RemoveWebhook);

public sealed record HostView(string HostId, string Name, IReadOnlyList<string> Recipients, string DisplayName, string? WebhookUrl, DateTimeOffset CreatedAt,
    string? Retention = null);

/// <summary>The token (and a new webhook secret) are shown only in this response.</summary>
public sealed record HostCreated(string HostId, string Token, string? WebhookSecret);

public sealed record HostUpdated(HostView Host, string? WebhookSecret);

public sealed record TokenIssued(string Id, string Token);

public sealed record CreateAuditorRequest(string? Name);

public sealed record AuditorView(string AuditorId, string Name, DateTimeOffset CreatedAt);

public sealed record AuditorCreated(string AuditorId, string Token);
