using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Recorder.Pipeline.Audit.Log;
using Recorder.Service.Configuration;

namespace Recorder.Service.Audit;

/// <summary>
/// Every <see cref="RecorderServiceOptions.AuditCheckpointSeconds"/> (and once at shutdown), when the audit log grew,
/// signs a checkpoint that commits to all of it (<see cref="AuditCheckpointer"/>). Needs the signing key; every
/// worker of a pool runs it, and they write the same objects.
/// </summary>
public sealed class AuditCheckpointService(AuditTrail trail, RecorderServiceOptions options, ILogger<AuditCheckpointService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (trail.Signer is null || options.AuditCheckpointSeconds <= 0) return;
        var checkpointer = new AuditCheckpointer(trail.Store, options.Bucket, options.Prefix, trail.Signer);
        logger.LogInformation("audit log checkpoints every {Seconds} s, origin {Origin}, verifier key {VerifierKey}",
            options.AuditCheckpointSeconds, checkpointer.Origin, checkpointer.VerifierKey);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.AuditCheckpointSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                await CheckpointAsync(checkpointer, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await CheckpointAsync(checkpointer, last.Token).ConfigureAwait(false);
        }
    }

    private async Task CheckpointAsync(AuditCheckpointer checkpointer, CancellationToken cancellationToken)
    {
        try
        {
            if (await checkpointer.CheckpointAsync(cancellationToken).ConfigureAwait(false) is { } size)
                logger.LogInformation("audit log checkpoint at {Size} entries", size);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError("could not write an audit log checkpoint: {Message}", ex.Message);
        }
    }
}
