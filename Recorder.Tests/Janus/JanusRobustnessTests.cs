using System.Text.Json.Nodes;
using Recorder.Pipeline.Meetings.Janus;
using Recorder.Pipeline;
using Recorder.Tests.Infrastructure;
using Recorder.Tests.Pipeline;
using Xunit.Abstractions;

namespace Recorder.Tests.Janus;

/// <summary>
/// The Janus source when things go wrong: publishers that restart, lose and
/// reorder packets, have no video or fall silent; rooms that go away or
/// empty; joins that are refused.
/// </summary>
[Collection(JanusCollection.Name)]
[Trait("Category", "Integration")]
public sealed class JanusRobustnessTests(JanusFixture janus, ITestOutputHelper log)
{
    [Fact]
    public async Task A_publisher_restarting_with_lower_sequence_numbers_gets_a_new_forwarder_and_is_heard_again()
    {
        var room = janus.NewRoom();
        using var admin = new JanusAdmin(janus.Instance.ApiUrl);
        await admin.CreateRoomAsync(room);
        await using var alice = await RemotePublisher.PrepareAsync(0);
        var (_, port) = await admin.AddRemotePublisherAsync(room, "Alice");
        alice.Start(port, firstSequence: 30_000);

        await using var source = Source(room);
        var output = new PlaintextMemoryOutput();
        var recording = PipelineRunner.RecordSourceAsync(source, output, realTime: true, maxDuration: TimeSpan.FromSeconds(11));
        await RosterWindows.RecordingTime(source, TimeSpan.FromSeconds(3));
        await alice.StopAsync();
        // The same publisher, 20,000 sequence numbers lower: Janus's libsrtp takes that for a replay of old packets.
        alice.Start(port, firstSequence: 10_000);
        var manifest = await recording;

        Assert.Equal("completed", manifest.State);
        Assert.True(source.Reforwards >= 1, "the silent forwarder was never replaced");
        var audio = await DecodeAsync(output);
        var share = (double from, double to) => MediaAnalysis.SegmentedToneShare(audio.AsSpan((int)(from * 48_000), (int)((to - from) * 48_000)), 300);
        log.WriteLine($"before {share(1, 2.5):0.000}, after {share(7.5, 10.5):0.000}");
        Assert.True(share(1, 2.5) > 0.5, "Alice not heard before her restart");
        // Janus drops the restarted stream on the old SRTP forwarder; within ~2 s of silence it is replaced.
        Assert.True(share(7.5, 10.5) > 0.5, "Alice not heard again after her restart");
    }

