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
        _log.LogInformation("segment {Segment} complete: {Location}, {Bytes} bytes, {Duration:0.0} s", segment.Number, segment.Location, segment.Bytes, segment.DurationSeconds);
        await _manifestGate.WaitAsync(abort).ConfigureAwait(false);
        try
        {
            _segments.Add(segment);
            _segments.Sort((a, b) => a.Number.CompareTo(b.Number));
        }
        finally
        {
            _manifestGate.Release();
        }
        await PublishAsync("recording", null, null, abort).ConfigureAwait(false);
        _events.Emit(RecordingEvent.ForSegment(segment));
    }

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
                Segments = _segments.ToArray(),
                Stats = stats is null ? null : new ManifestStats(stats.VideoFrames, stats.VideoFramesDropped, stats.AudioBlocks, stats.AudioBlocksDropped, _restarts),
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
