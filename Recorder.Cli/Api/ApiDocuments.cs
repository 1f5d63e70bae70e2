using System.Text.Json.Serialization;

namespace Recorder.Cli.Api;

// What the API verbs print with --json (registered in CliJson: indented, camelCase).
// The names are a contract with scripts (README, "Service"); secrets appear
// only in the documents of the verbs that create them, once.

/// <summary><c>hosts add --json</c>; webhookSecret only when a webhook was given.</summary>
internal sealed record HostAddedDocument(
    string HostId, string Token, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WebhookSecret);

/// <summary><c>hosts rotate-token --json</c>.</summary>
internal sealed record HostTokenDocument(string HostId, string Token);

/// <summary><c>hosts list --json</c>: every host as the service shows it.</summary>
internal sealed record HostListDocument(IReadOnlyList<HostView> Hosts);

/// <summary><c>hosts set --json</c>: the host after the change; webhookSecret only when a new webhook URL got a new secret.</summary>
internal sealed record HostSetDocument(
    HostView Host, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WebhookSecret);

/// <summary><c>auditors add --json</c>.</summary>
internal sealed record AuditorAddedDocument(string AuditorId, string Token);

/// <summary><c>auditors list --json</c>.</summary>
internal sealed record AuditorListDocument(IReadOnlyList<AuditorView> Auditors);

/// <summary><c>schedule --json</c>, exactly as DESIGN.md's contract has it.</summary>
internal sealed record ScheduleDocument(string RecordingId);

/// <summary><c>status --json</c>, exactly as DESIGN.md's contract has it: manifest and error are null when absent.</summary>
internal sealed record StatusDocument(string RecordingId, string State, IReadOnlyList<string> Segments, string? Manifest, string? Error)
{
    public static StatusDocument Of(RecordingView view) => new(view.RecordingId, view.State, [.. view.Segments.Select(s => s.Uri)], view.Manifest, view.Error);
}

/// <summary><c>list --json</c>.</summary>
internal sealed record RecordingListDocument(IReadOnlyList<RecordingListItem> Recordings);

internal sealed record RecordingListItem(string RecordingId, string State, DateTimeOffset StartAt, string? Manifest);
