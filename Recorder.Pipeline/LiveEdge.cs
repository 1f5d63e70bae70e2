using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Recorder.Pipeline.Media;
using Recorder.Pipeline.Meetings;

namespace Recorder.Pipeline;

/// <summary>
/// The recording clock: every 20 ms it mixes a block of audio and every frame
/// interval it composites a picture of the participants present, and hands
/// them to the encoder stage through a pool of packets.
///
/// In real time the live edge never waits: when the pool is empty (the
/// encoder fell behind) the frame is dropped and counted, and video frames
/// later than <see cref="LiveEdgeOptions.MaxVideoLateness"/> (100 ms) are
/// skipped; a shorter hiccup is caught up. Audio is never
/// skipped for lateness (a pause catches up), only dropped when its pool is
/// exhausted. In virtual time (sources that compute media on demand) it runs
/// as fast as the encoder takes packets, waiting instead of dropping.
/// </summary>
public sealed class LiveEdge
{
    private static readonly TimeSpan AudioBlock = TimeSpan.FromTicks(AudioMixer.BlockSamples * TimeSpan.TicksPerSecond / AudioMixer.SampleRate);
    private readonly MeetingSource _source;
    private readonly LiveEdgeOptions _options;
    private readonly ChannelWriter<MediaPacket> _output;
    private readonly PacketPool _videoPool;
    private readonly PacketPool _audioPool;
    private readonly AudioMixer _mixer = new();
    private readonly VideoCompositor _compositor;
    private readonly ActiveSpeakerDetector _speaker = new();
    private readonly List<Participant> _present = new(16);
    private readonly List<string> _ids = new(16);
    private readonly short[] _pcm = new short[AudioMixer.BlockSamples];
    private float[] _levels = new float[16];
    private Action<DateTimeOffset>? _firstVideoFrame;
    /// <summary>In real time: the wall-clock time of media time 0 (when the clock started).</summary>
    private DateTimeOffset? _mediaZeroAt;

    /// <param name="firstVideoFrame">
    /// Called once, on the clock's thread, right after the first video frame is handed on
    /// (the moment the recording really has a picture), with the wall-clock time of media time 0:
    /// in real time when the clock started, which is earlier by however long the first frame took to be
    /// composed and handed on (longer under load, or when frames are dropped until the encoder takes them);
    /// with virtual time, the moment of the call. It must return at once.
    /// </param>
    public LiveEdge(MeetingSource source, LiveEdgeOptions options, ChannelWriter<MediaPacket> output, PacketPool videoPool, PacketPool audioPool,
        Action<DateTimeOffset>? firstVideoFrame = null)
    {
        _firstVideoFrame = firstVideoFrame;
        _source = source;
        _options = options;
        _output = output;
        _videoPool = videoPool;
        _audioPool = audioPool;
        _compositor = new VideoCompositor(options.Width, options.Height, options.Layout);
    }

    public LiveEdgeStats Stats { get; } = new();

    /// <summary>Media time reached so far.</summary>
    public TimeSpan Position { get; private set; }

    /// <summary>Why the clock stopped: the meeting ended, the duration was reached, or the recording was stopped.</summary>
    public string? EndReason { get; private set; }

    /// <summary>Runs until the meeting ends, the duration is reached or <paramref name="stop"/> is cancelled (a clean stop), then completes the output.</summary>
    public async Task RunAsync(bool realTime, CancellationToken stop)
    {
        try
        {
            if (realTime)
                await Task.Factory.StartNew(() => RunRealTime(stop), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            else
                await RunVirtualAsync(stop).ConfigureAwait(false);
            _output.TryComplete();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            EndReason ??= "the recording was stopped";
            _output.TryComplete();
        }
        catch (Exception ex)
        {
            _output.TryComplete(ex);
            throw;
        }
    }

    private void RunRealTime(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        _mediaZeroAt = DateTimeOffset.UtcNow;
        long audioIndex = 0, videoIndex = 0;
        var frameTicks = TimeSpan.TicksPerSecond / _options.FrameRate;
        while (!stop.IsCancellationRequested)
        {
            var audioAt = AudioBlock * audioIndex;
            var videoAt = VideoTime(videoIndex);
            var next = audioAt <= videoAt ? audioAt : videoAt;
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                // Sleep, never spin: a packet's timestamp comes from its tick, not from when the
                // thread woke, so waking a little late costs nothing. Rounded up, because
                // Thread.Sleep truncates to whole milliseconds and Sleep(0) would spin.
                Thread.Sleep((int)Math.Ceiling(wait.TotalMilliseconds));
                continue;
            }
            // Once per tick, when it is due (the roster snapshot is not free for live sources).
            if (Ended(next)) return;

            if (audioAt <= videoAt)
            {
                Send(_audioPool, audioAt, isVideo: false);
                audioIndex++;
                continue;
            }

            var late = clock.Elapsed - videoAt;
            if (late > _options.MaxVideoLateness)
            {
                // Too late to catch up: skip to the frame that is due now. Shorter delays
                // (a scheduling hiccup) are caught up, each frame composited for its own time.
                var behind = late.Ticks / frameTicks;
                Stats.VideoDropped(behind);
                videoIndex += behind;
                continue;
            }
            Send(_videoPool, videoAt, isVideo: true);
            videoIndex++;
        }
        EndReason ??= "the recording was stopped";
    }

