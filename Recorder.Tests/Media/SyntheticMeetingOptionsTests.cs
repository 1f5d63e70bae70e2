using Recorder.Pipeline.Meetings;
using Recorder.Pipeline.Meetings.Synthetic;

namespace Recorder.Tests.Media;

public sealed class SyntheticMeetingOptionsTests
{
    [Fact]
    public void Parses_participants_times_and_names()
    {
        var o = SyntheticMeetingOptions.Parse(new Uri("synthetic://?participants=4&seconds=20&join=3:5,4:10&leave=2:12&marker=3&names=Ann,Bo&size=320x180"));
        Assert.Equal(4, o.Participants);
        Assert.Equal(TimeSpan.FromSeconds(20), o.Duration);
        Assert.Equal(TimeSpan.FromSeconds(5), o.JoinTime(2));
        Assert.Equal(TimeSpan.FromSeconds(10), o.JoinTime(3));
        Assert.Equal(TimeSpan.FromSeconds(12), o.LeaveTime(1));
        Assert.Equal(TimeSpan.MaxValue, o.LeaveTime(0));
        Assert.Equal(TimeSpan.FromSeconds(3), o.MarkerInterval);
        Assert.Equal(("Ann", "Bo", "Guest 3"), (o.Name(0), o.Name(1), o.Name(2)));
        Assert.Equal((320, 180), (o.CameraWidth, o.CameraHeight));
        Assert.Equal(750, SyntheticMeetingOptions.ToneHz(3));
    }

    [Theory]
    [InlineData("synthetic://?participants=0", "participants must be an integer from 1 to 16, got '0'")]
    [InlineData("synthetic://?participants=2&leave=3:4", "join/leave names participant 3, but the meeting has 2")]
    [InlineData("synthetic://?join=2", "join takes PARTICIPANT:SECONDS pairs, got '2'")]
    [InlineData("synthetic://?size=641x360", "size must be even, got '641x360'")]
    [InlineData("synthetic://?pace=slow", "pace must be live or fast, got 'slow'")]
    [InlineData("synthetic://?colour=red", "unknown synthetic meeting parameter 'colour' (known: participants, seconds, marker, size, names, join, leave, pace, grain)")]
    public void Bad_parameters_are_refused_with_a_message_naming_them(string uri, string message)
    {
        var ex = Assert.Throws<FormatException>(() => SyntheticMeetingOptions.Parse(new Uri(uri)));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task Roster_events_follow_join_and_leave_times_and_the_meeting_ends()
    {
        var source = new SyntheticMeetingSource(SyntheticMeetingOptions.Parse(new Uri("synthetic://?participants=2&seconds=3&join=2:1&leave=1:2")));
        var present = new List<Participant>();
        foreach (var t in new[] { 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0 }) source.Snapshot(TimeSpan.FromSeconds(t), present);
        Assert.True(source.Ended.IsCompletedSuccessfully);
        Assert.Equal(TimeSpan.FromSeconds(3), (await source.Ended).At);
        var events = new List<RosterEvent>();
        while (source.Events.TryRead(out var e)) events.Add(e);
        Assert.Equal(
            [(0.0, RosterEventKind.Joined, "Alice"), (1.0, RosterEventKind.Joined, "Bob"), (2.0, RosterEventKind.Left, "Alice"), (3.0, RosterEventKind.Left, "Bob")],
            events.Select(e => (e.At.TotalSeconds, e.Kind, e.DisplayName)));
    }
}
