using Recorder.Pipeline.Meetings.Janus;
using Recorder.Tests.Infrastructure;
using Recorder.Tests.Pipeline;
using Xunit.Abstractions;

namespace Recorder.Tests.Janus;

/// <summary>
/// Janus itself going away mid-recording, on a private instance of the test:
/// back in time (the recording rejoins and goes on), or gone for good (the
/// recording ends by itself and says why).
/// </summary>
[Collection(JanusCollection.Name)]
[Trait("Category", "Integration")]
public sealed class JanusRestartTests(ITestOutputHelper log)
{
    private const long Room = 4242;

    [Fact]
    public async Task After_a_janus_restart_the_recording_rejoins_the_room_and_goes_on()
    {
        await using var janus = await JanusInstance.StartAsync();
        using var admin = new JanusAdmin(janus.ApiUrl);
        await admin.CreateRoomAsync(Room);
        await using var alice = await RemotePublisher.PrepareAsync(0);
        var (_, port) = await admin.AddRemotePublisherAsync(Room, "Alice");
        alice.Start(port);

        await using var source = new JanusMeetingSource(JanusMeetingOptions.Parse(new Uri(janus.MeetingUri(Room, "&reconnect=20"))), new TestOutputLogger(log, "janus"));
        var output = new PlaintextMemoryOutput();
        var recording = PipelineRunner.RecordSourceAsync(source, output, realTime: true, maxDuration: TimeSpan.FromSeconds(14));
        await RosterWindows.RecordingTime(source, TimeSpan.FromSeconds(3));
        await janus.StopKeepingFolderAsync();
        await alice.StopAsync();
        await janus.StartAgainAsync();
        // The application behind the meeting recreates its room and its participants come back.
        await admin.CreateRoomAsync(Room);
        (_, port) = await admin.AddRemotePublisherAsync(Room, "Alice");
        alice.Start(port);
        var manifest = await recording;

        Assert.Equal("completed", manifest.State);
        Assert.Equal("the requested duration (14 s) was reached", manifest.EndReason);
        Assert.Equal(1, source.Reconnects);
        var events = new List<Recorder.Pipeline.Meetings.RosterEvent>();
        while (source.Events.TryRead(out var e)) events.Add(e);
        // Alice was taken out of the picture with the lost session and came back as a new publisher once Janus was up.
        Assert.Equal(["Joined Alice", "Left Alice", "Joined Alice"], events.Select(e => $"{e.Kind} {e.DisplayName}"));
        Assert.InRange(events[1].At.TotalSeconds, 2.5, 6);
        Assert.InRange(events[2].At.TotalSeconds, events[1].At.TotalSeconds, 10);
        var path = PipelineRunner.Save(output, 1);
        try
        {
            var audio = await MediaAnalysis.DecodeAudioAsync(path);
            double Share(double from, double to) => MediaAnalysis.SegmentedToneShare(audio.AsSpan((int)(from * 48_000), (int)((to - from) * 48_000)), 300);
            log.WriteLine($"before {Share(1, 2.5):0.000}, after {Share(11, 13.5):0.000}");
            Assert.True(Share(1, 2.5) > 0.5, "Alice not heard before the restart");
            Assert.True(Share(11, 13.5) > 0.5, "Alice not heard after the recording rejoined");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task When_janus_does_not_come_back_the_recording_ends_cleanly_with_the_reason()
    {
        var janus = await JanusInstance.StartAsync();
        await using (janus)
        {
            using var admin = new JanusAdmin(janus.ApiUrl);
            await admin.CreateRoomAsync(Room);
            await using var source = new JanusMeetingSource(JanusMeetingOptions.Parse(new Uri(janus.MeetingUri(Room, "&reconnect=2&idle=0"))), new TestOutputLogger(log, "janus"));
            var recording = PipelineRunner.RecordSourceAsync(source, new PlaintextMemoryOutput(), realTime: true, maxDuration: TimeSpan.FromSeconds(30));
            await RosterWindows.RecordingTime(source, TimeSpan.FromSeconds(2));
            await janus.StopKeepingFolderAsync();
            var manifest = await recording;

            Assert.Equal("completed", manifest.State);
            Assert.StartsWith($"lost Janus VideoRoom {Room} at {janus.ApiUrl} (", manifest.EndReason);
            Assert.Contains("and could not rejoin within 2 s: Janus's HTTP API is unreachable", manifest.EndReason);
            Assert.InRange(manifest.Segments.Single().DurationSeconds, 3, 10);
        }
    }
}