    [Fact]
    public async Task Loss_and_reordering_an_audio_only_publisher_and_one_that_falls_silent_are_all_recorded()
    {
        var room = janus.NewRoom();
        using var admin = new JanusAdmin(janus.Instance.ApiUrl);
        await admin.CreateRoomAsync(room);
        await using var lossy = await RemotePublisher.PrepareAsync(0);                 // Alice, through 5% loss and 5% reordering
        await using var voice = await RemotePublisher.PrepareAsync(1, video: false);   // Bob, audio only
        await using var quiet = await RemotePublisher.PrepareAsync(2);                 // Carol, silent from 3 to 7 s
        var (_, lossyPort) = await admin.AddRemotePublisherAsync(room, "Alice");
        using var relay = new LossyUdpRelay(lossyPort, loss: 0.05, reorder: 0.05);
        lossy.Start(relay.Port);
        var (_, voicePort) = await admin.AddRemotePublisherAsync(room, "Bob", video: false);
        voice.Start(voicePort);
        var (_, quietPort) = await admin.AddRemotePublisherAsync(room, "Carol");
        quiet.Start(quietPort, firstSequence: 1000);

        await using var source = Source(room);
        var output = new PlaintextMemoryOutput();
        var recording = PipelineRunner.RecordSourceAsync(source, output, realTime: true, maxDuration: TimeSpan.FromSeconds(11));
        await RosterWindows.RecordingTime(source, TimeSpan.FromSeconds(3));
        await quiet.StopAsync();
        await RosterWindows.RecordingTime(source, TimeSpan.FromSeconds(7));
        quiet.Start(quietPort, firstSequence: 20_000);
        var manifest = await recording;
        var roster = RosterWindows.Read(source, TimeSpan.FromSeconds(11));

        Assert.Equal("completed", manifest.State);
        log.WriteLine($"relay: {relay.Forwarded} forwarded, {relay.Dropped} dropped, {relay.Reordered} reordered");
        Assert.True(relay.Dropped > 20 && relay.Reordered > 20, "the relay did not disturb the stream");
        Assert.All(roster.Values, w => Assert.Equal(TimeSpan.FromSeconds(11), w.Leave)); // nobody was dropped from the roster

        var audio = await DecodeAsync(output);
        double Share(double hz, double from, double to) =>
            MediaAnalysis.SegmentedToneShare(audio.AsSpan((int)(from * 48_000), (int)((to - from) * 48_000)), hz);
        log.WriteLine($"Alice {Share(300, 1, 10.5):0.000}, Bob {Share(450, 1, 10.5):0.000}, Carol {Share(600, 1, 2.5):0.000} / {Share(600, 4.5, 6.5):0.000} / {Share(600, 9, 10.5):0.000}");
        Assert.True(Share(300, 1, 10.5) > 0.15, "Alice (lossy) not heard throughout");
        Assert.True(Share(450, 1, 10.5) > 0.15, "Bob (audio only) not heard throughout");
        Assert.True(Share(600, 1, 2.5) > 0.15, "Carol not heard before her silence");
        Assert.True(Share(600, 4.5, 6.5) < 0.002, "Carol heard while she sent nothing");
        Assert.True(Share(600, 9, 10.5) > 0.15, "Carol not heard after her silence");

        // Tiles in join order: Bob's has no video (the plain grey tile), Alice's shows her colour despite the loss.
        var path = PipelineRunner.Save(output, 1);
        try
        {
            var frames = await MediaAnalysis.DecodeVideoAsync(path, 320, 180, fps: 1);
            var order = roster.OrderBy(r => r.Value.Join).Select(r => r.Key switch { "Alice" => lossy, "Carol" => quiet, _ => null }).ToArray();
            foreach (var second in new[] { 2, 5, 9 }) JanusRecordingTests.AssertTileColours(frames[second], order);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Destroying_the_room_ends_the_recording_and_says_so()
    {
        var room = janus.NewRoom();
        using var admin = new JanusAdmin(janus.Instance.ApiUrl);
        await admin.CreateRoomAsync(room);
        await using var alice = await RemotePublisher.PrepareAsync(0, video: false);
        var (_, port) = await admin.AddRemotePublisherAsync(room, "Alice", video: false);
        alice.Start(port);

        await using var source = Source(room);
        var recording = PipelineRunner.RecordSourceAsync(source, new PlaintextMemoryOutput(), realTime: true, maxDuration: TimeSpan.FromSeconds(30));
        await RosterWindows.RecordingTime(source, TimeSpan.FromSeconds(2));
        var forwarders = await admin.MessageAsync(new JsonObject { ["request"] = "listforwarders", ["room"] = room });
        log.WriteLine(forwarders.ToJsonString());
        var list = ((JsonArray)forwarders["publishers"]!).SelectMany(p => (JsonArray)p!["forwarders"]!).ToList();
        var forwarder = Assert.Single(list);
        Assert.Equal("127.0.0.1", (string?)forwarder!["host"]);
        Assert.True((bool?)forwarder["srtp"] ?? false, "the forwarder does not use SRTP");

        await admin.DestroyRoomAsync(room);
        var manifest = await recording;
        Assert.Equal($"the room {room} was destroyed", manifest.EndReason);
        Assert.InRange(manifest.Segments.Single().DurationSeconds, 1.5, 5);
    }

    [Fact]
    public async Task An_empty_room_ends_the_recording_after_the_idle_time_and_no_forwarder_is_left()
    {
        var room = janus.NewRoom();
        using var admin = new JanusAdmin(janus.Instance.ApiUrl);
        await admin.CreateRoomAsync(room);
        await using var alice = await RemotePublisher.PrepareAsync(0, video: false);
        var (id, port) = await admin.AddRemotePublisherAsync(room, "Alice", video: false);
        alice.Start(port);

        RecordingManifest manifest;
        await using (var source = Source(room, "&idle=2"))
        {
            var recording = PipelineRunner.RecordSourceAsync(source, new PlaintextMemoryOutput(), realTime: true, maxDuration: TimeSpan.FromSeconds(30));
            await RosterWindows.RecordingTime(source, TimeSpan.FromSeconds(2));
            await admin.RemoveRemotePublisherAsync(room, id);
            manifest = await recording;
        }
        Assert.Equal($"nobody published in room {room} for 2 s", manifest.EndReason);
        Assert.InRange(manifest.Segments.Single().DurationSeconds, 3.5, 6);
        var forwarders = await admin.MessageAsync(new JsonObject { ["request"] = "listforwarders", ["room"] = room });
        Assert.Empty((JsonArray)forwarders["publishers"]!);
    }

    [Theory]
    [InlineData(true, "the VideoRoom refused 'join': Unauthorized (wrong pin) (error 433)")]
    [InlineData(false, "the VideoRoom refused 'join': No such room")]
    public async Task A_refused_join_fails_the_start_with_janus_reason_and_no_secret(bool roomExists, string reason)
    {
        var room = janus.NewRoom();
        using var admin = new JanusAdmin(janus.Instance.ApiUrl);
        if (roomExists) await admin.CreateRoomAsync(room, pin: "right-pin-value");
        await using var source = Source(room, "&pin=wrong-pin-value&secret=some-room-secret");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => source.StartAsync(CancellationToken.None));
        Assert.StartsWith($"could not join Janus VideoRoom {room} at {janus.Instance.ApiUrl}: {reason}", ex.Message);
        Assert.DoesNotContain("pin-value", ex.ToString());
        Assert.DoesNotContain("room-secret", ex.ToString());
    }

    private JanusMeetingSource Source(long room, string extra = "") =>
        new(JanusMeetingOptions.Parse(new Uri(janus.Instance.MeetingUri(room, extra))), new TestOutputLogger(log, "janus"));

    private static async Task<short[]> DecodeAsync(PlaintextMemoryOutput output)
    {
        var path = PipelineRunner.Save(output, 1);
        try
        {
            return await MediaAnalysis.DecodeAudioAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
