using Recorder.Pipeline.Meetings;
using Recorder.Pipeline.Meetings.Janus;

namespace Recorder.Tests.Janus;

public sealed class JanusMeetingOptionsTests
{
    [Fact]
    public void A_full_uri_is_read_and_its_description_hides_the_pin_and_secret()
    {
        var o = JanusMeetingOptions.Parse(new Uri("janus://127.0.0.1:8188/janus?room=4242&pin=p1n-S3cr3t&secret=r00m-S3cr3t&idle=30&reconnect=5&display=Rec"));
        Assert.Equal(new Uri("http://127.0.0.1:8188/janus"), o.ApiUrl);
        Assert.Equal("4242", o.Room);
        Assert.Equal(("p1n-S3cr3t", "r00m-S3cr3t"), (o.Pin, o.Secret));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)), (o.IdleTimeout, o.ReconnectTimeout));
        Assert.Equal("Rec", o.DisplayName);
        Assert.Equal("Janus VideoRoom 4242 at http://127.0.0.1:8188/janus", o.Description);
        foreach (var text in new[] { o.Description, o.ToString(), new JanusMeetingSource(o).Description })
        {
            Assert.DoesNotContain("S3cr3t", text);
        }
        Assert.Equal("janus-127.0.0.1-4242", MeetingSourceFactory.MeetingId("janus://127.0.0.1:8188/janus?room=4242&pin=p1n-S3cr3t"));
        // String room ids (Janus with string_ids) become safe object-key parts.
        Assert.Equal("janus-127.0.0.1-team-room-1", MeetingSourceFactory.MeetingId("janus://127.0.0.1/janus?room=team%20room%2F1"));
    }

    [Fact]
    public void Defaults_are_port_8088_path_janus_two_minutes_idle_and_thirty_seconds_to_reconnect()
    {
        var o = JanusMeetingOptions.Parse(new Uri("janus://127.0.0.1?room=7"));
        Assert.Equal(new Uri("http://127.0.0.1:8088/janus"), o.ApiUrl);
        Assert.Equal((TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(30)), (o.IdleTimeout, o.ReconnectTimeout));
        Assert.Null(o.Pin);
        Assert.Equal(7L, (long)o.RoomJson());
        Assert.Equal("lobby", (string)JanusMeetingOptions.Parse(new Uri("janus://127.0.0.1?room=lobby")).RoomJson()!);
        Assert.IsType<JanusMeetingSource>(MeetingSourceFactory.Create("janus://127.0.0.1:8088/janus?room=7"));
    }

    [Fact]
    public void The_recorder_joins_as_a_visible_recording_unless_named_once_otherwise()
    {
        var uri = new Uri("janus://127.0.0.1:8088/janus?room=7");
        Assert.Equal("● Recording", JanusMeetingOptions.Parse(uri).DisplayName);
        Assert.Equal("Recording for Ann", JanusMeetingOptions.Parse(uri, "Recording for Ann").DisplayName);
        Assert.Equal("Rec", JanusMeetingOptions.Parse(new Uri("janus://127.0.0.1:8088/janus?room=7&display=Rec")).DisplayName);
        Assert.Equal("● Recording", JanusMeetingOptions.Parse(new Uri("janus://127.0.0.1:8088/janus?room=7&display=")).DisplayName);

        var twice = Assert.Throws<ArgumentException>(() => MeetingSourceFactory.Create("janus://127.0.0.1:8088/janus?room=7&display=Rec", "Bot"));
        Assert.Equal("displayName", twice.ParamName);
        Assert.Equal("displayName", Assert.Throws<ArgumentException>(() => JanusMeetingOptions.Parse(uri, new string('x', 65))).ParamName);
        Assert.Equal("display must be 1 to 64 characters, no control characters",
            Assert.Throws<FormatException>(() => JanusMeetingOptions.Parse(new Uri("janus://127.0.0.1:8088/janus?room=7&display=a%0Ab"))).Message);
        // Synthetic meetings show no recorder: the name is accepted and ignored.
        Assert.IsType<Recorder.Pipeline.Meetings.Synthetic.SyntheticMeetingSource>(MeetingSourceFactory.Create("synthetic://?seconds=1", "Bot"));
    }

    [Theory]
    [InlineData("Recorder", true)]
    [InlineData("● Recording", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("tab\tseparated", false)]
    [InlineData("bell\a", false)]
    public void Display_names_are_1_to_64_characters_without_control_characters(string name, bool valid) =>
        Assert.Equal(valid, DisplayNames.IsValid(name));

    [Fact]
    public void Display_names_count_characters_not_utf16_units()
    {
        Assert.True(DisplayNames.IsValid(string.Concat(Enumerable.Repeat("🎥", 64))));
        Assert.False(DisplayNames.IsValid(string.Concat(Enumerable.Repeat("🎥", 65))));
        Assert.True(DisplayNames.IsValid(new string('x', 64)));
        Assert.False(DisplayNames.IsValid(new string('x', 65)));
    }

    [Theory]
    [InlineData("janus://127.0.0.1:8088/janus", "a janus:// URI needs room=ROOM_ID")]
    [InlineData("janus://127.0.0.1:8088/janus?room=1&idle=-1", "idle must be a number of seconds from 0 to 86400, got '-1'")]
    [InlineData("janus://127.0.0.1:8088/janus?room=1&colour=red", "unknown janus meeting parameter 'colour' (known: room, pin, secret, idle, reconnect, display)")]
    [InlineData("janus://user:pw@127.0.0.1:8088/janus?room=1", "put the PIN and secret in pin= and secret=, not in the URI's user part")]
    public void Bad_uris_say_what_is_wrong(string uri, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => JanusMeetingOptions.Parse(new Uri(uri))).Message);
}
