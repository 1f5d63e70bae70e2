namespace Recorder.Tests.Infrastructure;

/// <summary>
/// A fault injector for the encoder: a shell script standing in for ffmpeg
/// that runs the real one with a twist (killed after a while, reading slower
/// than real time). Lives in a temporary folder of the test.
/// </summary>
public sealed class FfmpegWrapper : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recorder-ffmpeg-wrapper-").FullName;

    private FfmpegWrapper(string body)
    {
        Path = System.IO.Path.Combine(_folder, "ffmpeg");
        File.WriteAllText(Path, "#!/bin/sh\n" + body.Replace("$STATE", _folder) + "\n");
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    /// <summary>The first run is killed with SIGKILL after <paramref name="seconds"/>; later runs are normal.</summary>
    public static FfmpegWrapper KilledOnFirstRunAfter(double seconds) => new(
        $"if [ ! -e \"$STATE/ran\" ]; then touch \"$STATE/ran\"; exec timeout -s KILL {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} ffmpeg \"$@\"; fi\nexec ffmpeg \"$@\"");

    /// <summary>Every run reads its input at <paramref name="speed"/>× real time (an encoder that cannot keep up).</summary>
    public static FfmpegWrapper ReadingAt(double speed) => new(
        $"exec ffmpeg -readrate {speed.ToString(System.Globalization.CultureInfo.InvariantCulture)} \"$@\"");

    /// <summary>Exits at once with <paramref name="code"/>, printing a message on stderr.</summary>
    public static FfmpegWrapper FailingWith(int code, string message) => new($"echo '{message}' >&2\nexit {code}");

    /// <summary>Reads its input and never writes anything: a stuck encoder.</summary>
    public static FfmpegWrapper Swallowing() => new("cat > /dev/null"); // the shell keeps stdout open, as a stuck ffmpeg would

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
