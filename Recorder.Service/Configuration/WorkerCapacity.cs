namespace Recorder.Service.Configuration;

/// <summary>
/// How many recordings one worker runs at once by default:
/// floor(cores × <see cref="Utilization"/> / <see cref="CpuPerRecording"/>), at least 1.
///
/// The figures (docs/benchmarks.md): a 720p30 recording costs 0.27–0.33 CPU
/// seconds per media second for a synthetic meeting and 0.49 for a Janus
/// room of 4 publishers (the recorder, its ffmpeg and the VP8 decoders), so
/// 0.5 is taken per recording; like LiveKit Egress, 80% of the cores are
/// planned for. On 2 cores: floor(2 × 0.8 / 0.5) = 3, which is also what the
/// pipeline benchmark ran without a dropped frame (4 at once dropped frames).
/// </summary>
public static class WorkerCapacity
{
    public const double CpuPerRecording = 0.5;
    public const double Utilization = 0.8;

    public static int Default(int processorCount) => Math.Max(1, (int)Math.Floor(processorCount * Utilization / CpuPerRecording));
}