    private async Task RunVirtualAsync(CancellationToken stop)
    {
        long audioIndex = 0, videoIndex = 0;
        while (!stop.IsCancellationRequested)
        {
            var audioAt = AudioBlock * audioIndex;
            var videoAt = VideoTime(videoIndex);
            var isAudio = audioAt <= videoAt;
            var at = isAudio ? audioAt : videoAt;
            if (Ended(at)) return;

            var pool = isAudio ? _audioPool : _videoPool;
            var packet = await pool.RentAsync(stop).ConfigureAwait(false);
            Fill(packet, at, isAudio);
            await _output.WriteAsync(packet, stop).ConfigureAwait(false);
            if (isAudio)
            {
                audioIndex++;
                continue;
            }
            videoIndex++;
            if (_firstVideoFrame is not null) FirstVideoFrameHandedOn();
        }
        EndReason ??= "the recording was stopped";
    }

    private TimeSpan VideoTime(long index) => TimeSpan.FromTicks(index * TimeSpan.TicksPerSecond / _options.FrameRate);

    private bool Ended(TimeSpan at)
    {
        if (_options.MaxDuration is { } max && at >= max)
        {
            EndReason = $"the requested duration ({max.TotalSeconds:0.###} s) was reached";
            return true;
        }
        _source.Snapshot(at, _present);
        Stats.ParticipantsSeen(_present.Count);
        if (_source.Ended.IsCompletedSuccessfully && at >= _source.Ended.Result.At)
        {
            EndReason = _source.Ended.Result.Reason;
            return true;
        }
        Position = at;
        return false;
    }

    /// <summary>Real time: never waits. An exhausted pool means the encoder is behind: drop and count.</summary>
    private void Send(PacketPool pool, TimeSpan at, bool isVideo)
    {
        if (!pool.TryRent(out var packet))
        {
            if (isVideo) Stats.VideoDropped();
            else Stats.AudioDropped();
            return;
        }
        Fill(packet, at, !isVideo);
        // The channel holds every pooled packet, so this fails only once the output is closed.
        if (!_output.TryWrite(packet))
        {
            pool.Return(packet);
            return;
        }
        if (isVideo && _firstVideoFrame is not null) FirstVideoFrameHandedOn();
    }

    /// <summary>One shot: after the first frame the per-frame cost is the null check above.</summary>
    private void FirstVideoFrameHandedOn()
    {
        var first = _firstVideoFrame;
        _firstVideoFrame = null;
        first?.Invoke(_mediaZeroAt ?? DateTimeOffset.UtcNow);
    }

    private void Fill(MediaPacket packet, TimeSpan at, bool isAudio)
    {
        packet.Timestamp = at;
        if (isAudio)
        {
            MixAudio(at);
            // PCM s16le: the machine is little-endian (checked at start by the pipeline).
            MemoryMarshal.AsBytes(_pcm.AsSpan()).CopyTo(packet.Audio);
            Stats.AudioProduced();
            return;
        }
        _compositor.Compose(_present, ActiveIndex(), at, packet.Video!);
        Stats.VideoProduced();
    }

    /// <summary>Mixes the block at <paramref name="at"/> into the scratch buffer and updates the active speaker.</summary>
    private void MixAudio(TimeSpan at)
    {
        if (_levels.Length < _present.Count) _levels = new float[_present.Count];
        _mixer.Mix(_present, at, _pcm, _levels);
        _ids.Clear();
        foreach (var p in _present) _ids.Add(p.Id);
        _speaker.Update(_ids, _levels);
    }

    private int ActiveIndex()
    {
        var id = _speaker.ActiveSpeakerId;
        if (id is null) return -1;
        for (var i = 0; i < _present.Count; i++)
            if (_present[i].Id == id) return i;
        return -1;
    }
}
