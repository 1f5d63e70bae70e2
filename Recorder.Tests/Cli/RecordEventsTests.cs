using System.Security.Cryptography;
using Recorder.Pipeline;
using Recorder.Pipeline.Events;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Cli;

/// <summary>
/// <c>recorder record --events</c> as the service runs it: a real child
/// process (the launcher, in both forms), stdin held open by the test as its
/// supervisor, stdout read line by line. Checked against what is really in the
/// local Ceph S3 and what the stock age CLI decrypts.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RecordEventsTests(CephFixture ceph, ITestOutputHelper log) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly CliFiles _files = new();

    [SkippableTheory]
    [InlineData("build")]
    [InlineData("native")]
    public async Task The_events_come_in_order_and_the_segment_event_is_the_stored_object(string form)
    {
        var (hostKey, recipient) = _files.NewIdentity("host.key");
        var bucket = await ceph.CreateBucketAsync("events");
        var id = $"rec-events-{form}-{Guid.NewGuid():N}"[..32];
        await using var child = Start(form, "synthetic://?participants=2&seconds=4", recipient, bucket,
            ["--recording-id", id, "--display-name", "Recorder (ignored by synthetic meetings)"]);
        Assert.True(await child.WaitForExitAsync(Timeout) == 0, child.StandardError);

        var events = Events(child);
        Assert.Equal(["started", "state joining", "state recording", "state finalizing", "segment 1", "completed"],
            events.Where(e => e.Event != RecordingEvent.Progress).Select(Describe));
        var started = events[0];
        Assert.Equal(id, started.RecordingId);
        Assert.StartsWith($"s3://{bucket}/host-", started.Manifest);
        Assert.EndsWith($"/synthetic/{id}/manifest.json", started.Manifest);

        // "recording" is stamped with media time 0 (the capture clock's start): from it to the end of capture is the meeting's 4 s.
        var recording = events.Single(e => e.NewState == RecordingEvent.StateRecording);
        var finalizing = events.Single(e => e.NewState == RecordingEvent.StateFinalizing);
        Assert.InRange((finalizing.Time - recording.Time).TotalSeconds, 3.9, 6.0);
        Assert.Equal("the simulated meeting is over", finalizing.Reason);

        // The segment event is exactly what S3 holds and what the manifest lists.
        var segment = events.Single(e => e.Event == RecordingEvent.Segment).CompletedSegment!;
        var manifest = RecordingManifest.Parse(await ceph.ReadObjectAsync(started.Manifest!));
        Assert.Equal("completed", manifest.State);
        var listed = Assert.Single(manifest.Segments);
        Assert.Equal((listed.Number, listed.Location, listed.Bytes, listed.Sha256, listed.MediaStartSeconds, listed.DurationSeconds, listed.EndReason, false),
            (segment.Number, segment.Uri, segment.Bytes, segment.Sha256, segment.MediaStartSeconds, segment.DurationSeconds, segment.EndReason, segment.Truncated));
        var duration = await DecryptAndProbeAsync(segment, hostKey);
        Assert.InRange(duration, 3.5, 4.5);

        var completed = events[^1];
        Assert.Equal((started.Manifest, "the simulated meeting is over", manifest.Stats!.VideoFramesDropped),
            (completed.Manifest, completed.Reason, completed.VideoFramesDropped));

        // Progress every 2 s, every field there, uploads never more than what was stored.
        var progress = events.Where(e => e.Event == RecordingEvent.Progress).ToList();
        Assert.True(progress.Count >= 2, $"{progress.Count} progress events in a recording of more than 4 s");
        foreach (var (a, b) in progress.Zip(progress.Skip(1))) Assert.InRange((b.Time - a.Time).TotalSeconds, 1.0, 4.0);
        foreach (var p in progress)
        {
            Assert.NotNull(p.MediaSeconds);
            Assert.InRange(p.CurrentSegment!.Value, 0, 1);
            Assert.InRange(p.BytesUploaded!.Value, 0, segment.Bytes);
            Assert.Equal((0L, 0L), (p.AudioBlocksDropped!.Value, p.UploadRetries!.Value));
            Assert.NotNull(p.VideoFramesDropped);
            Assert.NotNull(p.PartsInFlight);
        }
    }

    [SkippableTheory]
    [InlineData("build")]
    [InlineData("native")]
    public async Task The_end_of_stdin_stops_the_recording_cleanly_like_a_first_SIGTERM(string form)
    {
        var (hostKey, recipient) = _files.NewIdentity("host.key");
        var bucket = await ceph.CreateBucketAsync("stdin");
        await using var child = Start(form, "synthetic://?participants=2&seconds=30", recipient, bucket, []);
        await child.WaitForLineAsync(l => RecordingEvent.Parse(l).NewState == RecordingEvent.StateRecording, Timeout);
        await Task.Delay(TimeSpan.FromSeconds(3));
        child.CloseStandardInput();
        Assert.True(await child.WaitForExitAsync(Timeout) == 0, child.StandardError);

        Assert.Contains("recorder: stdin closed: the supervisor is gone; finishing the current segment\n", child.StandardError);
        var events = Events(child).Where(e => e.Event != RecordingEvent.Progress).ToList();
        Assert.Equal(["started", "state joining", "state recording", "state finalizing", "segment 1", "completed"], events.Select(Describe));
        Assert.Equal(("the recording was stopped", "the recording was stopped"), (events[3].Reason, events[5].Reason));
        var segment = events[4].CompletedSegment!;
        var manifest = RecordingManifest.Parse(await ceph.ReadObjectAsync(events[5].Manifest!));
        Assert.Equal(("completed", segment.Sha256), (manifest.State, Assert.Single(manifest.Segments).Sha256));
        // About the 3 s recorded before stdin closed; far from the meeting's 30.
        Assert.InRange(await DecryptAndProbeAsync(segment, hostKey), 2.5, 6.0);
    }

    [SkippableTheory]
    [InlineData("build")]
    [InlineData("native")]
    public async Task When_the_supervisor_dies_stdout_and_stdin_gone_the_recording_still_completes_in_S3(string form)
    {
        var (hostKey, recipient) = _files.NewIdentity("host.key");
        var bucket = await ceph.CreateBucketAsync("orphan");
        await using var child = Start(form, "synthetic://?participants=2&seconds=60", recipient, bucket, []);
        var manifestUri = RecordingEvent.Parse((await child.NextLineAsync(Timeout))!).Manifest!;
        await child.WaitForLineAsync(l => RecordingEvent.Parse(l).NewState == RecordingEvent.StateRecording, Timeout);
        await Task.Delay(TimeSpan.FromSeconds(2));
        // The read end of stdout goes first: every event the child writes from here on meets a pipe without a reader.
        child.CloseStandardOutput();
        child.CloseStandardInput();
        Assert.True(await child.WaitForExitAsync(Timeout) == 0, child.StandardError);

        var manifest = RecordingManifest.Parse(await ceph.ReadObjectAsync(manifestUri));
        Assert.Equal(("completed", "the recording was stopped"), (manifest.State, manifest.EndReason));
        // Complete and authentic: the stored bytes hash to the manifest's value and the stock age CLI decrypts them.
        Assert.InRange(await DecryptAndProbeAsync(ToEventSegment(Assert.Single(manifest.Segments)), hostKey), 1.5, 6.0);
    }

    [SkippableTheory]
    [InlineData("build")]
    [InlineData("native")]
    public async Task A_failure_ends_with_a_failed_line_carrying_stderrs_error_message(string form)
    {
        var (_, recipient) = _files.NewIdentity("host.key");
        await using var child = Start(form, "synthetic://?participants=2&seconds=30", recipient, "no-such-bucket-for-events", []);
        Assert.Equal(1, await child.WaitForExitAsync(Timeout));

        var events = Events(child);
        Assert.Equal(["started", "state joining", "failed"], events.Where(e => e.Event != RecordingEvent.Progress).Select(Describe));
        var errorLine = child.StandardError.Split('\n').Single(l => l.StartsWith("recorder: error: ", StringComparison.Ordinal));
        Assert.Equal(errorLine["recorder: error: ".Length..], events[^1].Error);
        Assert.Contains("NoSuchBucket", events[^1].Error);
    }

    private SupervisedProcess Start(string form, string meeting, string recipient, string bucket, string[] extra) =>
        SupervisedProcess.Start(RepositoryPaths.Launcher(form),
            ["record", "--meeting", meeting, "-r", recipient, "--bucket", bucket, "--events", .. extra],
            CliRunner.CephEnvironment(ceph.Options));

    private List<RecordingEvent> Events(SupervisedProcess child)
    {
        foreach (var line in child.Lines) log.WriteLine(line);
        log.WriteLine(child.StandardError);
        return child.Lines.Select(RecordingEvent.Parse).ToList();
    }

    private static string Describe(RecordingEvent e) => e.Event switch
    {
        RecordingEvent.State => $"state {e.NewState}",
        RecordingEvent.Segment => $"segment {e.CompletedSegment!.Number}",
        _ => e.Event,
    };

    private static RecordingEventSegment ToEventSegment(ManifestSegment s) =>
        new(s.Number, s.Location, s.Bytes, s.Sha256, s.MediaStartSeconds, s.DurationSeconds, s.EndReason, s.Truncated);

    /// <summary>The stored object hashes to the event's sha256 and size; the stock age CLI decrypts it; ffprobe's duration of the MP4.</summary>
    private async Task<double> DecryptAndProbeAsync(RecordingEventSegment segment, string hostKey)
    {
        var stored = await ceph.ReadObjectAsync(segment.Uri);
        Assert.Equal((segment.Bytes, segment.Sha256), (stored.Length, Convert.ToHexStringLower(SHA256.HashData(stored))));
        var encrypted = _files.Write($"segment-{segment.Number}.age", stored);
        var mp4 = _files.PathOf($"segment-{segment.Number}.mp4");
        var age = await ProcessRunner.RunAsync("age", ["-d", "-i", hostKey, "-o", mp4, encrypted], TimeSpan.FromMinutes(1));
        Assert.True(age.ExitCode == 0, age.StandardError);
        var probe = await MediaAnalysis.ProbeAsync(mp4);
        Assert.Equal(("h264", "aac"), (probe.VideoCodec, probe.AudioCodec));
        return probe.DurationSeconds;
    }

    public void Dispose() => _files.Dispose();
}
