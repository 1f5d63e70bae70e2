using System.Globalization;
using Recorder.Pipeline.Encoder;
using Recorder.Pipeline.Meetings;
using Recorder.Pipeline.Meetings.Janus;
using Recorder.Pipeline.Meetings.Synthetic;
using Recorder.Pipeline.Text;
using Recorder.Service.Auth;
using Recorder.Service.Configuration;

namespace Recorder.Service.Api;

/// <summary>A recording request that passed validation.</summary>
public sealed record ValidRecordingRequest(string MeetingUri, string MeetingId, DateTimeOffset StartAt, TimeSpan MaxDuration, string Layout,
    int Width, int Height, string HostId);

/// <summary>
/// Checks POST /recordings field by field and says what to fix: known meeting
/// schemes only, meeting hosts on the allow-list, start now or in the
/// future (within the scheduling horizon), durations within limits.
/// </summary>
public sealed partial class RecordingRequestValidator(RecorderServiceOptions options, TargetAllowList allowList, TimeProvider clock)
{
    /// <summary>How far in the past a start time may be (clock skew between client and service).</summary>
    public static readonly TimeSpan StartTolerance = TimeSpan.FromSeconds(30);

    public (ValidRecordingRequest? Request, Dictionary<string, string[]> Errors) Validate(CreateRecordingRequest request, Caller caller)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Fail(string field, string message) => errors[field] = [message];
        var now = clock.GetUtcNow();

        var (meetingUri, meetingId) = ValidateMeeting(request.Meeting, Fail);

        var startAt = now;
        if (request.Start is { } start && !string.Equals(start, "now", StringComparison.OrdinalIgnoreCase))
        {
            // ISO 8601 with an explicit offset: a time without one would mean the server's zone.
            if (!Iso8601WithOffset().IsMatch(start)
                || !DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.None, out startAt))
                Fail("start", $"'{Shorten(start)}' is not \"now\" or a time with its offset, e.g. 2026-12-24T18:00:00Z");
            else if (startAt < now - StartTolerance)
                Fail("start", $"{startAt:u} is in the past (now is {now:u}); use \"now\" or a future time");
            else if (startAt > now.AddDays(options.MaxScheduleAheadDays))
                Fail("start", $"{startAt:u} is more than {options.MaxScheduleAheadDays} days ahead");
            if (startAt < now) startAt = now;
        }

        var maxDuration = TimeSpan.FromSeconds(options.DefaultMaxDurationSeconds);
        if (request.MaxDuration is { } duration)
        {
            if (!DurationText.TryParse(duration, out maxDuration))
                Fail("maxDuration", $"'{Shorten(duration)}' is not a duration: write {DurationText.Examples}");
            else if (maxDuration < TimeSpan.FromSeconds(1) || maxDuration > TimeSpan.FromSeconds(options.MaxDurationSeconds))
                Fail("maxDuration", $"{DurationText.Format(maxDuration)} is outside 1s to {DurationText.Format(TimeSpan.FromSeconds(options.MaxDurationSeconds))}");
        }

        var layout = request.Layout ?? "gallery";
        if (layout is not ("gallery" or "speaker")) Fail("layout", $"'{Shorten(layout)}' is not a layout: gallery or speaker");

        int width = 1280, height = 720;
        if (request.Size is { } size && !FrameSize.TryParse(size, out width, out height))
            Fail("size", $"'{Shorten(size)}' is not a size: {FrameSize.Rule}, e.g. 1280x720");

        var hostId = caller.PrincipalId;
        if (caller.IsOperator)
        {
            if (string.IsNullOrEmpty(request.Host)) Fail("host", "an operator names the host the recording is for (its host id)");
            else hostId = request.Host;
        }
        else if (request.Host is not null && request.Host != caller.PrincipalId)
        {
            Fail("host", "only an operator may record for another host; leave host out");
        }

        return errors.Count > 0
            ? (null, errors)
            : (new ValidRecordingRequest(meetingUri!, meetingId!, startAt, maxDuration, layout, width, height, hostId), errors);
    }

    private (string? Uri, string? Id) ValidateMeeting(string? meeting, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(meeting))
        {
            fail("meeting", "required: the meeting to record, e.g. janus://127.0.0.1:8088/janus?room=1234");
            return (null, null);
        }
        if (meeting.Length > 2048 || !Uri.TryCreate(meeting, UriKind.Absolute, out var uri))
        {
            fail("meeting", $"'{Shorten(meeting)}' is not a URI (known schemes: {string.Join(", ", MeetingSourceFactory.Schemes)})");
            return (null, null);
        }
        try
        {
            switch (uri.Scheme)
            {
                case "synthetic":
                    SyntheticMeetingOptions.Parse(uri);
                    break;
                case "janus":
                    JanusMeetingOptions.Parse(uri);
                    if (!allowList.Allows(uri))
                    {
                        fail("meeting", $"the meeting server {uri.DnsSafeHost} is not on the service's allow-list ({allowList.Description})");
                        return (null, null);
                    }
                    if (System.Web.HttpUtility.ParseQueryString(uri.Query)["display"] is not null)
                    {
                        fail("meeting", "leave out display=: the recorder joins under the host's registered display name");
                        return (null, null);
                    }
                    break;
                default:
                    fail("meeting", $"unknown meeting scheme '{uri.Scheme}' (known: {string.Join(", ", MeetingSourceFactory.Schemes)})");
                    return (null, null);
            }
            return (meeting, MeetingSourceFactory.MeetingId(meeting));
        }
        catch (FormatException e)
        {
            fail("meeting", e.Message);
            return (null, null);
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,7})?)?(Z|[+-]\d\d:\d\d)$")]
    private static partial System.Text.RegularExpressions.Regex Iso8601WithOffset();
}
