using System.Diagnostics;

namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>
/// Recording time from the monotonic clock. The recording clock (the live
/// edge) runs on the wall clock from its first snapshot, so the first
/// <see cref="Align"/> pins recording time 0; until then time counts from
/// the source's start.
/// </summary>
internal sealed class RecordingClock
{
    private long _epoch = Stopwatch.GetTimestamp();
    private int _aligned;

    public void Align(TimeSpan at)
    {
        if (Interlocked.Exchange(ref _aligned, 1) == 0)
            Interlocked.Exchange(ref _epoch, Stopwatch.GetTimestamp() - (long)(at.TotalSeconds * Stopwatch.Frequency));
    }

    public TimeSpan Now => At(Stopwatch.GetTimestamp());

    /// <summary>When a roster change happens now: 0 until the recording clock runs (whoever is there then is there from the start).</summary>
    public TimeSpan EventTime => Volatile.Read(ref _aligned) == 0 ? TimeSpan.Zero : Now;

    public TimeSpan At(long stopwatchTicks) =>
        TimeSpan.FromSeconds((stopwatchTicks - Interlocked.Read(ref _epoch)) / (double)Stopwatch.Frequency);
}
