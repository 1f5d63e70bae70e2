using Microsoft.Extensions.Logging;
using Recorder.Pipeline.Events;

namespace Recorder.Pipeline;

// Segments: starting one, finishing one (its event and the manifest that lists it), publishing the manifest.
public sealed partial class RecordingPipeline
{
    private async Task<SegmentRun> StartSegmentAsync(int number, CancellationToken abort)
    {
        var run = await SegmentRun.StartAsync(number, options, output, abort).ConfigureAwait(false);
        _uploads.Opened(run);
        return run;
    }

    private async Task FinishAsync(SegmentRun run, string reason, CancellationToken abort)
    {
        var frame = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / options.Encoder.FrameRate);
        ManifestSegment? segment;
        try
        {
            segment = await run.FinishAsync(reason, frame, output.RecipientFingerprints, abort).ConfigureAwait(false);
        }
        finally
        {
            _uploads.Finished(run);
        }
        if (segment is null)
        {
            _log.LogWarning("segment {Segment} produced no media; no object was kept ({Reason})", run.Number, reason);
            return;
        }
        segment = segment with { MediaStartSeconds = Math.Round(_mediaOffset + segment.MediaStartSeconds, 3) };
        _log.LogInformation("segment {Segment} complete: {Location}, {Bytes} bytes, {Duration:0.0} s", segment.Number, segment.Location, segment.Bytes, segment.DurationSeconds);
        await AddSegmentsAsync([segment], abort).ConfigureAwait(false);
    }

    private async Task AddSegmentsAsync(IReadOnlyList<ManifestSegment> segments, CancellationToken abort)
    {
        if (segments.Count == 0) return;
        await _manifestGate.WaitAsync(abort).ConfigureAwait(false);
        try
        {
            _segments.RemoveAll(s => segments.Any(n => n.Number == s.Number));
            _segments.AddRange(segments);
            _segments.Sort((a, b) => a.Number.CompareTo(b.Number));
        }
        finally
        {
            _manifestGate.Release();
        }
        await PublishAsync("recording", null, null, abort).ConfigureAwait(false);
        foreach (var segment in segments) _events.Emit(RecordingEvent.ForSegment(segment));
    }

    /// <summary>The live edge handed on its first frame; <paramref name="mediaZeroAt"/> is media time 0 of this run.</summary>
    private void FirstFrame(DateTimeOffset mediaZeroAt)
    {
        // A take-over's media time continues the recording's: seconds since the first run's media time 0.
        if (_firstFrameAt is { } first) _mediaOffset = Math.Max(0, (mediaZeroAt - first).TotalSeconds);
        else _firstFrameAt = mediaZeroAt;
        // Stamped with the capture clock's start, not with when the first frame got through: media times in the
        // segments and the manifest count from there, and so does the meeting's own end.
        _events.Emit(RecordingEvent.ForState(RecordingEvent.StateRecording) with { Time = mediaZeroAt });
    }

    /// <summary>A take-over's recovery of what the dead worker left; a failure is logged, not fatal (the upload stays for a later take-over or an audit).</summary>
    private async Task RecoverOrphansAsync(CancellationToken abort)
    {
        if (options.Continuation is not { OrphanNumbers.Count: > 0 } continuation) return;
        try
        {
            var recovered = await continuation.RecoverAsync(output.RecipientFingerprints, _log, abort).ConfigureAwait(false);
            await AddSegmentsAsync(recovered, abort).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogError(e, "could not complete the segments the previous worker left ({Segments})", string.Join(", ", continuation.OrphanNumbers));
        }
    }

    /// <summary>Every few seconds the manifest with the open segments' start and fragment index (what a take-over needs of a segment cut short).</summary>
    private async Task CheckpointManifestAsync(CancellationToken cancellationToken)
    {
        if (options.ManifestCheckpointInterval is not { } interval) return;
        try
        {
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await PublishAsync("recording", null, null, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log.LogWarning("could not store a manifest checkpoint: {Message}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The recording ended.
        }
    }

    /// <summary>A take-over with nothing left to record (the time is up, or a stop was asked for): complete what was left, close the manifest.</summary>
    private async Task<RecordingManifest> FinishOnlyAsync(CancellationToken abort)
    {
        _log.LogInformation("recording {RecordingId}: completing what the previous worker left; nothing more is recorded", options.RecordingId);
        await RecoverOrphansAsync(abort).ConfigureAwait(false);
        const string reason = "its worker stopped and the recording had nothing left to record; completed by a take-over";
        _events.Emit(RecordingEvent.ForState(RecordingEvent.StateFinalizing, reason));
        return await PublishAsync("completed", reason, null, abort).ConfigureAwait(false);
    }

    /// <summary>
    /// This run's open segments, and those the previous worker left that are not completed yet: should this
    /// run die too, the next take-over still finds their times.
    /// </summary>
    private ManifestOpenSegment[] OpenSegments()
    {
        var own = _uploads.Open().Select(r => r.Snapshot(_mediaOffset)).OfType<ManifestOpenSegment>();
        var left = (options.Continuation?.Manifest?.OpenSegments ?? []).Where(o => _segments.All(s => s.Number != o.Number));
        return left.Concat(own).OrderBy(o => o.Number).ToArray();
    }

    /// <summary>Each segment with the media seconds missing since the one before (0 when one follows the other, as at a segment limit).</summary>
    private static ManifestSegment[] WithGaps(List<ManifestSegment> segments) =>
        segments.Select((s, i) => i == 0
            ? s with { GapBeforeSeconds = null }
            : s with { GapBeforeSeconds = Math.Max(0, Math.Round(s.MediaStartSeconds - (segments[i - 1].MediaStartSeconds + segments[i - 1].DurationSeconds), 3)) })
            .ToArray();

    private async Task<RecordingManifest> PublishAsync(string state, string? endReason, string? error, CancellationToken cancellationToken)
    {
        await _manifestGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ended = state is "completed" or "failed";
            var stats = _edge?.Stats;
            var manifest = new RecordingManifest
            {
                RecordingId = options.RecordingId,
                HostId = options.HostId,
                MeetingId = options.MeetingId,
                State = state,
                StartedAt = _startedAt,
                EndedAt = ended ? DateTimeOffset.UtcNow : null,
                EndReason = endReason,
                Error = error,
                Recipients = output.RecipientFingerprints,
                WorkerBuild = WorkerBuild.Description,
                Video = new ManifestVideo(options.Encoder.Width, options.Encoder.Height, options.Encoder.FrameRate,
                    options.Layout.ToString().ToLowerInvariant(), "h264", "aac", "fmp4"),
                Segments = WithGaps(_segments),
                Stats = stats is null ? null : new ManifestStats(stats.VideoFrames, stats.VideoFramesDropped, stats.AudioBlocks, stats.AudioBlocksDropped, _restarts),
                FirstFrameAt = _firstFrameAt,
                LeaseEpoch = options.LeaseEpoch,
                OpenSegments = ended ? null : OpenSegments() is { Length: > 0 } open ? open : null,
            };
            await output.PublishManifestAsync(manifest, cancellationToken).ConfigureAwait(false);
            return manifest;
        }
        finally
        {
            _manifestGate.Release();
        }
    }
}
