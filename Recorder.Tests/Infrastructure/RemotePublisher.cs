using System.Diagnostics;
using System.Globalization;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// A meeting participant without a browser: a short clip with its own tone
/// (300 + 150·i Hz, the synthetic convention) and colour with a moving white
/// square is encoded once (Opus + VP8, in the test's temporary folder), then
/// replayed in a loop with <c>-c copy</c> as RTP to a Janus remote publisher
/// port: cheap on CPU. SSRC 1000 + 10·mindex (audio 1000, video 1010; video alone 1000), as Janus expects.
/// </summary>
public sealed class RemotePublisher : IAsyncDisposable
{
    public static readonly (byte R, byte G, byte B)[] Colors = [(220, 40, 40), (40, 170, 60), (50, 90, 220), (230, 200, 40), (200, 50, 200)];
    private readonly string _folder = Directory.CreateTempSubdirectory("recorder-publisher-").FullName;
    private Process? _ffmpeg;

    private RemotePublisher(int index, bool audio, bool video)
    {
        Index = index;
        HasAudio = audio;
        HasVideo = video;
    }

    public int Index { get; }
    public bool HasAudio { get; }
    public bool HasVideo { get; }
    public double ToneHz => 300 + 150 * Index;
    public (byte R, byte G, byte B) Color => Colors[Index % Colors.Length];
    public string ClipPath => Path.Combine(_folder, "clip.webm");

    /// <summary>Encodes the clip (about 0.2 s of CPU for 4 s of media).</summary>
    public static async Task<RemotePublisher> PrepareAsync(int index, bool audio = true, bool video = true)
    {
        var p = new RemotePublisher(index, audio, video);
        var (r, g, b) = p.Color;
        var args = new List<string> { "-v", "error", "-y" };
        if (audio) args.AddRange(["-f", "lavfi", "-i", Invariant($"sine=frequency={p.ToneHz}:sample_rate=48000")]);
        if (video)
        {
            var y = 40 + 40 * (index % 4);
            args.AddRange(["-f", "lavfi", "-i",
                Invariant($"color=c=0x{r:X2}{g:X2}{b:X2}:s=320x240:r=15,drawbox=x='mod(t*{80 + 20 * index},280)':y={y}:w=40:h=40:color=white:t=fill")]);
        }
        // 4 s holds a whole number of cycles of every tone used, so the loop does not click.
        args.AddRange(["-t", "4"]);
        if (audio) args.AddRange(["-map", "0:a", "-c:a", "libopus", "-b:a", "48k", "-ac", "2", "-ar", "48000"]);
        if (video) args.AddRange(["-map", $"{(audio ? 1 : 0)}:v", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "250k", "-g", "15", "-auto-alt-ref", "0"]);
        args.AddRange(["-f", "webm", p.ClipPath]);
        var result = await ProcessRunner.RunAsync("ffmpeg", args, TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0) throw new InvalidOperationException($"could not encode the publisher clip: {result.StandardError}");
        return p;
    }

    /// <summary>Starts sending the clip in a loop to 127.0.0.1:<paramref name="port"/> (first sequence number <paramref name="firstSequence"/> when given).</summary>
    public void Start(int port, int? firstSequence = null)
    {
        if (_ffmpeg is not null) throw new InvalidOperationException("already sending");
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        var args = new List<string> { "-v", "error", "-nostdin", "-re", "-stream_loop", "-1", "-i", ClipPath };
        var seq = firstSequence is { } s ? new[] { "-seq", s.ToString(CultureInfo.InvariantCulture) } : [];
        var url = $"rtp://127.0.0.1:{port}?pkt_size=1200";
        if (HasAudio) args.AddRange(["-map", "0:a", "-c", "copy", "-payload_type", "111", "-ssrc", "1000", .. seq, "-f", "rtp", url]);
        if (HasVideo) args.AddRange(["-map", "0:v", "-c", "copy", "-payload_type", "96", "-ssrc", HasAudio ? "1010" : "1000", .. seq, "-f", "rtp", url]);
        foreach (var a in args) info.ArgumentList.Add(a);
        _ffmpeg = Process.Start(info)!;
        _ffmpeg.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        _ffmpeg.StandardError.BaseStream.CopyToAsync(Stream.Null);
    }

    /// <summary>Stops sending (kills this publisher's own ffmpeg, by its process handle).</summary>
    public async Task StopAsync()
    {
        if (_ffmpeg is null) return;
        if (!_ffmpeg.HasExited) _ffmpeg.Kill();
        await _ffmpeg.WaitForExitAsync();
        _ffmpeg.Dispose();
        _ffmpeg = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
