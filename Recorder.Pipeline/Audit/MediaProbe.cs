using System.Diagnostics;
using System.Globalization;
using Recorder.Pipeline.Encoder;

namespace Recorder.Pipeline.Audit;

/// <summary>
/// What ffprobe sees in decrypted media, fed on its stdin (FFMpegCore's FFProbe reads a stream through a socket file
/// in the temp folder, and plaintext must not go near the disk): the streams' codecs and each stream's duration from
/// its last packet (pts + duration), which for fragmented MP4 read from a pipe is the only reliable duration.
/// </summary>
public static class MediaProbe
{
    /// <param name="writePlaintext">Writes the media into the stream it is given (ffprobe's stdin); its exception is rethrown once ffprobe is gone.</param>
    public static async Task<MediaFacts> ProbeAsync(Func<Stream, CancellationToken, Task> writePlaintext, string ffprobePath = "ffprobe",
        CancellationToken cancellationToken = default)
    {
        var info = FfmpegProcess.StartInfo(ffprobePath,
        [
            "-v", "error", "-show_entries", "stream=codec_type,codec_name:packet=codec_type,pts_time,duration_time",
            "-of", "compact", "-i", "pipe:0",
        ]);
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"could not start '{ffprobePath}': {e.Message} (is ffmpeg installed? localstack/install.sh ffmpeg)", e);
        }
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var facts = ReadAsync(process.StandardOutput, cancellationToken);
        Exception? feedError = null;
        try
        {
            await writePlaintext(process.StandardInput.BaseStream, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // ffprobe stopped reading (it failed on the input): its exit code and stderr say why.
        }
        catch (Exception e)
        {
            feedError = e; // decryption failed: the caller reports it, after ffprobe is gone
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // Already gone.
            }
        }
        var result = await facts.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (feedError is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(feedError).Throw();
        return process.ExitCode == 0
            ? result
            : result with { Error = $"ffprobe exited with code {process.ExitCode}: {errors.Trim().Split('\n').LastOrDefault()}" };
    }

    private static async Task<MediaFacts> ReadAsync(StreamReader output, CancellationToken cancellationToken)
    {
        var codecs = new List<string>();
        double video = 0, audio = 0;
        long packets = 0;
        while (await output.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var fields = line.Split('|');
            if (fields[0] == "stream")
            {
                codecs.Add($"{Field(fields, "codec_type")}:{Field(fields, "codec_name")}");
                continue;
            }
            if (fields[0] != "packet") continue;
            packets++;
            if (!double.TryParse(Field(fields, "pts_time"), NumberStyles.Float, CultureInfo.InvariantCulture, out var pts)) continue;
            _ = double.TryParse(Field(fields, "duration_time"), NumberStyles.Float, CultureInfo.InvariantCulture, out var duration);
            var end = pts + duration;
            if (Field(fields, "codec_type") == "video") video = Math.Max(video, end);
            else if (Field(fields, "codec_type") == "audio") audio = Math.Max(audio, end);
        }
        return new MediaFacts(codecs, video, audio, packets, null);
    }

    private static string? Field(string[] fields, string name)
    {
        foreach (var f in fields)
        {
            if (f.Length > name.Length && f[name.Length] == '=' && f.StartsWith(name, StringComparison.Ordinal)) return f[(name.Length + 1)..];
        }
        return null;
    }
}

/// <summary>Streams as <c>type:codec</c> (e.g. <c>video:h264</c>), seconds of video and audio, packets, and ffprobe's error if it failed.</summary>
public sealed record MediaFacts(IReadOnlyList<string> Streams, double VideoSeconds, double AudioSeconds, long Packets, string? Error);
