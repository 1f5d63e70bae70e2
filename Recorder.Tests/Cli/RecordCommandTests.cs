using System.Security.Cryptography;
using System.Text.Json;
using Recorder.Pipeline;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Cli;

/// <summary>
/// <c>recorder record</c> end to end: a synthetic meeting into the real local
/// Ceph S3, checked the way an archivist and an auditor would — the stock age
/// CLI decrypts it with the host's key, ffprobe and the decoded audio show the
/// meeting, the manifest's hashes match the stored bytes.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RecordCommandTests(CephFixture ceph, ITestOutputHelper log) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recorder-record-test-").FullName;

    [Fact]
    public async Task Records_into_S3_and_the_stock_age_CLI_decrypts_each_segment_with_the_hosts_key()
    {
        var bucket = await ceph.CreateBucketAsync("rec");
        var (hostKey, hostRecipient) = await AgeKeygenAsync("host");
        var (otherKey, _) = await AgeKeygenAsync("other");

        // Alice (300 Hz, red) throughout, Bob (450 Hz, green) leaves at 7 s, Carol (600 Hz, blue) joins at 4 s;
        // everyone claps and flashes at 3, 6 and 9 s.
        var run = await CliRunner.RunAsync(
            ["record", "--meeting", "synthetic://?participants=3&seconds=10&join=3:4&leave=2:7&marker=3&pace=fast",
             "-r", hostRecipient, "--bucket", bucket, "--prefix", "tenant-a", "--size", "640x360", "--json"],
            environment: CliRunner.CephEnvironment(ceph.Options));
        log.WriteLine(run.StandardError);
        Assert.Equal(0, run.ExitCode);

        using var result = JsonDocument.Parse(run.StandardOutput);
        var recordingId = result.RootElement.GetProperty("recordingId").GetString()!;
        var manifestUri = result.RootElement.GetProperty("manifest").GetString()!;
        var segmentUri = Assert.Single(result.RootElement.GetProperty("segments").EnumerateArray()).GetString()!;
        Assert.StartsWith($"s3://{bucket}/tenant-a/host-", manifestUri);
        Assert.EndsWith($"/synthetic/{recordingId}/manifest.json", manifestUri);
        Assert.Equal(manifestUri.Replace("manifest.json", "segment-0001.mp4.age"), segmentUri);

        // The auditor's view: the manifest lists the segment with the SHA-256 of exactly what is stored.
        var manifest = RecordingManifest.Parse(await GetAsync(manifestUri));
        Assert.Equal("completed", manifest.State);
        var ciphertext = await GetAsync(segmentUri);
        var segment = Assert.Single(manifest.Segments);
        Assert.Equal(ciphertext.Length, segment.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(ciphertext)), segment.Sha256);
        Assert.Equal(manifest.Recipients, segment.Recipients);
        Assert.StartsWith("x25519:", Assert.Single(manifest.Recipients));
        Assert.Equal("age-encryption.org/v1\n", System.Text.Encoding.ASCII.GetString(ciphertext, 0, 22));

        // Someone else's key gets nothing.
        var wrong = await ProcessRunner.RunAsync("age", ["-d", "-i", otherKey], TimeSpan.FromMinutes(1), standardInput: ciphertext);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("no identity matched any of the recipients", wrong.StandardError);

        // The archivist's view: the stock age CLI and the host's key give a playable recording of the meeting.
        var mp4 = Path.Combine(_folder, "segment-0001.mp4");
        var decrypt = await ProcessRunner.RunAsync("age", ["-d", "-i", hostKey, "-o", mp4], TimeSpan.FromMinutes(1), standardInput: ciphertext);
        Assert.True(decrypt.ExitCode == 0, decrypt.StandardError);
        Assert.Equal(segment.PlaintextBytes, new FileInfo(mp4).Length);
        var probe = await MediaAnalysis.ProbeAsync(mp4);
        Assert.InRange(probe.DurationSeconds, 9.5, 10.5);
        Assert.Equal(("h264", "aac", 30.0, true), (probe.VideoCodec, probe.AudioCodec, probe.FrameRate, probe.Fragmented));

        var audio = await MediaAnalysis.DecodeAudioAsync(mp4);
        double Share(double hz, double at) => MediaAnalysis.ToneShare(audio.AsSpan((int)(at * 48_000), 24_000), hz);
        Assert.True(Share(450, 2) > 0.02 && Share(600, 2) < 0.002, "before Carol joins: Bob yes, Carol no");
        Assert.True(Share(450, 8) < 0.002 && Share(600, 8) > 0.02, "after Bob leaves: Bob no, Carol yes");
        Assert.True(Share(300, 2) > 0.02 && Share(300, 8) > 0.02, "Alice throughout");

        // Each participant's colour in its tile, and the gallery re-flowing as Carol joins and Bob leaves.
        (byte, byte, byte) red = (220, 40, 40), green = (40, 170, 60), blue = (50, 90, 220);
        var frames = await MediaAnalysis.DecodeVideoAsync(mp4, 320, 180, fps: 1);
        RecordingChecks.AssertGalleryTiles(frames[2], 320, 640, 360, [red, green], "t=2.5s");
        RecordingChecks.AssertGalleryTiles(frames[5], 320, 640, 360, [red, green, blue], "t=5.5s");
        RecordingChecks.AssertGalleryTiles(frames[8], 320, 640, 360, [red, blue], "t=8.5s");

        // Picture and sound stay together.
        foreach (var (marker, flash, clap) in await RecordingChecks.MarkerTimesAsync(mp4, [3.0, 6.0, 9.0]))
            Assert.True(Math.Abs(clap - flash) < 0.080 && Math.Abs(flash - marker) < 0.1, $"marker {marker} s: flash {flash:0.000} s, clap {clap:0.000} s");
    }

    [Theory]
    [InlineData(new[] { "record", "--meeting", "synthetic://", "--bucket", "b" }, "recorder: error: give the host's key with -r RECIPIENT")]
    [InlineData(new[] { "record", "--meeting", "synthetic://", "--bucket", "b", "--host", "h1" },
        "recorder: error: --host h1 needs the host registry of 'recorder serve', which this command does not use")]
    [InlineData(new[] { "record", "--meeting", "zoom://x", "--bucket", "b", "-r", "age1x" }, "recorder: error: --meeting: unknown meeting URI scheme 'zoom' (known: synthetic")]
    [InlineData(new[] { "record", "--meeting", "synthetic://?participants=99", "--bucket", "b", "-r", "age1x" },
        "recorder: error: --meeting: participants must be an integer from 1 to 16, got '99'")]
    [InlineData(new[] { "record", "--meeting", "synthetic://", "--bucket", "b", "-r", "age1x" }, "recorder: error: -r age1x: ")]
    [InlineData(new[] { "record", "--meeting", "synthetic://", "--bucket", "b", "-r", HostRecipient, "--duration", "ten" },
        "recorder: error: --duration ten: not a duration")]
    [InlineData(new[] { "record", "--meeting", "synthetic://", "--bucket", "b", "-r", HostRecipient, "--size", "641x360" },
        "recorder: error: --size 641x360: expected even WxH between 160x90 and 3840x2160")]
    [InlineData(new[] { "record", "--meeting", "synthetic://", "--bucket", "b", "-r", HostRecipient, "--layout", "grid" },
        "recorder: error: --layout grid: expected gallery or speaker")]
    public async Task Usage_errors_exit_2_with_a_message_naming_the_problem(string[] args, string stderrStart)
    {
        var run = await CliRunner.RunAsync(args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(stderrStart, run.StandardError);
    }

    [Fact]
    public async Task A_missing_bucket_fails_fast_naming_it()
    {
        var run = await CliRunner.RunAsync(
            ["record", "--meeting", "synthetic://?seconds=30&pace=fast", "-r", HostRecipient, "--bucket", "no-such-bucket-here"],
            environment: CliRunner.CephEnvironment(ceph.Options));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("recorder: error: ", run.StandardError);
        Assert.Contains("s3://no-such-bucket-here/", run.StandardError);
        Assert.Contains("NoSuchBucket", run.StandardError);
    }

    /// <summary>A valid recipient for usage tests (its identity is not needed).</summary>
    private const string HostRecipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    private async Task<(string KeyFile, string Recipient)> AgeKeygenAsync(string name)
    {
        var path = Path.Combine(_folder, name + ".key");
        var r = await ProcessRunner.RunAsync("age-keygen", ["-o", path], TimeSpan.FromSeconds(30));
        Assert.Equal(0, r.ExitCode);
        return (path, r.StandardError.Split(' ', StringSplitOptions.TrimEntries)[^1]);
    }

    private Task<byte[]> GetAsync(string s3Uri) => ceph.ReadObjectAsync(s3Uri);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
