using System.Security.Cryptography;
using Recorder.Cli;
using Recorder.Pipeline;
using Recorder.Pipeline.Events;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Cli;

/// <summary>
/// A supervisor that dies leaves <c>record --events</c> writing into pipes
/// nobody reads. The real process's console streams happen to swallow EPIPE,
/// so here the CLI runs in-process with a stdout and a stderr that throw
/// <see cref="IOException"/> from the moment the test "kills the supervisor":
/// every write the recording makes after that fails, and it must still finish
/// its segment and manifest in S3 and exit 0.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RecordEventsBrokenPipeTests(CephFixture ceph, ITestOutputHelper log) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly CliFiles _files = new();

    [Fact]
    public async Task Writes_failing_after_the_supervisor_died_are_dropped_and_the_recording_completes()
    {
        var (hostKey, recipient) = _files.NewIdentity("host.key");
        var bucket = await ceph.CreateBucketAsync("epipe");
        var environment = CliRunner.CephEnvironment(ceph.Options);
        var stdin = new HeldOpenInputStream();
        var stdout = new BreakableOutputStream();
        var stderr = new BreakableOutputStream();
        var console = new CliConsole(stdin, stdout, new StreamWriter(stderr) { AutoFlush = true, NewLine = "\n" },
            name => environment.TryGetValue(name, out var v) ? v : null);

        var run = RecorderCli.RunAsync(
            ["record", "--meeting", "synthetic://?participants=2&seconds=60", "-r", recipient, "--bucket", bucket, "--events"], console);
        await WaitUntilAsync(() => stdout.Text.Contains("\"state\":\"recording\"", StringComparison.Ordinal) || run.IsCompleted);
        await Task.Delay(TimeSpan.FromSeconds(1));
        stdout.Break();
        stderr.Break();
        stdin.End();
        var exitCode = await run.WaitAsync(Timeout);
        log.WriteLine(stdout.Text);
        log.WriteLine(stderr.Text);

        Assert.Equal(0, exitCode);
        // It did write after the break and went on: the stdin notice, the "events are dropped" warning and log lines on
        // stderr; on stdout the next event, after which the event writer stops trying.
        Assert.True(stderr.FailedWrites >= 3, $"{stderr.FailedWrites} failed writes to stderr");
        Assert.Equal(1, stdout.FailedWrites);
        Assert.DoesNotContain("\"completed\"", stdout.Text);

        var manifestUri = RecordingEvent.Parse(stdout.Text.Split('\n')[0]).Manifest!;
        var manifest = RecordingManifest.Parse(await ceph.ReadObjectAsync(manifestUri));
        Assert.Equal(("completed", "the recording was stopped"), (manifest.State, manifest.EndReason));
        var segment = Assert.Single(manifest.Segments);
        var stored = await ceph.ReadObjectAsync(segment.Location);
        Assert.Equal((segment.Bytes, segment.Sha256), (stored.Length, Convert.ToHexStringLower(SHA256.HashData(stored))));
        var mp4 = _files.PathOf("segment.mp4");
        var age = await ProcessRunner.RunAsync("age", ["-d", "-i", hostKey, "-o", mp4, _files.Write("segment.age", stored)], TimeSpan.FromMinutes(1));
        Assert.True(age.ExitCode == 0, age.StandardError);
        Assert.InRange((await MediaAnalysis.ProbeAsync(mp4)).DurationSeconds, 0.5, 5.0);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {Timeout}");
            await Task.Delay(50);
        }
    }

    public void Dispose() => _files.Dispose();
}
