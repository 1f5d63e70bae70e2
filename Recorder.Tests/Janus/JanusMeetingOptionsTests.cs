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

    [Theory]
    [InlineData("janus://127.0.0.1:8088/janus", "a janus:// URI needs room=ROOM_ID")]
    [InlineData("janus://127.0.0.1:8088/janus?room=1&idle=-1", "idle must be a number of seconds from 0 to 86400, got '-1'")]
    [InlineData("janus://127.0.0.1:8088/janus?room=1&colour=red", "unknown janus meeting parameter 'colour' (known: room, pin, secret, idle, reconnect, display)")]
    [InlineData("janus://user:pw@127.0.0.1:8088/janus?room=1", "put the PIN and secret in pin= and secret=, not in the URI's user part")]
    public void Bad_uris_say_what_is_wrong(string uri, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => JanusMeetingOptions.Parse(new Uri(uri))).Message);
}
