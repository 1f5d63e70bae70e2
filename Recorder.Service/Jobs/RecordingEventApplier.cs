using Microsoft.Extensions.Logging;
using Recorder.Pipeline.Audit.Log;
using Recorder.Pipeline.Events;
using Recorder.Service.Api;
using Recorder.Service.Store;
using Recorder.Service.Webhooks;

namespace Recorder.Service.Jobs;

/// <summary>
/// Turns a recording process's events into the recording's state in the
/// store, metrics and webhooks. A failure to store one event is logged and
/// the recording goes on: the process, not this bookkeeping, is what records.
/// State changes and segments are fenced by the run's lease epoch: once another
/// worker has taken the recording over, nothing of this run is written.
/// </summary>
internal sealed class RecordingEventApplier(RecordingRecord recording, long epoch, RecordingServices services, ILogger logger)
{
    private int _ended;

    /// <summary>The recording reached completed or failed.</summary>
    public bool Ended => Volatile.Read(ref _ended) == 1;

    // What the events said so far, so webhooks and the last figures need no read of the store.
    private RecordingState _state = recording.State;
    private string? _manifest = recording.ManifestUri;
    private long _bytesUploaded;

    /// <summary>The process captured its first frame (or an earlier run of the recording did).</summary>
    public bool Captured { get; private set; } = recording.RecordingAt is not null;

    /// <param name="handingOver">The service is shutting down and another worker continues the recording: the end of this run is not the recording's.</param>
    public async Task ApplyAsync(RecordingEvent e, string? stopReason, bool handingOver = false)
    {
        try
        {
            switch (e.Event)
            {
                case RecordingEvent.Started when e.Manifest is not null:
                    _manifest = e.Manifest;
                    await services.Store.SetManifestAsync(recording.Id, e.Manifest, CancellationToken.None).ConfigureAwait(false);
                    break;
                case RecordingEvent.State when e.NewState == "recording":
                    Captured = true;
                    _state = RecordingState.Recording;
                    if (await services.Store.SetStateAsync(recording.Id, RecordingState.Recording, e.Time, null, null, CancellationToken.None, epoch).ConfigureAwait(false))
                    {
                        await AuditAsync(AuditEventTypes.RecordingStarted, e.Time).ConfigureAwait(false);
                        await PublishAsync(WebhookEvents.RecordingStarted, RecordingState.Recording).ConfigureAwait(false);
                    }
                    break;
                case RecordingEvent.State when e.NewState == "finalizing" && !handingOver:
                    _state = RecordingState.Finalizing;
                    await services.Store.SetStateAsync(recording.Id, RecordingState.Finalizing, e.Time, null, null, CancellationToken.None, epoch).ConfigureAwait(false);
                    break;
                case RecordingEvent.Segment when e.CompletedSegment is { } s:
                    var segment = new SegmentRecord(s.Number, s.Uri, s.Bytes, s.Sha256, s.MediaStartSeconds, s.DurationSeconds, s.EndReason, s.Truncated);
                    if (!await services.Store.AddSegmentAsync(recording.Id, segment, CancellationToken.None, epoch).ConfigureAwait(false)) break;
                    // A take-over announces the segments before it again: the host hears of each once.
                    if (recording.Segments.Any(known => known.Number == segment.Number && known.Sha256 == segment.Sha256)) break;
                    await AuditAsync(s.Truncated ? AuditEventTypes.SegmentTruncated : AuditEventTypes.SegmentCompleted, e.Time, segment).ConfigureAwait(false);
                    await PublishAsync(WebhookEvents.SegmentCompleted, null, segment: Views.Of(segment)).ConfigureAwait(false);
                    break;
                case RecordingEvent.Progress:
                    _bytesUploaded = e.BytesUploaded ?? 0;
                    await services.Store.SetProgressAsync(recording.Id, e.VideoFramesDropped ?? 0, e.BytesUploaded ?? 0, CancellationToken.None).ConfigureAwait(false);
                    services.Metrics.Progress(recording.Id, e.VideoFramesDropped ?? 0, e.BytesUploaded ?? 0, e.UploadRetries ?? 0, e.PartsInFlight ?? 0);
                    break;
                case RecordingEvent.Completed:
                    if (e.VideoFramesDropped is { } dropped)
                        await services.Store.SetProgressAsync(recording.Id, dropped, _bytesUploaded, CancellationToken.None).ConfigureAwait(false);
                    if (handingOver) break;
                    if (Captured) await EndAsync(RecordingState.Completed, stopReason ?? e.Reason, null).ConfigureAwait(false);
                    else await EndAsync(RecordingState.Failed, stopReason ?? e.Reason, $"the recording ended before its first frame was captured ({stopReason ?? e.Reason})").ConfigureAwait(false);
                    break;
                case RecordingEvent.Failed:
                    await EndAsync(RecordingState.Failed, stopReason, e.Error ?? "the recording process failed without saying why").ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "recording {RecordingId}: could not apply its {Event} event", recording.Id, e.Event);
        }
    }

