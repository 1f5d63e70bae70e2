using Recorder.Pipeline.Media;
using Recorder.Pipeline.Meetings.Synthetic;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Pipeline;

/// <summary>
/// A synthetic meeting through the real pipeline and the real ffmpeg, checked
/// by decoding: format, duration, each participant's tone while present and
/// only then, each participant's colour in its tile, the gallery re-flowing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SyntheticRecordingTests
{
    [Fact]
    public async Task Recording_is_fragmented_h264_aac_at_30fps_of_the_requested_length()
    {
        var (manifest, output, _) = await PipelineRunner.RecordAsync("synthetic://?participants=4&seconds=6");
        var path = PipelineRunner.Save(output, 1);
        try
        {
            var probe = await MediaAnalysis.ProbeAsync(path);
            Assert.InRange(probe.DurationSeconds, 5.5, 6.5);
            Assert.Equal("h264", probe.VideoCodec);
            Assert.Equal("aac", probe.AudioCodec);
            Assert.Equal(30, probe.FrameRate);
            Assert.Equal((640, 360), (probe.Width, probe.Height));
            Assert.Equal(48_000, probe.AudioSampleRate);
            Assert.True(probe.Fragmented, "no moof box: the output is not fragmented");

            Assert.Equal("completed", manifest.State);
            Assert.Equal("the simulated meeting is over", manifest.EndReason);
            var segment = Assert.Single(manifest.Segments);
            Assert.Equal(new FileInfo(path).Length, segment.PlaintextBytes);
            Assert.InRange(segment.DurationSeconds, 5.9, 6.1);
            // A fragment per 2 s keyframe interval, indexed at increasing times and offsets.
            Assert.InRange(segment.Fragments.Count, 3, 4);
            Assert.Equal(0, segment.Fragments[0][0]);
            Assert.Equal(segment.InitSegmentBytes, (long)segment.Fragments[0][1]);
            Assert.True(segment.Fragments.Zip(segment.Fragments.Skip(1)).All(p => p.First[0] < p.Second[0] && p.First[1] < p.Second[1]));
            Assert.Equal(0, manifest.Stats!.VideoFramesDropped);
            Assert.Equal(180, manifest.Stats.VideoFrames);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Each_tone_is_heard_exactly_while_its_participant_is_present()
    {
        // Alice (300 Hz) throughout, Bob (450 Hz) leaves at 8 s, Carol (600 Hz) joins at 4 s.
        var (_, output, _) = await PipelineRunner.RecordAsync("synthetic://?participants=3&seconds=12&join=3:4&leave=2:8&marker=0");
        var path = PipelineRunner.Save(output, 1);
        try
        {
            var audio = await MediaAnalysis.DecodeAudioAsync(path);
            double Share(double hz, double fromSeconds) =>
                MediaAnalysis.ToneShare(audio.AsSpan((int)(fromSeconds * 48_000), 24_000), hz);

            foreach (var t in new[] { 1.0, 2.5 })
            {
                Assert.True(Share(300, t) > 0.02, $"Alice missing at {t} s");
                Assert.True(Share(450, t) > 0.02, $"Bob missing at {t} s");
                Assert.True(Share(600, t) < 0.002, $"Carol heard at {t} s before she joined ({Share(600, t):0.0000})");
            }
            foreach (var t in new[] { 5.0, 6.5 })
            {
                Assert.True(Share(300, t) > 0.02 && Share(450, t) > 0.02 && Share(600, t) > 0.02, $"someone missing at {t} s");
            }
            foreach (var t in new[] { 9.0, 10.5 })
            {
                Assert.True(Share(300, t) > 0.02, $"Alice missing at {t} s");
                Assert.True(Share(450, t) < 0.002, $"Bob heard at {t} s after he left ({Share(450, t):0.0000})");
                Assert.True(Share(600, t) > 0.02, $"Carol missing at {t} s");
            }
            // The limiter kept the mix below full scale.
            Assert.True(audio.Max(s => Math.Abs((int)s)) < short.MaxValue, "the mix clipped");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Tiles_show_each_participants_colour_and_the_gallery_reflows()
    {
        const int w = 320, h = 180, scale = 640 / w;
        var (_, output, source) = await PipelineRunner.RecordAsync("synthetic://?participants=3&seconds=12&join=3:4&leave=2:8&marker=0");
        var path = PipelineRunner.Save(output, 1);
        try
        {
            // One frame per second, at t = 0.5, 1.5, … (fps filter samples mid-interval).
            var frames = await MediaAnalysis.DecodeVideoAsync(path, w, h, fps: 1);
            Assert.InRange(frames.Count, 11, 13);
            void AssertTiles(int second, params int[] participants) => RecordingChecks.AssertGalleryTiles(
                frames[second], w, 640, 360, participants.Select(p => source.AllParticipants[p].Color).ToList(), $"t={second}s");

            AssertTiles(2, 0, 1);     // two side by side
            AssertTiles(6, 0, 1, 2);  // three: a 2×2 grid with a centred last row
            AssertTiles(10, 0, 2);    // Bob left: Carol moved into his place

            // The top band holds the first row of the 2×2 grid at 6 s, and only background once two are left.
            var band = (X: 20 / scale, Y: 12 / scale, W: 600 / scale, H: 60 / scale);
            var (r6, _, _) = MediaAnalysis.MeanColor(frames[6], w, band.X, band.Y, band.W / 2, band.H);
            var (r10, g10, b10) = MediaAnalysis.MeanColor(frames[10], w, band.X, band.Y, band.W, band.H);
            Assert.True(r6 > 150, $"expected Alice's tile in the top band at 6 s, red was {r6:0}");
            Assert.True(r10 < 40 && g10 < 40 && b10 < 40, $"expected background in the top band at 10 s, got ({r10:0},{g10:0},{b10:0})");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
