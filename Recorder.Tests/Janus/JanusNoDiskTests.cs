using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Janus;

/// <summary>
/// Nothing of a Janus recording touches the disk either: the real
/// <c>recorder record</c> (launcher, .NET program, encoder and VP8 decoder
/// ffmpegs, SRTP sockets, encryption, upload) under <c>strace -f</c>.
/// </summary>
[Collection(JanusCollection.Name)]
[Trait("Category", "Integration")]
public sealed class JanusNoDiskTests(JanusFixture janus, CephFixture ceph, ITestOutputHelper log)
{
    [SkippableTheory]
    [InlineData("build")]
    [InlineData("native")] // as installed: compiled ahead of time (README, "CLI")
    public async Task Recording_a_janus_room_with_the_real_program_writes_nothing_to_disk(string form)
    {
        var launcher = RepositoryPaths.Launcher(form);
        var room = janus.NewRoom();
        using var admin = new JanusAdmin(janus.Instance.ApiUrl);
        await admin.CreateRoomAsync(room, secret: "room-secret-value");
        await using var alice = await RemotePublisher.PrepareAsync(0);
        var (_, port) = await admin.AddRemotePublisherAsync(room, "Alice", secret: "room-secret-value");
        alice.Start(port);
        var bucket = await ceph.CreateBucketAsync("janusnodisk");
        var environment = new Dictionary<string, string?>(CliRunner.CephEnvironment(ceph.Options)) { ["DOTNET_EnableDiagnostics"] = null };

        var result = await DiskWriteAudit.RunAsync(launcher,
            ["record", "--meeting", janus.Instance.MeetingUri(room, "&secret=room-secret-value"), "-r", "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
             "--bucket", bucket, "--duration", "5s", "--size", "640x360", "--json"],
            TimeSpan.FromMinutes(2), environment);
        log.WriteLine(result.StandardError);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("segment-0001.mp4.age", result.StandardOutput);
        // The audit followed the program into both kinds of ffmpeg: the encoder and Alice's VP8 decoder.
        var started = result.Executed.ToList();
        Assert.Contains(started, l => l.Contains("ffmpeg", StringComparison.Ordinal) && l.Contains("matroska", StringComparison.Ordinal));
        Assert.Contains(started, l => l.Contains("ffmpeg", StringComparison.Ordinal) && l.Contains("ivf", StringComparison.Ordinal));
        Assert.True(result.Violations.Count == 0, "disk writes:\n" + string.Join('\n', result.Violations));
        // The room's secret goes to Janus only; it is not in anything the program printed.
        Assert.DoesNotContain("room-secret-value", result.StandardOutput + result.StandardError);
    }
}
