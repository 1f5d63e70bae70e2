using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Recorder.Tests.Infrastructure;

public sealed record ProbeResult(double DurationSeconds, string? VideoCodec, string? AudioCodec, double FrameRate, int Width, int Height,
    int AudioSampleRate, bool Fragmented);

/// <summary>Decodes recordings with the real ffmpeg/ffprobe and measures their content.</summary>
public static class MediaAnalysis
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static async Task<ProbeResult> ProbeAsync(string path)
    {
        var r = await ProcessRunner.RunAsync("ffprobe",
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path], Timeout);
        Assert.True(r.ExitCode == 0, $"ffprobe failed: {r.StandardError}");
        using var doc = JsonDocument.Parse(r.StandardOutput);
        var streams = doc.RootElement.GetProperty("streams").EnumerateArray().ToList();
        var video = streams.FirstOrDefault(s => s.GetProperty("codec_type").GetString() == "video");
        var audio = streams.FirstOrDefault(s => s.GetProperty("codec_type").GetString() == "audio");
        var hasVideo = video.ValueKind == JsonValueKind.Object;
        var hasAudio = audio.ValueKind == JsonValueKind.Object;
        return new ProbeResult(
            double.Parse(doc.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture),
            hasVideo ? video.GetProperty("codec_name").GetString() : null,
            hasAudio ? audio.GetProperty("codec_name").GetString() : null,
            hasVideo ? Rate(video.GetProperty("r_frame_rate").GetString()!) : 0,
            hasVideo ? video.GetProperty("width").GetInt32() : 0,
            hasVideo ? video.GetProperty("height").GetInt32() : 0,
            hasAudio ? int.Parse(audio.GetProperty("sample_rate").GetString()!, CultureInfo.InvariantCulture) : 0,
            TopLevelBoxes(await File.ReadAllBytesAsync(path)).Contains("moof"));
    }

    /// <summary>
    /// Seconds of video that actually decode (frames read ÷ frame rate). A file cut inside a fragment keeps that
    /// fragment's sample table, so its container duration counts frames whose data is gone; this does not.
    /// </summary>
    public static async Task<double> DecodableVideoSecondsAsync(string path)
    {
        var r = await ProcessRunner.RunAsync("ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames,r_frame_rate", "-of", "json", path], Timeout);
        // ffprobe may exit non-zero at the cut (a partial packet) after counting every frame before it.
        Assert.True(r.StandardOutput.Contains("nb_read_frames", StringComparison.Ordinal), $"ffprobe failed ({r.ExitCode}): {r.StandardError}");
        using var doc = JsonDocument.Parse(r.StandardOutput);
        var stream = doc.RootElement.GetProperty("streams")[0];
        return int.Parse(stream.GetProperty("nb_read_frames").GetString()!, CultureInfo.InvariantCulture) / Rate(stream.GetProperty("r_frame_rate").GetString()!);
    }

    /// <summary>The whole audio track as 48 kHz mono samples.</summary>
    public static async Task<short[]> DecodeAudioAsync(string path)
    {
        var bytes = await RunBinaryAsync(["-v", "error", "-i", path, "-vn", "-ac", "1", "-ar", "48000", "-f", "s16le", "pipe:1"]);
        var samples = new short[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++) samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i));
        return samples;
    }

    /// <summary>Every decoded frame (at the stream's rate) as RGB24, scaled to <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static async Task<List<byte[]>> DecodeVideoAsync(string path, int width, int height, double? fps = null)
    {
        var filter = fps is null ? $"scale={width}:{height}" : $"fps={fps.Value.ToString(CultureInfo.InvariantCulture)},scale={width}:{height}";
        var bytes = await RunBinaryAsync(["-v", "error", "-i", path, "-an", "-vf", filter, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        var frameBytes = width * height * 3;
        return Enumerable.Range(0, bytes.Length / frameBytes).Select(i => bytes.AsSpan(i * frameBytes, frameBytes).ToArray()).ToList();
    }

    /// <summary>Relative power of <paramref name="hz"/> in a window (Goertzel), normalised to the window's energy: ~1 for a pure tone, ~0 when absent.</summary>
    public static double ToneShare(ReadOnlySpan<short> samples, double hz, int sampleRate = 48_000)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * hz / sampleRate);
        double s1 = 0, s2 = 0, energy = 0;
        foreach (var x in samples)
        {
            var s0 = x + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
            energy += (double)x * x;
        }
        var power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return energy == 0 ? 0 : 2 * power / (samples.Length * energy);
    }

    /// <summary>
    /// The tone's share averaged over 100 ms pieces, for audio that came over
    /// a network: a phase jump (a looped clip's seam, where the RTP timestamps
    /// of a looped Opus stream do not line up to the sample; a live stream
    /// re-synced to the clock) cancels a tone in one long Goertzel window,
    /// but spoils only one piece here.
    /// </summary>
    public static double SegmentedToneShare(ReadOnlySpan<short> samples, double hz)
    {
        const int piece = 4_800;
        double sum = 0;
        var pieces = 0;
        for (var i = 0; i + piece <= samples.Length; i += piece, pieces++) sum += ToneShare(samples.Slice(i, piece), hz);
        return pieces == 0 ? 0 : sum / pieces;
    }

    /// <summary>Mean colour of a rectangle of an RGB24 frame.</summary>
    public static (double R, double G, double B) MeanColor(byte[] rgb, int frameWidth, int x, int y, int w, int h)
    {
        double r = 0, g = 0, b = 0;
        for (var row = y; row < y + h; row++)
        for (var col = x; col < x + w; col++)
        {
            var i = (row * frameWidth + col) * 3;
            r += rgb[i];
            g += rgb[i + 1];
            b += rgb[i + 2];
        }
        var n = (double)w * h;
        return (r / n, g / n, b / n);
    }

    public static List<string> TopLevelBoxes(ReadOnlySpan<byte> file)
    {
        var boxes = new List<string>();
        long pos = 0;
        while (pos + 8 <= file.Length)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(file[(int)pos..]);
            var type = System.Text.Encoding.ASCII.GetString(file.Slice((int)pos + 4, 4));
            if (size == 1) size = (long)BinaryPrimitives.ReadUInt64BigEndian(file[((int)pos + 8)..]);
            if (size < 8) break;
            boxes.Add(type);
            pos += size;
        }
        return boxes;
    }

    private static double Rate(string fraction)
    {
        var parts = fraction.Split('/');
        return double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    private static async Task<byte[]> RunBinaryAsync(IEnumerable<string> args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        using var ms = new MemoryStream();
        await p.StandardOutput.BaseStream.CopyToAsync(ms);
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"ffmpeg decode failed: {await stderr}");
        return ms.ToArray();
    }
}
