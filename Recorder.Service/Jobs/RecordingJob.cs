using Hangfire;
using Microsoft.Extensions.Logging;
using Recorder.Service.Store;

namespace Recorder.Service.Jobs;

/// <summary>
/// The Hangfire job of one recording (queue "recordings", one worker thread
/// per recording this worker has room for). It takes only the recording's
/// id; everything else comes from the store, so the dashboard shows no
/// meeting URI or key. Hangfire never retries it: a recording that cannot
/// run fails with a reason, and a restart is not a retry.
/// </summary>
[Queue(Queue)]
[AutomaticRetry(Attempts = 0)]
public sealed class RecordingJob(RecordingServices services, ILogger<RecordingJob> logger)
{
    public const string Queue = "recordings";

    /// <param name="recordingId">The recording to run.</param>
    /// <param name="cancellationToken">Hangfire's: cancelled when the service shuts down (the recording is then drained, not dropped).</param>
    public async Task RunAsync(string recordingId, CancellationToken cancellationToken)
    {
        var recording = await services.Store.GetRecordingAsync(recordingId, CancellationToken.None).ConfigureAwait(false);
        if (recording is null)
        {
            logger.LogInformation("recording {RecordingId} was cancelled before it started", recordingId);
            return;
        }
        if (recording.State != RecordingState.Scheduled)
        {
            logger.LogInformation("recording {RecordingId} has already started ({State}); nothing to do", recordingId, recording.State.Name());
            return;
        }
        // Hangfire keeps a schedule to the whole second and may hand the job over up to a second early.
        var early = recording.StartAt - services.Clock.GetUtcNow();
        if (early > TimeSpan.Zero) await Task.Delay(early, services.Clock, cancellationToken).ConfigureAwait(false);
        var host = await services.Store.GetHostAsync(recording.HostId, CancellationToken.None).ConfigureAwait(false);
        var now = services.Clock.GetUtcNow();
        if (!await services.Store.TryStartAsync(recordingId, host?.Recipients ?? [], now, CancellationToken.None).ConfigureAwait(false))
        {
            logger.LogInformation("recording {RecordingId} was cancelled or started elsewhere just now", recordingId);
            return;
        }
        var late = now - recording.StartAt;
        if (late > TimeSpan.FromSeconds(5))
            logger.LogWarning("recording {RecordingId} starts {Seconds:0.0} s after its start time (it waited for room on a worker)", recordingId, late.TotalSeconds);
        services.Metrics.RecordingStarted(recordingId);
        try
        {
            await new RecordingRun(recording with { State = RecordingState.Joining }, host, services, logger).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The bookkeeping failed (the store, most likely), not necessarily the recording: say so where it can be seen.
            logger.LogError(e, "recording {RecordingId}: its job failed", recordingId);
            services.Metrics.RecordingEnded(recordingId, RecordingState.Failed.Name());
            await services.Store.SetStateAsync(recordingId, RecordingState.Failed, services.Clock.GetUtcNow(), null,
                $"the service could not follow the recording: {e.Message}", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }
}
