namespace Recorder.Pipeline.Encoder;

/// <summary>ffmpeg failed: it exited non-zero, could not start, or stalled. Carries the exit code and the tail of its stderr.</summary>
public sealed class FfmpegException(string message, int? exitCode, string stderrTail)
    : Exception(string.IsNullOrWhiteSpace(stderrTail) ? message : $"{message}; ffmpeg said: {stderrTail.Trim()}")
{
    public int? ExitCode { get; } = exitCode;
    public string StderrTail { get; } = stderrTail;
}
