using Hangfire;

namespace Recorder.Service.Jobs;

/// <summary>Hands a recording to Hangfire: enqueued when due, scheduled otherwise.</summary>
public sealed class RecordingScheduler(IBackgroundJobClient jobs, TimeProvider clock)
{
    public void Schedule(string recordingId, DateTimeOffset startAt)
    {
        if (startAt <= clock.GetUtcNow()) jobs.Enqueue<RecordingJob>(job => job.RunAsync(recordingId, CancellationToken.None));
        else jobs.Schedule<RecordingJob>(job => job.RunAsync(recordingId, CancellationToken.None), startAt);
    }
}
