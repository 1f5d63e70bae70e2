using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Recorder.Service.Configuration;
using Recorder.Service.Store;

namespace Recorder.Service.Jobs;

/// <summary>
/// With PostgreSQL (a pool of workers): every second, looks for running
/// recordings nobody supervises any more — the lease expired (the worker died,
/// paused, or lost the database) or was released (a worker shut down) — and
/// enqueues a take-over (<see cref="RecordingJob.ContinueAsync"/>). Each
/// orphan is claimed by exactly one worker's watcher (one conditional update),
/// and the take-over itself is decided by the lease, so a job that runs twice
/// does nothing the second time. Hangfire's own re-queueing of a dead worker's
/// job is far slower (../shared/notes/hangfire.md) and is not relied on.
/// </summary>
public sealed class LeaseWatcher(
    IRecorderStore store, IBackgroundJobClient jobs, RecordingServices services, ServiceSetup setup, ILogger<LeaseWatcher> logger) : BackgroundService
{
    /// <summary>A claim whose take-over did not take the lease within this time (no worker had room, or it died) is made again.</summary>
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (setup.EmbeddedJobs) return;
        var lease = TimeSpan.FromSeconds(services.Options.LeaseSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(services.Options.LeaseRenewMilliseconds), services.Clock);
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    foreach (var id in await store.ClaimOrphansAsync(services.Clock.GetUtcNow(), lease, ClaimTimeout, stoppingToken).ConfigureAwait(false))
                    {
                        logger.LogWarning("recording {RecordingId}: its worker's lease ran out or was released; a take-over is queued", id);
                        jobs.Enqueue<RecordingJob>(job => job.ContinueAsync(id, CancellationToken.None));
                    }
                    if (failing) logger.LogInformation("the look-out for recordings of dead workers works again");
                    failing = false;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database is away (restarting, cut off): say so once, keep looking.
                    if (!failing) logger.LogWarning("could not look for recordings of dead workers: {Message}", e.Message);
                    failing = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
