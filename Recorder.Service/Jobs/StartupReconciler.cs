using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Recorder.Service.Configuration;
using Recorder.Service.Store;
using Recorder.Service.Webhooks;

namespace Recorder.Service.Jobs;

/// <summary>
/// At start-up of the embedded store (Hangfire's jobs then live in memory
/// only), rebuilds the jobs from the store, which is the truth: scheduled
/// recordings are scheduled again (or started late, or failed when their
/// whole time has passed), recordings that were running when the service
/// died are failed with a reason, and undelivered webhooks are queued again.
/// </summary>
public sealed class StartupReconciler(
    IRecorderStore store, RecordingScheduler scheduler, WebhookPublisher webhooks, RecordingServices services, ServiceSetup setup,
    ILogger<StartupReconciler> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!setup.EmbeddedJobs) return;
        var now = services.Clock.GetUtcNow();
        var waiting = await store.ListRecordingsInStatesAsync([RecordingState.Scheduled], cancellationToken).ConfigureAwait(false);
        foreach (var recording in waiting)
        {
            if (recording.StartAt.AddSeconds(recording.MaxDurationSeconds) < now)
            {
                await FailAsync(recording, $"missed: the service was not running from its start at {recording.StartAt:u} to its end", cancellationToken)
                    .ConfigureAwait(false);
                continue;
            }
            scheduler.Schedule(recording.Id, recording.StartAt);
        }

        var interrupted = await store.ListRecordingsInStatesAsync([RecordingState.Joining, RecordingState.Recording, RecordingState.Finalizing], cancellationToken)
            .ConfigureAwait(false);
        foreach (var recording in interrupted)
        {
            await FailAsync(recording, "the service stopped without draining while this recording ran (killed or crashed); the recording process, " +
                "seeing its supervisor gone, finished its segment on its own: the manifest lists what was stored", cancellationToken).ConfigureAwait(false);
        }

        var attempts = services.Options.EffectiveWebhookRetryDelaysSeconds.Count + 1;
        var undelivered = (await store.ListUndeliveredAsync(cancellationToken).ConfigureAwait(false)).Where(d => d.Attempts < attempts).ToList();
        foreach (var delivery in undelivered) webhooks.Enqueue(delivery.Id);

        if (waiting.Count + interrupted.Count + undelivered.Count > 0)
            logger.LogInformation("restored {Scheduled} scheduled recording(s), closed {Interrupted} interrupted one(s), re-queued {Webhooks} webhook(s)",
                waiting.Count, interrupted.Count, undelivered.Count);
    }

    private async Task FailAsync(RecordingRecord recording, string error, CancellationToken cancellationToken)
    {
        if (!await store.SetStateAsync(recording.Id, RecordingState.Failed, services.Clock.GetUtcNow(), null, error, cancellationToken).ConfigureAwait(false))
            return;
        logger.LogWarning("recording {RecordingId} failed: {Error}", recording.Id, error);
        await webhooks.PublishAsync(recording.HostId, WebhookEvents.RecordingFailed,
            new WebhookData(recording.Id, recording.HostId, RecordingState.Failed.Name(), recording.ManifestUri, Error: error), cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
