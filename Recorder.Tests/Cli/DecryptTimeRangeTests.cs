using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Recorder.Cli;
using Recorder.Crypto.Keys;
using Recorder.Crypto.Recipients;
using Recorder.Pipeline;
using Recorder.Pipeline.Encoder;
using Recorder.Pipeline.Text;
using Recorder.Storage;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// <c>decrypt --from/--to</c> on a recording the real pipeline wrote into the local Ceph (a synthetic meeting in
/// virtual time, 20 s in segments of 8 s): the output is the init segment and the whole fragments of the full
/// decrypt (only their tfdt moved), ffprobe and ffmpeg accept it, its duration covers the request within one
/// fragment at each end; across segments it is one MP4; the errors are exact.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DecryptTimeRangeTests(CephFixture ceph) : IDisposable
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static Recorded? _recorded;
    private readonly CliFiles _files = new();

    private sealed record Recorded(string KeyFile, string Bucket, string ManifestUri, RecordingManifest Manifest, byte[][] Plaintexts);

    private IReadOnlyDictionary<string, string?> Env => CliRunner.CephEnvironment(ceph.Options);

    public void Dispose() => _files.Dispose();

    /// <summary>One recording for the whole class, and each segment's full decrypt by the stock age CLI.</summary>
    private async Task<Recorded> RecordingAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_recorded is not null) return _recorded;
            var bucket = await ceph.CreateBucketAsync("range");
            var identity = X25519Identity.Generate();
            var folder = Directory.CreateTempSubdirectory("recorder-range-key-").FullName;
            // The key is read by every test of the class, so the folder lives as long as the test process.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
            var keyFile = Path.Combine(folder, "host.key");
            using (var writer = new StreamWriter(keyFile)) AgeKeyFile.WriteIdentity(writer, identity, DateTimeOffset.UtcNow);
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var request = new RecordingRequest
            {
                MeetingUri = "synthetic://?participants=2&seconds=20&pace=fast",
                Recipients = [identity.Recipient],
                Bucket = bucket,
                HostId = "host-range",
                Encoder = new FfmpegEncoderOptions { Width = 320, Height = 180, Preset = "ultrafast" },
                MaxSegmentDuration = TimeSpan.FromSeconds(8),
            };
            var session = new RecordingSession(request, new S3ObjectStore(ceph.Client), NullLogger.Instance);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var manifest = await session.RunAsync(CancellationToken.None, timeout.Token);
            Assert.Equal("completed", manifest.State);
            Assert.True(manifest.Segments.Count >= 3, $"{manifest.Segments.Count} segments");
            var plaintexts = new byte[manifest.Segments.Count][];
            for (var i = 0; i < plaintexts.Length; i++)
            {
                var (encrypted, plain) = (Path.Combine(folder, $"{i}.age"), Path.Combine(folder, $"{i}.mp4"));
                await File.WriteAllBytesAsync(encrypted, await ceph.ReadObjectAsync(manifest.Segments[i].Location));
                var age = await ProcessRunner.RunAsync("age", ["-d", "-i", keyFile, "-o", plain, encrypted], TimeSpan.FromMinutes(1));
                Assert.True(age.ExitCode == 0, age.StandardError);
                plaintexts[i] = await File.ReadAllBytesAsync(plain);
                File.Delete(encrypted);
                File.Delete(plain);
            }
            return _recorded = new Recorded(keyFile, bucket, session.ManifestLocation, manifest, plaintexts);
        }
        finally
        {
            Once.Release();
        }
    }

    private static string Segment(Recorded r, int index) => r.Manifest.Segments[index].Location;

    [Fact]
    public async Task A_range_inside_one_segment_is_its_init_and_fragments_from_the_full_decrypt_and_plays()
    {
        var r = await RecordingAsync();
        var output = _files.PathOf("part.mp4");
        var result = await CliRunner.RunAsync(["decrypt", "-i", r.KeyFile, "--from", "00:03", "--to", "7s", "-o", output, r.ManifestUri], null, Env);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(new Regex(@"^recorder: fetched \d+\.\d MiB of \d+\.\d MiB \(\d+\.\d%\) from 1 segment for 00:00:03–00:00:07 \(00:0\d\.\d written, from 00:00:0\d(\.\d)?\)\n$"),
            result.StandardError);

        var segment = r.Manifest.Segments[0];
        var (first, end, startTime, endTime) = Expected(segment, 3, 7);
        var plain = r.Plaintexts[0];
        var expected = plain.AsSpan(0, (int)segment.InitSegmentBytes!.Value).ToArray().Concat(plain[(int)first..(int)end]).ToArray();
        var written = await File.ReadAllBytesAsync(output);
        Assert.Equal(Sha(WithoutDecodeTimes(expected)), Sha(WithoutDecodeTimes(written)));
        Assert.Equal(0UL, DecodeTimes(written).Min());
        await AssertPlaysAsync(output, endTime - startTime);
        Assert.InRange(startTime, 3 - FragmentSeconds(segment), 3);
        Assert.InRange(endTime, 7, 7 + FragmentSeconds(segment));
    }

    [Fact]
    public async Task A_range_across_segments_is_one_mp4_with_one_init_and_a_continuous_timeline()
    {
        var r = await RecordingAsync();
        var (s1, s2) = (r.Manifest.Segments[0], r.Manifest.Segments[1]);
        var from = s1.MediaStartSeconds + s1.DurationSeconds - 3;
        var to = s2.MediaStartSeconds + 3;
        var output = _files.PathOf("across.mp4");
        var result = await CliRunner.RunAsync(["decrypt", "-i", r.KeyFile, "--from", $"{from:0.###}s", "--to", $"{to:0.###}s", "-o", output, r.ManifestUri],
            null, Env);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains(" from 2 segments ", result.StandardError);

        var a = Expected(s1, from, to);
        var b = Expected(s2, from, to);
        var expected = r.Plaintexts[0][..(int)s1.InitSegmentBytes!.Value]
            .Concat(r.Plaintexts[0][(int)a.First..(int)a.End]).Concat(r.Plaintexts[1][(int)b.First..(int)b.End]).ToArray();
        var written = await File.ReadAllBytesAsync(output);
        Assert.Equal(Sha(WithoutDecodeTimes(expected)), Sha(WithoutDecodeTimes(written)));
        // Decode times only grow: the second segment's fragments follow the first's.
        var video = VideoDecodeTimes(written);
        Assert.Equal(video.Order().ToList(), video);
        await AssertPlaysAsync(output, b.EndTime - a.StartTime);
    }

    [Fact]
    public async Task A_segment_source_finds_its_manifest_and_fetches_only_what_the_range_needs()
    {
        var r = await RecordingAsync();
        var segment = r.Manifest.Segments[1];
        var from = segment.MediaStartSeconds + 2;
        var result = await CliRunner.RunAsync(["decrypt", "-i", r.KeyFile, "--from", $"{from:0.###}s", "--to", $"{from + 2:0.###}s", Segment(r, 1)],
            null, Env);
        Assert.True(result.ExitCode == 0, result.StandardError);
        var (first, end, _, _) = Expected(segment, from, from + 2);
        var expected = r.Plaintexts[1][..(int)segment.InitSegmentBytes!.Value].Concat(r.Plaintexts[1][(int)first..(int)end]).ToArray();
        Assert.Equal(Sha(WithoutDecodeTimes(expected)), Sha(WithoutDecodeTimes(result.StandardOutput)));
        var fetched = Regex.Match(result.StandardError, @"fetched (\d+\.\d) MiB of (\d+\.\d) MiB");
        Assert.True(double.Parse(fetched.Groups[1].Value) < double.Parse(fetched.Groups[2].Value), result.StandardError);
    }

    [Fact]
    public async Task A_byte_range_of_a_segment_is_the_same_slice_of_the_full_decrypt()
    {
        var r = await RecordingAsync();
        var (offset, length) = (70_000, r.Plaintexts[0].Length - 70_000 - 1000); // across chunk boundaries, short of the end
        var result = await CliRunner.RunAsync(["decrypt", "-i", r.KeyFile, "--offset", $"{offset}", "--length", $"{length}", Segment(r, 0)], null, Env);
        Assert.Equal((0, ""), (result.ExitCode, ProgressLines.Strip(result.StandardError)));
        Assert.Equal(Sha(r.Plaintexts[0][offset..(offset + length)]), Sha(result.StandardOutput));
    }

    public static TheoryData<string[], int, string> UsageErrors => new()
    {
        { ["--from", "1x"], 2, "recorder: error: --from 1x: not a time\nrecorder: hint: write times as hh:mm:ss, mm:ss, 90s, 10m or 1h\n" },
        { ["--to", "00:61:00"], 2, "recorder: error: --to 00:61:00: not a time\nrecorder: hint: write times as hh:mm:ss, mm:ss, 90s, 10m or 1h\n" },
        { ["--from", "10s", "--to", "00:05"], 2, "recorder: error: --from 10s is not before --to 00:05\nrecorder: hint: --from is where the stretch starts, --to where it ends\n" },
        { ["--from", "1s", "--offset", "10"], 2, "recorder: error: --from/--to cannot be combined with --offset/--length\nrecorder: hint: give a time range or a byte range, not both\n" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task Bad_time_arguments_are_usage_errors(string[] arguments, int exitCode, string stderr)
    {
        var r = await RecordingAsync();
        var output = _files.PathOf("never.mp4");
        var result = await CliRunner.RunAsync(["decrypt", "-i", r.KeyFile, "-o", output, .. arguments, r.ManifestUri], null, Env);
        Assert.Equal((exitCode, stderr), (result.ExitCode, result.StandardError));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task A_time_range_needs_a_source_other_than_stdin()
    {
        var r = await RecordingAsync();
        var result = await CliRunner.RunAsync(["decrypt", "-i", r.KeyFile, "--from", "1s"], [1, 2, 3], Env);
        Assert.Equal((2, "recorder: error: --from/--to need a recording's manifest or segment as SOURCE, not stdin\n" +
                         "recorder: hint: give s3://bucket/…/manifest.json or a segment next to its manifest\n"), (result.ExitCode, result.StandardError));
    }

    [Fact]
    public async Task A_range_past_the_end_says_where_the_recording_ends()
    {
        var r = await RecordingAsync();
        var end = RecordingTimeText.Format(r.Manifest.Segments.Max(s => s.MediaStartSeconds + s.DurationSeconds));
        var output = _files.PathOf("late.mp4");
        var result = await CliRunner.RunAsync(["decrypt", "-i", r.KeyFile, "--from", "00:05:00", "-o", output, r.ManifestUri], null, Env);
        Assert.Equal((1, $"recorder: error: --from 00:05:00 is past the end of the recording ({end})\n" +
                         $"recorder: hint: the recording runs from 00:00:00 to {end}\n"), (result.ExitCode, result.StandardError));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task A_segment_without_a_manifest_next_to_it_is_refused()
    {
        var r = await RecordingAsync();
        var lonely = $"s3://{r.Bucket}/elsewhere/segment-0001.mp4.age";
        var source = S3LocationOf(Segment(r, 0));
        await ceph.Client.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = source.Bucket, SourceKey = source.Key, DestinationBucket = r.Bucket, DestinationKey = "elsewhere/segment-0001.mp4.age",
        });
        var result = await CliRunner.RunAsync(["decrypt", "-i", r.KeyFile, "--from", "1s", "--to", "2s", lonely], null, Env);
        Assert.Equal((1, $"recorder: error: no manifest next to {lonely}: s3://{r.Bucket}/elsewhere/manifest.json does not exist\n" +
                         "recorder: hint: --from/--to need the recording's manifest.json (its fragment index) in the same folder as the segment\n"),
            (result.ExitCode, result.StandardError));
    }

    [Fact]
    public async Task A_range_in_a_gap_between_segments_says_so()
    {
        var r = await RecordingAsync();
        // The same recording with 30 s missing before segment 2 (as after a worker's death), copied to another folder.
        var json = JsonNode.Parse(await ceph.ReadObjectAsync(r.ManifestUri))!;
        var segments = json["segments"]!.AsArray();
        for (var i = 1; i < segments.Count; i++)
            segments[i]!["mediaStartSeconds"] = segments[i]!["mediaStartSeconds"]!.GetValue<double>() + 30;
        segments[1]!["gapBeforeSeconds"] = 30.0;
        foreach (var segment in r.Manifest.Segments)
        {
            var source = S3LocationOf(segment.Location);
            await ceph.Client.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = source.Bucket, SourceKey = source.Key, DestinationBucket = r.Bucket, DestinationKey = "gap/" + source.Key.Split('/')[^1],
            });
        }
        await ceph.Client.PutObjectAsync(new PutObjectRequest { BucketName = r.Bucket, Key = "gap/manifest.json", ContentBody = json.ToJsonString() });
        var (s1, s2) = (r.Manifest.Segments[0], r.Manifest.Segments[1]);
        var gapFrom = s1.MediaStartSeconds + s1.DurationSeconds;
        var result = await CliRunner.RunAsync(["decrypt", "-i", r.KeyFile, "--from", "00:00:20", "--to", "00:00:30", $"s3://{r.Bucket}/gap/manifest.json"],
            null, Env);
        Assert.Equal((1, $"recorder: error: 00:00:20–00:00:30 falls in a gap between segments 1 and 2: nothing was recorded from " +
                         $"{RecordingTimeText.Format(gapFrom)} to {RecordingTimeText.Format(s2.MediaStartSeconds + 30)}\n" +
                         "recorder: hint: choose a range that overlaps a segment (the manifest lists each segment's mediaStartSeconds and durationSeconds)\n"),
            (result.ExitCode, result.StandardError));
    }

    /// <summary>What the range rule picks in one segment: plaintext offsets and recording times of the fragments.</summary>
    private static (long First, long End, double StartTime, double EndTime) Expected(ManifestSegment segment, double from, double to)
    {
        var f = segment.Fragments;
        var s = segment.MediaStartSeconds;
        var first = Math.Max(0, f.ToList().FindLastIndex(x => s + x[0] <= from));
        var last = f.ToList().FindLastIndex(x => s + x[0] < to);
        var end = last + 1 < f.Count ? (long)f[last + 1][1] : segment.PlaintextBytes;
        var endTime = last + 1 < f.Count ? f[last + 1][0] : segment.DurationSeconds;
        return ((long)f[first][1], end, s + f[first][0], s + endTime);
    }

    private static double FragmentSeconds(ManifestSegment segment) => segment.Fragments.Zip(segment.Fragments.Skip(1), (a, b) => b[0] - a[0]).Max();

    /// <summary>ffprobe accepts it, ffmpeg decodes every frame without a complaint, and its length is what the fragments span.</summary>
    private static async Task AssertPlaysAsync(string path, double seconds)
    {
        var probe = await MediaAnalysis.ProbeAsync(path);
        Assert.Equal(("h264", "aac"), (probe.VideoCodec, probe.AudioCodec));
        Assert.InRange(probe.DurationSeconds, seconds - 0.1, seconds + 0.1);
        var decode = await ProcessRunner.RunAsync("ffmpeg", ["-v", "error", "-i", path, "-f", "null", "-"], TimeSpan.FromMinutes(1));
        Assert.Equal((0, ""), (decode.ExitCode, decode.StandardError));
        Assert.InRange(await MediaAnalysis.DecodableVideoSecondsAsync(path), seconds - 0.1, seconds + 0.1);
    }

    private static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static (string Bucket, string Key) S3LocationOf(string uri)
    {
        var rest = uri["s3://".Length..];
        return (rest[..rest.IndexOf('/')], rest[(rest.IndexOf('/') + 1)..]);
    }

    /// <summary>The file with every tfdt's time zeroed: what must equal the full decrypt's slice byte for byte.</summary>
    private static byte[] WithoutDecodeTimes(byte[] file)
    {
        var copy = file.ToArray();
        foreach (var (at, isLong, _, _) in Tfdts(copy))
        {
            if (isLong) BinaryPrimitives.WriteUInt64BigEndian(copy.AsSpan(at), 0);
            else BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(at), 0);
        }
        return copy;
    }

    private static List<ulong> DecodeTimes(byte[] file) => Tfdts(file).Select(t => t.Time).ToList();

    /// <summary>The decode time of the first track fragment of every moof (the video track: ffmpeg writes it first).</summary>
    private static List<ulong> VideoDecodeTimes(byte[] file) => Tfdts(file).Where(t => t.FirstInMoof).Select(t => t.Time).ToList();

    private static IEnumerable<(int At, bool IsLong, ulong Time, bool FirstInMoof)> TfdtsWithOrder(byte[] file)
    {
        foreach (var (moofAt, moofLength) in Children(file, 0, file.Length, "moof"))
        {
            var firstInMoof = true;
            foreach (var (trafAt, trafLength) in Children(file, moofAt, moofLength, "traf"))
            foreach (var (tfdtAt, _) in Children(file, trafAt, trafLength, "tfdt"))
            {
                var isLong = file[tfdtAt] == 1;
                var time = isLong ? BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan(tfdtAt + 4)) : BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(tfdtAt + 4));
                yield return (tfdtAt + 4, isLong, time, firstInMoof);
                firstInMoof = false;
            }
        }
    }

    private static List<(int At, bool IsLong, ulong Time, bool FirstInMoof)> Tfdts(byte[] file) => TfdtsWithOrder(file).ToList();

    /// <summary>Bodies (offset, length) of the child boxes of one type in file[start … start+length].</summary>
    private static List<(int At, int Length)> Children(byte[] file, int start, int length, string type)
    {
        var found = new List<(int, int)>();
        for (var pos = start; pos + 8 <= start + length;)
        {
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(pos));
            if (size < 8) break;
            if (System.Text.Encoding.ASCII.GetString(file, pos + 4, 4) == type) found.Add((pos + 8, size - 8));
            pos += size;
        }
        return found;
    }
}
