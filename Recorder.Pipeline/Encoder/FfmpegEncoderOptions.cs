using System.Globalization;

namespace Recorder.Pipeline.Encoder;

/// <summary>
/// How the recording is encoded: H.264 (x264) + AAC in fragmented MP4, so any
/// uploaded prefix is playable. Defaults: 1280×720 at 30 fps, x264 veryfast
/// with zerolatency (20–25% less CPU than without, see docs/benchmarks.md),
/// a keyframe (and so a fragment) every 2 s.
/// </summary>
public sealed record FfmpegEncoderOptions
{
    public string FfmpegPath { get; init; } = "ffmpeg";
    public int Width { get; init; } = 1280;
    public int Height { get; init; } = 720;
    public int FrameRate { get; init; } = 30;
    public string Preset { get; init; } = "veryfast";
    public string? Tune { get; init; } = "zerolatency";
    public int Crf { get; init; } = 23;
    public TimeSpan KeyframeInterval { get; init; } = TimeSpan.FromSeconds(2);
    public int AudioBitrateKbps { get; init; } = 96;
    public int AudioSampleRate { get; init; } = 48_000;
    /// <summary>x264 threads; null lets x264 choose (one per core).</summary>
    public int? Threads { get; init; }
    /// <summary>No output for this long while input keeps arriving means ffmpeg is stuck.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>How much of ffmpeg's stderr is kept for error messages.</summary>
    public int StderrTailLines { get; init; } = 40;

    public int GopFrames => Math.Max(1, (int)Math.Round(KeyframeInterval.TotalSeconds * FrameRate));

    /// <summary>The encoder settings shared by the recorder and the benchmark's bare ffmpeg command.</summary>
    public IReadOnlyList<string> OutputArguments()
    {
        var g = GopFrames.ToString(CultureInfo.InvariantCulture);
        var args = new List<string>
        {
            "-c:v", "libx264", "-preset", Preset,
        };
        if (Tune is not null) args.AddRange(["-tune", Tune]);
        args.AddRange([
            "-crf", Crf.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p",
            "-g", g, "-keyint_min", g, "-sc_threshold", "0",
        ]);
        if (Threads is { } t) args.AddRange(["-threads", t.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange([
            "-c:a", "aac", "-b:a", $"{AudioBitrateKbps}k", "-ac", "1", "-ar", AudioSampleRate.ToString(CultureInfo.InvariantCulture),
            "-movflags", "+frag_keyframe+empty_moov+default_base_moof",
            "-f", "mp4", "pipe:1",
        ]);
        return args;
    }

    /// <summary>The full command line: the Matroska feed on stdin, fragmented MP4 on stdout.</summary>
    public IReadOnlyList<string> Arguments()
    {
        var fps = FrameRate.ToString(CultureInfo.InvariantCulture);
        List<string> args =
        [
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning",
            "-f", "matroska", "-i", "pipe:0",
            "-map", "0:v:0", "-map", "0:a:0",
            // Gaps left by frames dropped at the live edge are filled by repeating the previous frame.
            "-fps_mode", "cfr", "-r", fps,
            // Keep audio on its timestamps; pad a gap with silence rather than shifting what follows.
            "-af", "aresample=async=1:first_pts=0",
        ];
        args.AddRange(OutputArguments());
        return args;
    }
}