    /// <summary>Ends the recording once: state, metrics, the recording.completed or recording.failed webhook.</summary>
    public async Task EndAsync(RecordingState state, string? reason, string? error)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1) return;
        var settled = await SettleBytesAsync().ConfigureAwait(false);
        var changed = await services.Store.SetStateAsync(recording.Id, state, services.Clock.GetUtcNow(), reason, error, CancellationToken.None, epoch)
            .ConfigureAwait(false);
        services.Metrics.RecordingEnded(recording.Id, state.Name());
        if (!changed) return;
        await AuditAsync(AuditEventTypes.RecordingEnded, services.Clock.GetUtcNow(), detail: state.Name()).ConfigureAwait(false);
        if (state == RecordingState.Failed) logger.LogWarning("recording {RecordingId} failed: {Error}", recording.Id, error);
        else logger.LogInformation("recording {RecordingId} completed: {Reason}", recording.Id, reason);
        _state = state;
        // Its segments and dropped frames are as read before the state changed (the state change alters neither).
        var current = settled ?? await services.Store.GetRecordingAsync(recording.Id, CancellationToken.None).ConfigureAwait(false);
        await PublishAsync(state == RecordingState.Completed ? WebhookEvents.RecordingCompleted : WebhookEvents.RecordingFailed, state,
            segments: current?.Segments.Select(Views.Of).ToArray(), videoFramesDropped: current?.VideoFramesDropped, endReason: reason, error: error)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// An ended recording's size is what its stored segments hold: the progress figure counts one run's uploads only
    /// (a take-over starts again from 0, and a short run may end before its first report). Returns the recording as
    /// read, or null when it could not be.
    /// </summary>
    private async Task<RecordingRecord?> SettleBytesAsync()
    {
        try
        {
            var stored = await services.Store.GetRecordingAsync(recording.Id, CancellationToken.None).ConfigureAwait(false);
            if (stored is null || stored.Segments.Count == 0) return stored;
            var bytes = stored.Segments.Sum(s => s.Bytes);
            if (bytes != stored.BytesUploaded)
                await services.Store.SetProgressAsync(recording.Id, stored.VideoFramesDropped, bytes, CancellationToken.None).ConfigureAwait(false);
            return stored;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("recording {RecordingId}: could not store its final size: {Message}", recording.Id, e.Message);
            return null;
        }
    }

    /// <summary>The audit log's record of this recording (ids, the segment's object and hash; never the meeting URI).</summary>
    private Task AuditAsync(string type, DateTimeOffset time, SegmentRecord? segment = null, string? detail = null) =>
        services.Audit.RecordAsync(new AuditEvent
        {
            Type = type,
            Time = time,
            HostId = recording.HostId,
            RecordingId = recording.Id,
            Segment = segment?.Number,
            Object = segment is null ? null : ObjectKey(segment.Uri),
            Bytes = segment?.Bytes,
            Sha256 = segment?.Sha256,
            Detail = detail,
            LeaseEpoch = epoch,
        });

    private static string ObjectKey(string uri) => uri.StartsWith("s3://", StringComparison.Ordinal) && uri.IndexOf('/', 5) is > 0 and var slash ? uri[(slash + 1)..] : uri;

    private Task PublishAsync(string type, RecordingState? state, SegmentView? segment = null, IReadOnlyList<SegmentView>? segments = null,
        long? videoFramesDropped = null, string? endReason = null, string? error = null)
    {
        var data = new WebhookData(recording.Id, recording.HostId, (state ?? _state).Name(), _manifest, segment, segments, videoFramesDropped, endReason, error);
        return services.Webhooks.PublishAsync(recording.HostId, type, data, CancellationToken.None);
    }
}
