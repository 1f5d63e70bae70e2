using Recorder.Pipeline.Encoder;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Pipeline;

/// <summary>The pipeline under a dying or slow encoder, and across segment boundaries.</summary>
[Collection(RealTimeCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PipelineResilienceTests
{
    [Fact]
    public async Task An_encoder_killed_mid_recording_restarts_and_the_recording_continues_in_a_new_segment()
    {
        using var wrapper = FfmpegWrapper.KilledOnFirstRunAfter(3.5);
        var encoder = PipelineRunner.SmallFast with { FfmpegPath = wrapper.Path };
        var (manifest, output, _) = await PipelineRunner.RecordAsync("synthetic://?participants=2&seconds=6&marker=0", encoder, realTime: true);

        Assert.Equal("completed", manifest.State);
        Assert.Equal(2, manifest.Segments.Count);
        Assert.Equal(1, manifest.Stats!.EncoderRestarts);
        Assert.Contains("ffmpeg exited with code 137", manifest.Segments[0].EndReason);
        Assert.Equal("the simulated meeting is over", manifest.Segments[1].EndReason);

        // Both segments are playable on their own; together they cover the meeting, minus the restart gap.
        double total = 0;
        foreach (var n in new[] { 1, 2 })
        {
            var path = PipelineRunner.Save(output, n);
            try
            {
                var probe = await MediaAnalysis.ProbeAsync(path);
                Assert.Equal("h264", probe.VideoCodec);
                total += probe.DurationSeconds;
            }
            finally
            {
                File.Delete(path);
            }
        }
        Assert.InRange(total, 4.5, 6.5);
        // The kill comes 3.5 s after ffmpeg starts, which is before media time zero by however long the
        // pipeline took to start (0.6 s on a cold CI machine). What the kill loses (ffmpeg's unflushed
        // fragment) plus the restart gap is bounded by the total above.
        Assert.InRange(manifest.Segments[1].MediaStartSeconds, 2.0, 5.0);
    }

    [Fact]
    public async Task Segments_roll_over_at_the_limit_each_with_its_own_init_and_start_time()
    {
        var (manifest, output, _) = await PipelineRunner.RecordAsync("synthetic://?participants=2&seconds=5&marker=0",
            maxSegment: TimeSpan.FromSeconds(2));

        Assert.Equal([1, 2, 3], manifest.Segments.Select(s => s.Number));
        Assert.Equal([0.0, 2.0, 4.0], manifest.Segments.Select(s => s.MediaStartSeconds));
        Assert.All(manifest.Segments.Take(2), s => Assert.Equal("segment length limit reached", s.EndReason));
        foreach (var (segment, expected) in manifest.Segments.Zip(new[] { 2.0, 2.0, 1.0 }))
        {
            var path = PipelineRunner.Save(output, segment.Number);
            try
            {
                var probe = await MediaAnalysis.ProbeAsync(path);
                Assert.InRange(probe.DurationSeconds, expected - 0.3, expected + 0.3);
                var audio = await MediaAnalysis.DecodeAudioAsync(path);
                Assert.True(MediaAnalysis.ToneShare(audio.AsSpan(4800, 24_000), 300) > 0.02, $"segment {segment.Number} lost Alice's tone");
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    [Fact]
    public async Task When_the_encoder_falls_behind_the_live_edge_drops_and_counts_frames_but_keeps_time()
    {
        using var slow = FfmpegWrapper.ReadingAt(0.5);
        var encoder = PipelineRunner.SmallFast with { FfmpegPath = slow.Path };
        var (manifest, output, _) = await PipelineRunner.RecordAsync("synthetic://?participants=2&seconds=5&marker=0", encoder, realTime: true);

        Assert.True(manifest.Stats!.VideoFramesDropped > 20, $"expected dropped frames, got {manifest.Stats}");
        var path = PipelineRunner.Save(output, 1);
        try
        {
            // Frames were dropped, yet the picture keeps the meeting's clock: gaps are filled, not closed up.
            var probe = await MediaAnalysis.ProbeAsync(path);
            Assert.True(probe.DurationSeconds > 4.0, $"duration {probe.DurationSeconds} s: dropped frames shortened the recording");
            Assert.Equal(30, probe.FrameRate);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_abort_ends_a_live_recording_at_once_and_a_stop_completes_it()
    {
        // Real time, so the feed is waiting on the live edge when the abort comes.
        static Recorder.Pipeline.RecordingPipeline Live(string recordingId, PlaintextMemoryOutput output) => new(
            new Recorder.Pipeline.Meetings.Synthetic.SyntheticMeetingSource(
                Recorder.Pipeline.Meetings.Synthetic.SyntheticMeetingOptions.Parse(new Uri("synthetic://?participants=2&seconds=60"))),
            output, new Recorder.Pipeline.RecordingOptions
            {
                RecordingId = recordingId, HostId = "host-test", MeetingId = "meeting-test", Encoder = PipelineRunner.SmallFast, RealTime = true,
            });

        var output = new PlaintextMemoryOutput();
        using var abort = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Live("rec-abort", output).RunAsync(CancellationToken.None, abort.Token));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(output.Manifests, m => m.State == "completed");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var manifest = await Live("rec-stop", new PlaintextMemoryOutput()).RunAsync(stop.Token, CancellationToken.None);
        Assert.Equal(("completed", "the recording was stopped"), (manifest.State, manifest.EndReason));
        Assert.InRange(manifest.Segments.Sum(s => s.DurationSeconds), 1.5, 3.5);
    }

    [Fact]
    public async Task A_missing_encoder_fails_the_recording_with_a_clear_error()
    {
        var encoder = PipelineRunner.SmallFast with { FfmpegPath = "/nonexistent/ffmpeg" };
        var output = new PlaintextMemoryOutput();
        var ex = await Assert.ThrowsAsync<FfmpegException>(() =>
            PipelineRunner.RecordAsync("synthetic://?participants=1&seconds=2", encoder, output: output));
        Assert.StartsWith("could not start '/nonexistent/ffmpeg'", ex.Message);
        Assert.Equal("failed", output.Manifests[^1].State);
    }

    [Fact]
    public async Task An_encoder_that_keeps_failing_ends_the_recording_with_its_stderr()
    {
        using var broken = FfmpegWrapper.FailingWith(1, "Unknown encoder libx264");
        var encoder = PipelineRunner.SmallFast with { FfmpegPath = broken.Path };
        var output = new PlaintextMemoryOutput();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PipelineRunner.RecordAsync("synthetic://?participants=1&seconds=5", encoder, output: output));
        Assert.Equal("the encoder failed 4 times; giving up: ffmpeg exited with code 1; ffmpeg said: Unknown encoder libx264", ex.Message);
        Assert.Equal("failed", output.Manifests[^1].State);
        // Encoders that produced nothing leave no segment behind.
        Assert.Empty(output.Manifests[^1].Segments);
    }

    [Fact]
    public async Task An_encoder_that_takes_input_but_gives_no_output_is_declared_stalled()
    {
        using var stuck = FfmpegWrapper.Swallowing();
        var encoder = PipelineRunner.SmallFast with { FfmpegPath = stuck.Path, StallTimeout = TimeSpan.FromSeconds(2) };
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => PipelineRunner.RecordAsync(
            "synthetic://?participants=1&seconds=30", encoder, realTime: true, configure: o => o with { MaxEncoderRestarts = 1 }));
        Assert.StartsWith("the encoder failed 2 times; giving up: ffmpeg stalled: no output for 2 s while input kept arriving", ex.Message);
    }

    [Fact]
    public async Task A_slow_upload_holding_back_the_encoders_output_is_not_a_stall()
    {
        // The upload stops taking data for 4 s, twice the stall timeout, once the first fragment is out.
        var held = 0;
        var output = new PlaintextMemoryOutput
        {
            BeforeWrite = (_, written) => written > 0 && Interlocked.Exchange(ref held, 1) == 0 ? Task.Delay(TimeSpan.FromSeconds(4)) : Task.CompletedTask,
        };
        var encoder = PipelineRunner.SmallFast with { StallTimeout = TimeSpan.FromSeconds(2) };
        var (manifest, _, _) = await PipelineRunner.RecordAsync("synthetic://?participants=2&seconds=7&marker=0", encoder, realTime: true, output: output);

        Assert.Equal(1, held);
        Assert.Equal(0, manifest.Stats!.EncoderRestarts);
        var segment = Assert.Single(manifest.Segments);
        Assert.Equal("the simulated meeting is over", segment.EndReason);
    }
}
