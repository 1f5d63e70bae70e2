using Recorder.Pipeline.Media;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Pipeline;

[Collection(RealTimeCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SyncAndLayoutTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Clap_and_flash_markers_stay_within_80ms_of_each_other(bool realTime)
    {
        // Everyone claps and flashes white at 2, 4 and 6 s.
        var (manifest, output, _) = await PipelineRunner.RecordAsync("synthetic://?participants=4&seconds=7&marker=2", realTime: realTime);
        // A flash lasts 100 ms (3 frames): frames dropped under load around a marker are the first thing to look at.
        log.WriteLine($"video frames dropped: {manifest.Stats?.VideoFramesDropped}, encoder restarts: {manifest.Stats?.EncoderRestarts}");
        var path = PipelineRunner.Save(output, 1);
        try
        {
            foreach (var (marker, flash, clap) in await RecordingChecks.MarkerTimesAsync(path, [2.0, 4.0, 6.0]))
            {
                log.WriteLine($"marker {marker} s: flash {flash:0.000} s, clap {clap:0.000} s, offset {1000 * (clap - flash):0} ms");
                Assert.True(Math.Abs(flash - marker) < 0.1, $"flash for the {marker} s marker at {flash:0.000} s");
                Assert.True(Math.Abs(clap - flash) < 0.080, $"A/V offset {1000 * (clap - flash):0} ms at the {marker} s marker (flash {flash:0.000} s, clap {clap:0.000} s)");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Speaker_layout_puts_the_active_speaker_in_the_large_tile()
    {
        // Speaking slots of 4 s rotate: Alice (red) 0–4 s, Bob (green) 4–8 s.
        var (_, output, source) = await PipelineRunner.RecordAsync("synthetic://?participants=3&seconds=8&marker=0", layout: LayoutKind.Speaker);
        var path = PipelineRunner.Save(output, 1);
        try
        {
            var frames = await MediaAnalysis.DecodeVideoAsync(path, 320, 180, fps: 1);
            var tiles = new List<Rect>();
            VideoLayout.Compute(LayoutKind.Speaker, 3, 0, 640, 360, tiles);
            var main = tiles[0];
            foreach (var (second, speaker) in new[] { (3, 0), (6, 1) })
            {
                var (r, g, b) = MediaAnalysis.MeanColor(frames[second], 320, (main.X + main.Width / 4) / 2, (main.Y + main.Height / 4) / 2, main.Width / 4, main.Height / 4);
                var expected = source.AllParticipants[speaker].Color;
                Assert.True(Math.Abs(r - expected.R) < 35 && Math.Abs(g - expected.G) < 35 && Math.Abs(b - expected.B) < 35,
                    $"t={second}s: expected participant {speaker + 1} in the large tile, got ({r:0},{g:0},{b:0})");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
