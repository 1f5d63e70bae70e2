using System.Diagnostics;

namespace Recorder.Pipeline.Encoder;

/// <summary>How every ffmpeg child is started: all three standard streams piped, plain stderr.</summary>
internal static class FfmpegProcess
{
    /// <summary>
    /// The launcher's malloc setting is for the .NET process; ffmpeg keeps glibc's default, as it would run
    /// on its own (and as the benchmark's bare ffmpeg runs).
    /// </summary>
    private const string MallocArenaVariable = "MALLOC_ARENA_MAX";

    public static ProcessStartInfo StartInfo(string ffmpegPath, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["AV_LOG_FORCE_NOCOLOR"] = "1";
        info.Environment.Remove(MallocArenaVariable);
        return info;
    }
}
