using Microsoft.Extensions.Time.Testing;
using Recorder.Service.Api;
using Recorder.Service.Auth;
using Recorder.Service.Configuration;

namespace Recorder.Tests.Service;

/// <summary>POST /recordings field by field: each bad request names the field and says what to fix.</summary>
public sealed class RecordingRequestValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly Caller Host = new(Roles.Host, "host-aaaaaaaaaaaa");
    private static readonly Caller Operator = new(Roles.Operator, Roles.Operator);

    private static RecordingRequestValidator Validator() =>
        new(new RecorderServiceOptions { Bucket = "b" }, new TargetAllowList(["127.0.0.0/8", "localhost"]), new FakeTimeProvider(Now));

    private static CreateRecordingRequest Request(string? meeting = "synthetic://?participants=2", string? start = null, string? maxDuration = null,
        string? layout = null, string? size = null, string? host = null) => new(meeting, start, maxDuration, layout, size, host);

    [Fact]
    public void Defaults_start_now_for_four_hours_in_a_720p_gallery()
    {
        var (valid, errors) = Validator().Validate(Request(), Host);
        Assert.Empty(errors);
        Assert.Equal(new ValidRecordingRequest("synthetic://?participants=2", "synthetic", Now, TimeSpan.FromHours(4), "gallery", 1280, 720, Host.PrincipalId), valid);
    }

    [Fact]
    public void A_future_start_a_duration_and_a_layout_are_taken()
    {
        var (valid, _) = Validator().Validate(Request("janus://127.0.0.1:8088/janus?room=42", "2026-12-24T18:00:00+01:00", "90m", "speaker", "640x360"), Host);
        Assert.Equal(new DateTimeOffset(2026, 12, 24, 17, 0, 0, TimeSpan.Zero), valid!.StartAt);
        Assert.Equal((TimeSpan.FromMinutes(90), "speaker", 640, 360, "janus-127.0.0.1-42"), (valid.MaxDuration, valid.Layout, valid.Width, valid.Height, valid.MeetingId));
    }

    [Theory]
    [InlineData(null, null, null, null, null, "meeting", "required: the meeting to record, e.g. janus://127.0.0.1:8088/janus?room=1234")]
    [InlineData("not a uri", null, null, null, null, "meeting", "'not a uri' is not a URI (known schemes: synthetic, janus)")]
    [InlineData("http://127.0.0.1/", null, null, null, null, "meeting", "unknown meeting scheme 'http' (known: synthetic, janus)")]
    [InlineData("janus://10.0.0.8:8088/janus?room=1", null, null, null, null, "meeting",
        "the meeting server 10.0.0.8 is not on the service's allow-list (127.0.0.0/8, localhost)")]
    [InlineData("janus://169.254.169.254/janus?room=1", null, null, null, null, "meeting",
        "the meeting server 169.254.169.254 is not on the service's allow-list (127.0.0.0/8, localhost)")]
    [InlineData("janus://127.0.0.1:8088/janus", null, null, null, null, "meeting", "a janus:// URI needs room=ROOM_ID")]
    [InlineData("janus://127.0.0.1:8088/janus?room=1&display=me", null, null, null, null, "meeting",
        "leave out display=: the recorder joins under the host's registered display name")]
    [InlineData("synthetic://?participants=99", null, null, null, null, "meeting", null)]
    [InlineData("synthetic://", "yesterday", null, null, null, "start", "'yesterday' is not \"now\" or a time with its offset, e.g. 2026-12-24T18:00:00Z")]
    [InlineData("synthetic://", "2026-12-24T18:00:00", null, null, null, "start", "'2026-12-24T18:00:00' is not \"now\" or a time with its offset, e.g. 2026-12-24T18:00:00Z")]
    [InlineData("synthetic://", "2026-12-05T11:00:00Z", null, null, null, "start", "2026-12-05 11:00:00Z is in the past (now is 2026-12-05 12:00:00Z); use \"now\" or a future time")]
    [InlineData("synthetic://", "2028-12-05T11:00:00Z", null, null, null, "start", "2028-12-05 11:00:00Z is more than 366 days ahead")]
    [InlineData("synthetic://", null, "forever", null, null, "maxDuration", "'forever' is not a duration: write 90s, 10m, 1h or hh:mm:ss")]
    [InlineData("synthetic://", null, "25h", null, null, "maxDuration", "25h is outside 1s to 24h")]
    [InlineData("synthetic://", null, "0.5s", null, null, "maxDuration", "0.5s is outside 1s to 24h")]
    [InlineData("synthetic://", null, null, "grid", null, "layout", "'grid' is not a layout: gallery or speaker")]
    [InlineData("synthetic://", null, null, null, "1281x720", "size", "'1281x720' is not a size: even WxH between 160x90 and 3840x2160, e.g. 1280x720")]
    [InlineData("synthetic://", null, null, null, "8000x8000", "size", "'8000x8000' is not a size: even WxH between 160x90 and 3840x2160, e.g. 1280x720")]
    public void Each_bad_field_says_what_to_fix(string? meeting, string? start, string? maxDuration, string? layout, string? size, string field, string? message)
    {
        var (valid, errors) = Validator().Validate(Request(meeting, start, maxDuration, layout, size), Host);
        Assert.Null(valid);
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Key);
        if (message is not null) Assert.Equal(message, Assert.Single(error.Value));
        else Assert.StartsWith("participants", Assert.Single(error.Value));
    }

    [Fact]
    public void A_start_a_little_in_the_past_is_clock_skew_and_starts_now()
    {
        var (valid, errors) = Validator().Validate(Request(start: "2026-12-05T11:59:45Z"), Host);
        Assert.Empty(errors);
        Assert.Equal(Now, valid!.StartAt);
    }

    [Fact]
    public void Only_an_operator_names_the_host()
    {
        Assert.Equal("only an operator may record for another host; leave host out",
            Validator().Validate(Request(host: "host-bbbbbbbbbbbb"), Host).Errors["host"].Single());
        Assert.Equal("an operator names the host the recording is for (its host id)", Validator().Validate(Request(), Operator).Errors["host"].Single());
        Assert.Equal("host-bbbbbbbbbbbb", Validator().Validate(Request(host: "host-bbbbbbbbbbbb"), Operator).Request!.HostId);
    }
}
