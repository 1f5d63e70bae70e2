using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Recorder.Pipeline.Events;
using Recorder.Pipeline.Meetings;

namespace Recorder.Pipeline;

/// <summary>
/// Records one meeting: source → live edge (mixer, compositor) → ffmpeg →
/// segment writer (encrypt, upload) → manifest. Wires the stages and owns
/// shutdown.
///
/// Memory is bounded by configuration, not by the recording's length: the
/// packet pools (<see cref="RecordingOptions.RawMediaBoundBytes"/>), ffmpeg's
/// own buffers, and the segment writer's budget. A new segment starts when the
/// encoder dies (up to <see cref="RecordingOptions.MaxEncoderRestarts"/> times)
/// or the segment reaches <see cref="RecordingOptions.MaxSegmentDuration"/>;
/// the old one is finished while the new one already takes media.
///
/// <paramref name="stop"/> in <see cref="RunAsync"/> ends the recording cleanly
/// (the current segment is completed); <c>abort</c> kills the encoder and
/// abandons the open segment.
///
/// <paramref name="events"/> hears what happens as it happens (the lines of
/// <c>record --events</c>, see <see cref="RecordingEvent"/>): state joining,
/// recording (at the first frame), finalizing, and each segment stored. It is
/// called one event at a time, on the pipeline's threads (once on the live
/// edge's clock thread), and must return at once.
/// </summary>
public sealed partial class RecordingPipeline(MeetingSource source, IRecordingOutput output, RecordingOptions options, ILogger? logger = null,
    Action<RecordingEvent>? events = null)
{
    private readonly ILogger _log = logger ?? NullLogger.Instance;
    private readonly RecordingEventEmitter _events = new(events, logger ?? NullLogger.Instance);
    private readonly SegmentUploads _uploads = new();
    private readonly List<ManifestSegment> _segments = [];
    private readonly SemaphoreSlim _manifestGate = new(1, 1);
    private readonly DateTimeOffset _startedAt = options.Continuation?.Manifest?.StartedAt ?? DateTimeOffset.UtcNow;
    private DateTimeOffset? _firstFrameAt = options.Continuation?.Manifest?.FirstFrameAt;
    /// <summary>Media seconds of the recording at this run's media time 0 (a take-over starts later than the first run).</summary>
    private double _mediaOffset;
    private LiveEdge? _edge;
    private int _restarts;
    private volatile int _currentSegment;

    public LiveEdgeStats? Stats => _edge?.Stats;

    /// <summary>Media time recorded so far, the segment being written, what was dropped and uploaded (for progress reports).</summary>
    public RecordingProgress Progress
    {
        get
        {
            var (uploaded, inFlight, retries) = _uploads.Totals();
            var stats = _edge?.Stats;
            return new(_edge?.Position ?? TimeSpan.Zero, _currentSegment, _segments.Count, stats?.VideoFramesDropped ?? 0, _restarts,
                stats?.AudioBlocksDropped ?? 0, uploaded, inFlight, retries) { Participants = stats?.Participants ?? 0 };
        }
    }

    public async Task<RecordingManifest> RunAsync(CancellationToken stop, CancellationToken abort)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the PCM feed assumes a little-endian machine");
        if (options.Continuation is { } continuation)
        {
            // The segments the previous worker listed, announced again: one that worker's process finished after its
            // supervisor died was never reported to the service.
            _segments.AddRange(continuation.Manifest?.Segments ?? []);
            foreach (var segment in _segments) _events.Emit(RecordingEvent.ForSegment(segment));
        }
        if (options.FinishOnly) return await FinishOnlyAsync(abort).ConfigureAwait(false);
        var videoPool = new PacketPool(options.VideoQueueFrames, () => MediaPacket.ForVideo(options.Encoder.Width, options.Encoder.Height));
        var audioPool = new PacketPool(options.AudioQueueBlocks, () => MediaPacket.ForAudio(Media.AudioMixer.BlockSamples));
        var channel = Channel.CreateBounded<MediaPacket>(new BoundedChannelOptions(videoPool.Capacity + audioPool.Capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        _events.Emit(RecordingEvent.ForState(RecordingEvent.StateJoining));
        await source.StartAsync(abort).ConfigureAwait(false);
        var realTime = options.RealTime ?? !source.SupportsVirtualTime;
        _log.LogInformation("recording {RecordingId} of {Meeting} ({Mode})", options.RecordingId, source.Description, realTime ? "real time" : "virtual time");
        await PublishAsync("recording", null, null, abort).ConfigureAwait(false);

        using var edgeStop = CancellationTokenSource.CreateLinkedTokenSource(stop, abort);
        // The feed waits on the channel without a token (a cancellable wait allocates on every
        // packet, for the whole recording); an abort completes the channel with the cancellation instead.
        using var abortFeed = abort.Register(() => channel.Writer.TryComplete(new OperationCanceledException(abort)));
        _edge = new LiveEdge(source, options.LiveEdge, channel.Writer, videoPool, audioPool, FirstFrame);
        var finishing = new List<Task>();
        var edgeTask = Task.CompletedTask;
        SegmentRun? current = null;
        // A take-over completes what the dead worker left while this run records.
        var recovering = RecoverOrphansAsync(abort);
        finishing.Add(recovering);
        using var checkpoints = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var checkpointing = Task.CompletedTask;
        try
        {
            // The first segment's upload and encoder are ready before the clock starts, so nothing is dropped at the start.
            var first = options.Continuation?.NextSegment ?? 1;
            current = await StartSegmentAsync(first, abort).ConfigureAwait(false);
            _currentSegment = first;
            checkpointing = CheckpointManifestAsync(checkpoints.Token);
            edgeTask = _edge.RunAsync(realTime, edgeStop.Token);
            MediaPacket? carry = null;
            while (true)
            {
                var (end, pending) = await FeedAsync(current, channel.Reader, carry, videoPool, audioPool, abort).ConfigureAwait(false);
                carry = pending;
                if (end == FeedEnd.EndOfInput) break;

                var reason = end == FeedEnd.SegmentLimit ? "segment length limit reached" : "the encoder stopped";
                if (end == FeedEnd.EncoderBroken)
                {
                    await current.Pump.ConfigureAwait(false); // a failure of the writer is fatal, not a restart
                    if (++_restarts > options.MaxEncoderRestarts)
                    {
                        var failed = current;
                        current = null;
                        await FinishAsync(failed, reason, abort).ConfigureAwait(false);
                        throw new InvalidOperationException(
                            $"the encoder failed {_restarts} times; giving up: {failed.EncoderError?.Message ?? "its input broke"}");
                    }
                }
                _log.LogWarning("segment {Segment}: {Reason}; continuing in segment {Next}", current.Number, reason, current.Number + 1);
                var next = await StartSegmentAsync(current.Number + 1, abort).ConfigureAwait(false);
                finishing.Add(FinishAsync(current, reason, abort));
                current = next;
                _currentSegment = next.Number;
            }

            await edgeTask.ConfigureAwait(false);
            var endReason = _edge.EndReason ?? "the recording ended";
            _events.Emit(RecordingEvent.ForState(RecordingEvent.StateFinalizing, endReason));
            var finalRun = current;
            current = null;
            finishing.Add(FinishAsync(finalRun, endReason, abort));
            await Task.WhenAll(finishing).ConfigureAwait(false);
            await checkpoints.CancelAsync().ConfigureAwait(false);
            await checkpointing.ConfigureAwait(false);
            return await PublishAsync("completed", _edge.EndReason, null, abort).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await edgeStop.CancelAsync().ConfigureAwait(false);
            await checkpoints.CancelAsync().ConfigureAwait(false);
            await checkpointing.ConfigureAwait(false);
            if (current is not null)
            {
                await current.AbortAsync().ConfigureAwait(false);
                _uploads.Finished(current);
            }
            await Task.WhenAll(finishing.Append(edgeTask).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            _log.LogError(ex, "recording {RecordingId} failed", options.RecordingId);
            if (!abort.IsCancellationRequested)
            {
                try
                {
                    await PublishAsync("failed", null, ex.Message, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception publishError)
                {
                    _log.LogError(publishError, "could not record the failure in the manifest");
                }
            }
            throw;
        }
    }

    private enum FeedEnd
    {
        EndOfInput,
        SegmentLimit,
        EncoderBroken,
    }

    /// <summary>
    /// Moves packets from the live edge into the segment's encoder. Returns at
    /// the end of input, at the segment limit (handing back the first packet of
    /// the next segment), or when the encoder's input broke.
    /// </summary>
    private async Task<(FeedEnd, MediaPacket?)> FeedAsync(SegmentRun run, ChannelReader<MediaPacket> reader, MediaPacket? carry,
        PacketPool videoPool, PacketPool audioPool, CancellationToken abort)
    {
        while (true)
        {
            var packet = carry;
            carry = null;
            if (packet is null)
            {
                if (!reader.TryRead(out packet))
                {
                    if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                    {
                        abort.ThrowIfCancellationRequested();
                        return (FeedEnd.EndOfInput, null);
                    }
                    continue;
                }
            }

            run.MediaStart ??= packet.Timestamp;
            if (packet.Timestamp - run.MediaStart.Value >= options.MaxSegmentDuration) return (FeedEnd.SegmentLimit, packet);
            try
            {
                if (!run.HeaderWritten)
                {
                    await run.Encoder.Input.WriteAsync(run.Feed.BuildHeader(), abort).ConfigureAwait(false);
                    run.HeaderWritten = true;
                }
                await run.Feed.WriteBlockAsync(run.Encoder.Input, packet.Track, packet.Timestamp - run.MediaStart.Value, packet.Payload, abort)
                    .ConfigureAwait(false);
                run.MediaEnd = packet.Timestamp;
            }
            catch (IOException ex)
            {
                _log.LogWarning("segment {Segment}: the encoder's input broke: {Message}", run.Number, ex.Message);
                return (FeedEnd.EncoderBroken, null);
            }
            finally
            {
                (packet.Video is not null ? videoPool : audioPool).Return(packet);
            }
        }
    }
}
