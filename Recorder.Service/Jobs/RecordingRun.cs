using System.ComponentModel;
using Microsoft.Extensions.Logging;
using Recorder.Crypto;
using Recorder.Pipeline.Events;
using Recorder.Service.Configuration;
using Recorder.Service.Metrics;
using Recorder.Service.Store;

namespace Recorder.Service.Jobs;

/// <summary>
/// Supervises one run of a recording's process under the recording's lease:
/// starts it, renews the lease every second and passes each renewal on to the
/// process (which stops writing when its lease runs out), applies its events
/// to the store (writes fenced by the lease's epoch), and stops it when a stop
/// is requested, the service shuts down, or the deadline passes — SIGTERM
/// first (finish the segment), a second SIGTERM after the drain timeout
/// (abort), SIGKILL as the last resort. A lost lease (another worker took the
/// recording over) kills the process at once. With PostgreSQL a shutdown is a
/// hand-over: the segment is finished and the lease released, and another
/// worker continues the recording. A process that ends without saying how is
/// a failed recording whose error says what is known.
/// </summary>
internal sealed class RecordingRun(
    RecordingRecord recording, HostRecord? host, LeasedRun run, RecordingServices services, ILogger logger)
{
    private static readonly TimeSpan KillAfterAbort = TimeSpan.FromSeconds(10);
    private readonly RecorderServiceOptions _options = services.Options;
    private readonly RecordingEventApplier _events = new(recording, run.Epoch, services, logger);
    private readonly TimeSpan _lease = TimeSpan.FromSeconds(services.Options.LeaseSeconds);
    private string? _stopReason;
    private volatile bool _leaseLost, _handingOver;
    private DateTimeOffset _renewedAt;

    public async Task RunAsync(CancellationToken shutdown)
    {
        if (FailClosed() is { } refusal)
        {
            logger.LogWarning("recording {RecordingId} refused: {Reason}", recording.Id, refusal);
            await _events.EndAsync(RecordingState.Failed, null, refusal).ConfigureAwait(false);
            return;
        }

        RecordingProcess child;
        var launcher = services.Launcher;
        try
        {
            child = RecordingProcess.Start(launcher.Program, launcher.Arguments(recording, host!, run), launcher.EnvironmentFor(recording), logger);
        }
        catch (Exception e) when (e is Win32Exception or IOException or InvalidOperationException)
        {
            await _events.EndAsync(RecordingState.Failed, null, $"could not start the recording process {launcher.Program}: {e.Message}").ConfigureAwait(false);
            return;
        }

        await using (child.ConfigureAwait(false))
        {
            logger.LogInformation("recording {RecordingId}: process {Pid} started for host {HostId} (lease epoch {Epoch}{Kind})", recording.Id, child.Id,
                recording.HostId, run.Epoch, run.FinishOnly ? ", completing what the previous worker left" : run.Continue ? ", taking over" : "");
            using var exited = new CancellationTokenSource();
            var lease = HoldLeaseAsync(child, exited.Token);
            var watch = WatchAsync(child, shutdown, exited.Token);
            var events = child.ReadEventsAsync(e => _events.ApplyAsync(e, _stopReason, _handingOver));
            var exitCode = await child.WaitForExitAsync().ConfigureAwait(false);
            await events.ConfigureAwait(false);
            await exited.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
            await lease.ConfigureAwait(false);
            logger.LogInformation("recording {RecordingId}: process exited with {ExitCode}", recording.Id, exitCode);
            // The process may have ended because its lease ran out (this worker paused, or lost the database) before
            // the look-out above noticed: then the recording is not this run's to end.
            if (!_leaseLost && !_handingOver && !_events.Ended && !await StillLeasedAsync().ConfigureAwait(false)) _leaseLost = true;
            if (!_leaseLost && !_events.Ended && exitCode == RecordingEvent.LeaseExpiredExitCode)
            {
                // The process gave up before this run saw its lease run out, and a renewal got through after it had
                // (the database came back just then): the lease is still this run's, so it is released for a take-over.
                _leaseLost = true;
                await ReleaseLeaseAsync().ConfigureAwait(false);
            }
            if (_leaseLost)
            {
                logger.LogWarning("recording {RecordingId}: this worker lost its lease (epoch {Epoch}); the recording goes on where it is leased", recording.Id, run.Epoch);
                services.Metrics.RecordingLeft(recording.Id, "lease-lost");
            }
            else if (_handingOver && !_events.Ended)
            {
                // Released, not ended: another worker continues the recording in a new segment.
                await ReleaseLeaseAsync().ConfigureAwait(false);
                services.Metrics.RecordingLeft(recording.Id, "handed-over");
                logger.LogInformation("recording {RecordingId}: handed over (the lease is released for another worker)", recording.Id);
            }
            else if (!_events.Ended)
            {
                await _events.EndAsync(RecordingState.Failed, null, DescribeExit(exitCode, child.StandardErrorTail)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Renews the lease every <see cref="RecorderServiceOptions.LeaseRenewMilliseconds"/> and tells the process how long it
    /// holds: until a quarter of the lease before its expiry, so it stops writing before another worker may start. Lost
    /// (taken over), or not renewed for that long (no database): the process is killed at once.
    /// </summary>
    private async Task HoldLeaseAsync(RecordingProcess child, CancellationToken exited)
    {
        var margin = _lease / 4;
        _renewedAt = services.Clock.GetUtcNow(); // the job took the lease just before the process started
        await child.SendLeaseAsync(run.Epoch, _lease - margin).ConfigureAwait(false);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.LeaseRenewMilliseconds), services.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(exited).ConfigureAwait(false))
            {
                var attempt = services.Clock.GetUtcNow();
                bool? renewed;
                // A database that does not answer (a network split) must not hold the look-out up past the lease.
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(exited);
                bounded.CancelAfter(margin);
                try
                {
                    renewed = await services.Store.RenewLeaseAsync(recording.Id, services.Setup.WorkerId, run.Epoch, attempt, _lease, bounded.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (!exited.IsCancellationRequested)
                {
                    logger.LogWarning("recording {RecordingId}: could not renew its lease: {Message}", recording.Id,
                        e is OperationCanceledException ? $"no answer within {margin.TotalSeconds:0.#} s" : e.Message);
                    renewed = null;
                }
                var now = services.Clock.GetUtcNow();
                if (renewed == true)
                {
                    _renewedAt = attempt;
                    await child.SendLeaseAsync(run.Epoch, attempt + _lease - margin - now).ConfigureAwait(false);
                    continue;
                }
                if (renewed == false || now - _renewedAt >= _lease - margin)
                {
                    _leaseLost = true;
                    logger.LogError("recording {RecordingId}: {Why}; stopping its process at once", recording.Id,
                        renewed == false ? $"another worker took the recording over (lease epoch {run.Epoch} is gone)"
                            : $"the lease could not be renewed for {(now - _renewedAt).TotalSeconds:0.0} s");
                    child.KillNow();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (exited.IsCancellationRequested)
        {
            // The process has exited.
        }
    }

    /// <summary>Whether this run still holds the lease: its epoch is current and it was renewed within the time its process was given.</summary>
    private async Task<bool> StillLeasedAsync()
    {
        if (services.Clock.GetUtcNow() - _renewedAt >= _lease - _lease / 4) return false;
        try
        {
            var lease = await services.Store.GetLeaseAsync(recording.Id, CancellationToken.None).ConfigureAwait(false);
            return lease is not null && lease.Epoch == run.Epoch && lease.Owner == services.Setup.WorkerId;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("recording {RecordingId}: could not read its lease: {Message}", recording.Id, e.Message);
            return false;
        }
    }

    private async Task ReleaseLeaseAsync()
    {
        try
        {
            await services.Store.ReleaseLeaseAsync(recording.Id, services.Setup.WorkerId, run.Epoch, services.Clock.GetUtcNow(), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("recording {RecordingId}: could not release its lease ({Message}); another worker takes it over when it expires", recording.Id, e.Message);
        }
    }

    /// <summary>Never another key: a host without usable recipients gets a failed recording saying why.</summary>
    private string? FailClosed()
    {
        if (host is null) return $"host {recording.HostId} is no longer registered";
        if (host.Recipients.Count == 0) return $"host {host.Id} has no recipients registered; nothing is recorded without the host's key";
        foreach (var recipient in host.Recipients)
        {
            try
            {
                AgeRecipients.Validate(recipient);
            }
            catch (FormatException e)
            {
                return $"host {host.Id} has a malformed recipient ({e.Message}); nothing is recorded without the host's key";
            }
        }
        return null;
    }

    private async Task WatchAsync(RecordingProcess child, CancellationToken shutdown, CancellationToken exited)
    {
        var started = services.Clock.GetUtcNow();
        var deadline = started + TimeSpan.FromSeconds(run.DurationSeconds + _options.JoinTimeoutSeconds + _options.DrainTimeoutSeconds);
        var drain = TimeSpan.FromSeconds(_options.DrainTimeoutSeconds);
        DateTimeOffset? stoppedAt = null, abortedAt = null;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.StopPollMilliseconds), services.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(exited).ConfigureAwait(false))
            {
                var now = services.Clock.GetUtcNow();
                if (stoppedAt is null)
                {
                    _stopReason = shutdown.IsCancellationRequested ? "the service was shutting down"
                        : await StopRequestedAsync().ConfigureAwait(false) ? "stopped on request"
                        : !run.FinishOnly && !_events.Captured && now - started > TimeSpan.FromSeconds(_options.JoinTimeoutSeconds)
                            ? $"no frame was captured within {_options.JoinTimeoutSeconds} s of starting"
                        : now > deadline ? "the recording's deadline passed" : null;
                    if (_stopReason is null) continue;
                    // With a shared store a shutdown hands the recording over instead of ending it.
                    _handingOver = shutdown.IsCancellationRequested && !services.Setup.EmbeddedJobs && !run.FinishOnly;
                    logger.LogInformation("recording {RecordingId}: stopping ({Reason}{HandOver})", recording.Id, _stopReason,
                        _handingOver ? "; another worker continues it" : "");
                    stoppedAt = now;
                    child.Terminate();
                }
                else if (abortedAt is null && now - stoppedAt > drain)
                {
                    logger.LogWarning("recording {RecordingId}: the segment was not finished within {Seconds} s; aborting", recording.Id, drain.TotalSeconds);
                    abortedAt = now;
                    _stopReason += $"; aborted after {drain.TotalSeconds:0} s without finishing its segment";
                    child.Terminate();
                }
                else if (abortedAt is not null && now - abortedAt > KillAfterAbort)
                {
                    logger.LogError("recording {RecordingId}: the process did not exit after the abort; killing it", recording.Id);
                    child.KillNow();
                }
            }
        }
        catch (OperationCanceledException) when (exited.IsCancellationRequested)
        {
            // The process has exited: nothing left to watch.
        }
    }

    private async Task<bool> StopRequestedAsync()
    {
        try
        {
            return await services.Store.IsStopRequestedAsync(recording.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store being unavailable is no reason to end a recording.
            logger.LogWarning("recording {RecordingId}: could not check for a stop request: {Message}", recording.Id, e.Message);
            return false;
        }
    }

    private string DescribeExit(int exitCode, IReadOnlyList<string> stderrTail)
    {
        var error = stderrTail.LastOrDefault(l => l.StartsWith("recorder: error: ", StringComparison.Ordinal))?["recorder: error: ".Length..];
        var how = exitCode > 128 ? $"was killed by signal {exitCode - 128}" : $"exited with code {exitCode}";
        return error is null
            ? $"the recording process {how} without reporting how the recording ended{(_stopReason is null ? "" : $" ({_stopReason})")}"
            : $"the recording process {how}: {error}";
    }
}
