using System.Text.Json.Nodes;
using Recorder.Tests.Cli;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Service;

/// <summary>
/// A real Janus room recorded through the service: the host asks the API, the
/// recorder joins under the host's display name (participants see it in the
/// room's list while it records, and no longer afterwards), and the segment
/// holds the publisher's tone.
/// </summary>
[Collection(JanusCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceJanusTests(JanusFixture janus, CephFixture ceph, ITestOutputHelper log)
{
    [Fact]
    public async Task A_room_is_recorded_through_the_API_under_the_hosts_display_name_while_it_records()
    {
        using var files = new CliFiles();
        var (hostKey, recipient) = files.NewIdentity("host.key");
        var room = janus.NewRoom();
        using var admin = new JanusAdmin(janus.Instance.ApiUrl);
        const string secret = "room-secret-5f0c2e";
        await admin.CreateRoomAsync(room, secret: secret);
        await using var alice = await RemotePublisher.PrepareAsync(0);
        var (_, port) = await admin.AddRemotePublisherAsync(room, "Alice", secret: secret);
        alice.Start(port);
        await using var service = await ServiceInstance.StartAsync(ceph, await ceph.CreateBucketAsync("svcjanus"), output: log);
        var (_, token) = await service.AddHostAsync("Acme", [recipient], displayName: "● Recording for Acme");

        var id = await service.ScheduleAsync(token, new { meeting = janus.Instance.MeetingUri(room, $"&secret={secret}"), maxDuration = "8s", size = "640x360" });
        var running = await service.WaitForStateAsync(token, id, TimeSpan.FromSeconds(30), "recording");
        Assert.Contains("● Recording for Acme", await ParticipantsAsync(admin, room));
        // The room's secret opens rtp_forward: it is in no command line (ps shows those to every user) and not in the API's answers.
        Assert.Empty(CommandLinesContaining(secret));
        Assert.Contains(CommandLinesContaining(id), l => l.Contains("record --events", StringComparison.Ordinal));
        Assert.EndsWith("&secret=redacted", running.GetProperty("meeting").GetString());

        var recording = await service.WaitUntilEndedAsync(token, id, TimeSpan.FromSeconds(60));
        log.WriteLine(recording.ToString());
        Assert.Equal("completed", recording.GetProperty("state").GetString());
        Assert.Equal(["Alice"], await ParticipantsAsync(admin, room)); // the recorder left with the recording

        var segment = Assert.Single(recording.GetProperty("segments").EnumerateArray());
        var file = files.Write("segment.age", await ceph.ReadObjectAsync(segment.GetProperty("uri").GetString()!));
        var mp4 = files.PathOf("segment.mp4");
        var age = await ProcessRunner.RunAsync("age", ["-d", "-i", hostKey, "-o", mp4, file], TimeSpan.FromMinutes(1));
        Assert.True(age.ExitCode == 0, age.StandardError);
        var probe = await MediaAnalysis.ProbeAsync(mp4);
        Assert.InRange(probe.DurationSeconds, 7.5, 8.5);
        var audio = await MediaAnalysis.DecodeAudioAsync(mp4);
        // Alice's tone in the second half (the first second may still be the room's keyframe wait).
        var share = MediaAnalysis.SegmentedToneShare(audio.AsSpan(audio.Length / 2), alice.ToneHz);
        Assert.True(share > 0.5, $"Alice's {alice.ToneHz} Hz tone share {share:0.000}");
        await admin.DestroyRoomAsync(room, secret);
    }

    private static List<string> CommandLinesContaining(string text) =>
        Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)).Select(d =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                return "";
            }
        }).Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();

    private static async Task<List<string?>> ParticipantsAsync(JanusAdmin admin, long room)
    {
        var answer = await admin.MessageAsync(new JsonObject { ["request"] = "listparticipants", ["room"] = room });
        return answer["participants"]!.AsArray().Select(p => (string?)p!["display"]).Order().ToList();
    }
}
