using Recorder.Pipeline.Media;

namespace Recorder.Tests.Infrastructure;

/// <summary>Content checks of a decoded synthetic recording, shared by the pipeline tests and the end-to-end tests.</summary>
public static class RecordingChecks
{
    /// <summary>
    /// Asserts the gallery of <paramref name="colours"/>.Count tiles, in that order, on one decoded RGB frame
    /// (<paramref name="frameWidth"/> wide) of a <paramref name="canvasWidth"/>×<paramref name="canvasHeight"/> recording.
    /// </summary>
    public static void AssertGalleryTiles(byte[] frame, int frameWidth, int canvasWidth, int canvasHeight,
        IReadOnlyList<(byte R, byte G, byte B)> colours, string when)
    {
        var scale = canvasWidth / frameWidth;
        var tiles = new List<Rect>();
        VideoLayout.Compute(LayoutKind.Gallery, colours.Count, -1, canvasWidth, canvasHeight, tiles);
        for (var i = 0; i < colours.Count; i++)
        {
            var t = tiles[i];
            // The centre half of the tile, in the decoded frame's coordinates.
            var (r, g, b) = MediaAnalysis.MeanColor(frame, frameWidth,
                (t.X + t.Width / 4) / scale, (t.Y + t.Height / 4) / scale, t.Width / 2 / scale, t.Height / 2 / scale);
            var expected = colours[i];
            Assert.True(Math.Abs(r - expected.R) < 35 && Math.Abs(g - expected.G) < 35 && Math.Abs(b - expected.B) < 35,
                $"{when} tile {i}: expected colour {expected}, got ({r:0},{g:0},{b:0})");
        }
    }

    /// <summary>For each clap-and-flash marker: when the picture turned white and when the clap began (seconds).</summary>
    public static async Task<List<(double Marker, double Flash, double Clap)>> MarkerTimesAsync(string path, IEnumerable<double> markers)
    {
        var frames = await MediaAnalysis.DecodeVideoAsync(path, 64, 36);
        var audio = await MediaAnalysis.DecodeAudioAsync(path);
        return markers.Select(m => (m, FirstFlash(frames, m - 0.5) / 30.0, FirstClap(audio, m - 0.5))).ToList();
    }

    /// <summary>The first frame from <paramref name="fromSeconds"/> on that is much brighter than the second of frames around it (the flash, whatever the layout).</summary>
    private static int FirstFlash(List<byte[]> frames, double fromSeconds)
    {
        var first = (int)(fromSeconds * 30);
        var means = frames.Select(f => f.Average(b => (double)b)).ToArray();
        var window = means.Skip(first).Take(30).Order().ToArray();
        var typical = window.Length == 0 ? 0 : window[window.Length / 2];
        for (var i = first; i < means.Length; i++)
            if (means[i] > typical + 50) return i;
        // Say what the frames looked like, for an intermittent failure: the brightness of the second searched.
        var seen = string.Join(' ', means.Skip(first).Take(30).Select(m => m.ToString("0", System.Globalization.CultureInfo.InvariantCulture)));
        throw new Xunit.Sdk.XunitException($"no flash after {fromSeconds} s (median brightness {typical:0}; frames {first}…: {seen})");
    }

    /// <summary>The clap is broadband noise; the tones are below 1 kHz, so the energy of the first difference jumps at its onset.</summary>
    private static double FirstClap(short[] audio, double fromSeconds)
    {
        const int window = 48; // 1 ms
        for (var start = (int)(fromSeconds * 48_000); start + window < audio.Length; start += window)
        {
            double energy = 0;
            for (var i = start + 1; i < start + window; i++)
            {
                double d = audio[i] - audio[i - 1];
                energy += d * d;
            }
            if (Math.Sqrt(energy / window) > 3000) return start / 48_000.0;
        }
        throw new Xunit.Sdk.XunitException($"no clap after {fromSeconds} s");
    }
}
