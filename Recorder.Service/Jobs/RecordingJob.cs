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
        var epoch = await services.Store.AcquireLeaseAsync(recordingId, services.Setup.WorkerId, now, TimeSpan.FromSeconds(services.Options.LeaseSeconds),
            CancellationToken.None).ConfigureAwait(false);
        if (epoch is null)
        {
            logger.LogWarning("recording {RecordingId}: another worker holds its lease already; nothing to do", recordingId);
            return;
        }
        await SuperviseAsync(recording with { State = RecordingState.Joining }, host, new LeasedRun(epoch.Value, false, false, recording.MaxDurationSeconds),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes over a running recording whose worker died or handed it over (its lease expired or was released): a new run
    /// under the next lease epoch continues it in a new segment and completes the segment the previous one left. With no
    /// time left (or a stop requested, or the recording already finalizing) it only completes what was left.
    /// </summary>
    /// <param name="recordingId">The recording to take over.</param>
    /// <param name="cancellationToken">Hangfire's: cancelled when the service shuts down.</param>
    public async Task ContinueAsync(string recordingId, CancellationToken cancellationToken)
    {
        var recording = await services.Store.GetRecordingAsync(recordingId, CancellationToken.None).ConfigureAwait(false);
        if (recording is null || !recording.State.IsActive())
        {
            logger.LogInformation("recording {RecordingId} is no longer running ({State}); nothing to take over", recordingId, recording?.State.Name() ?? "gone");
            return;
        }
        var now = services.Clock.GetUtcNow();
        var epoch = await services.Store.AcquireLeaseAsync(recordingId, services.Setup.WorkerId, now, TimeSpan.FromSeconds(services.Options.LeaseSeconds),
            CancellationToken.None).ConfigureAwait(false);
        if (epoch is null)
        {
            logger.LogInformation("recording {RecordingId}: its lease is live (another worker has it); nothing to take over", recordingId);
            return;
        }
        var host = await services.Store.GetHostAsync(recording.HostId, CancellationToken.None).ConfigureAwait(false);
        var elapsed = now - (recording.RecordingAt ?? recording.JoiningAt ?? now);
        var remaining = recording.MaxDurationSeconds - elapsed.TotalSeconds;
        var finishOnly = remaining < 1 || recording.StopRequestedAt is not null || recording.State == RecordingState.Finalizing;
        logger.LogWarning("recording {RecordingId}: taking it over with lease epoch {Epoch} ({What})", recordingId, epoch,
            finishOnly ? "nothing left to record: completing what the previous worker left" : $"{remaining:0} s left to record");
        services.Metrics.RecordingTakenOver(recordingId);
        await SuperviseAsync(recording, host, new LeasedRun(epoch.Value, true, finishOnly, Math.Max(0, remaining)), cancellationToken).ConfigureAwait(false);
    }

    private async Task SuperviseAsync(RecordingRecord recording, HostRecord? host, LeasedRun run, CancellationToken cancellationToken)
    {
        services.Metrics.RecordingStarted(recording.Id);
        try
        {
            await new RecordingRun(recording, host, run, services, logger).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The bookkeeping failed (the store, most likely), not necessarily the recording: say so where it can be seen.
            logger.LogError(e, "recording {RecordingId}: its job failed", recording.Id);
            services.Metrics.RecordingEnded(recording.Id, RecordingState.Failed.Name());
            await services.Store.SetStateAsync(recording.Id, RecordingState.Failed, services.Clock.GetUtcNow(), null,
                $"the service could not follow the recording: {e.Message}", CancellationToken.None, run.Epoch).ConfigureAwait(false);
            throw;
        }
    }
}
