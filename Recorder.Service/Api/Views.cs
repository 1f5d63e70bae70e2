using System.Web;
using Recorder.Service.Store;

namespace Recorder.Service.Api;

/// <summary>Store records → what the API shows.</summary>
public static class Views
{
    public static RecordingView Of(RecordingRecord r) => new(
        r.Id, r.HostId, RedactMeeting(r.MeetingUri), r.MeetingId, r.State.Name(), r.Layout, $"{r.Width}x{r.Height}", r.MaxDurationSeconds, r.StartAt,
        new RecordingTimes(r.CreatedAt, r.JoiningAt, r.RecordingAt, r.FinalizingAt,
            r.State == RecordingState.Completed ? r.EndedAt : null, r.State == RecordingState.Failed ? r.EndedAt : null),
        r.JoiningAt is { } joined ? Math.Round(Math.Max(0, (joined - r.StartAt).TotalSeconds), 3) : null,
        r.Recipients,
        r.Segments.Select(Of).ToArray(),
        r.ManifestUri, r.VideoFramesDropped, r.BytesUploaded, r.StopRequestedAt is not null, r.EndReason, r.Error);

    public static SegmentView Of(SegmentRecord s) =>
        new(s.Number, s.Uri, s.Bytes, s.Sha256, s.MediaStartSeconds, s.DurationSeconds, s.EndReason, s.Truncated);

    public static HostView Of(HostRecord h) => new(h.Id, h.Name, h.Recipients, h.DisplayName, h.WebhookUrl, h.CreatedAt, h.Retention);

    public static AuditorView Of(AuditorRecord a) => new(a.Id, a.Name, a.CreatedAt);

    /// <summary>The meeting URI without the values of pin= and secret= (they open the room).</summary>
    public static string RedactMeeting(string meetingUri)
    {
        if (!Uri.TryCreate(meetingUri, UriKind.Absolute, out var uri) || uri.Query.Length <= 1) return meetingUri;
        var query = HttpUtility.ParseQueryString(uri.Query);
        var changed = false;
        foreach (var key in new[] { "pin", "secret" })
        {
            if (query[key] is null) continue;
            query[key] = "redacted";
            changed = true;
        }
        if (!changed) return meetingUri;
        return new UriBuilder(uri) { Query = query.ToString() }.Uri.ToString();
    }
}
