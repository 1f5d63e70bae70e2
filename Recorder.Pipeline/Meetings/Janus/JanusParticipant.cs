using Recorder.Pipeline.Media;

namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>
/// A VideoRoom publisher as the mixer sees it: its forwarded audio and video
/// streams, decoded into an audio ring and a picture queue on the recording
/// clock. Reads are lock-free (audio) or take a lock for a few reference
/// moves (video), and never wait on the network.
/// </summary>
internal sealed class JanusParticipant : Participant, IAsyncDisposable
{
    private const int AudioJitterSlots = 64;
    private const int VideoJitterSlots = 1024;
    private static readonly TimeSpan MaxReorderWait = TimeSpan.FromMilliseconds(80);
    private readonly AudioRing _audio = new();
    private readonly VideoFrameQueue _video = new();
    private readonly JanusMeetingOptions _options;
    private readonly RecordingClock _clock;
    private AudioTrack? _audioTrack;
    private VideoTrack? _videoTrack;

    public JanusParticipant(JanusPublisher publisher, JanusMeetingOptions options, RecordingClock clock)
        : base($"janus-{publisher.Id}", publisher.Display)
    {
        PublisherId = publisher.Id;
        Publisher = publisher;
        _options = options;
        _clock = clock;
    }

    public string PublisherId { get; }
    public JanusPublisher Publisher { get; set; }
    public ForwardedStream? AudioStream { get; private set; }
    public ForwardedStream? VideoStream { get; private set; }

    public IEnumerable<ForwardedStream> Streams => new[] { AudioStream, VideoStream }.OfType<ForwardedStream>();

    /// <summary>Creates the receiving side of the publisher's recordable streams that have none yet; returns them (to be forwarded).</summary>
    public List<ForwardedStream> OpenStreams()
    {
        var opened = new List<ForwardedStream>(2);
        if (AudioStream is null && Publisher.Recordable("audio") is { } audio)
        {
            _audioTrack = new AudioTrack(_audio, _options.PlayoutDelay);
            AudioStream = new ForwardedStream("audio", audio.Mid, _audioTrack, _clock, AudioJitterSlots, MaxReorderWait);
            opened.Add(AudioStream);
        }
        if (VideoStream is null && Publisher.Recordable("video") is { } video)
        {
            _videoTrack = new VideoTrack(_video, _options.PlayoutDelay, _options.FfmpegPath);
            VideoStream = new ForwardedStream("video", video.Mid, _videoTrack, _clock, VideoJitterSlots, MaxReorderWait);
            opened.Add(VideoStream);
        }
        return opened;
    }

    /// <summary>Streams the publisher no longer sends (unpublished or disabled): stop their forwarders, then <see cref="CloseAsync"/> them.</summary>
    public List<ForwardedStream> DroppedStreams()
    {
        var dropped = new List<ForwardedStream>(2);
        if (AudioStream is { } a && Publisher.Recordable("audio")?.Mid != a.Mid) dropped.Add(a);
        if (VideoStream is { } v && Publisher.Recordable("video")?.Mid != v.Mid) dropped.Add(v);
        return dropped;
    }

    /// <summary>Closes one stream and its decoding; the participant stays (e.g. audio-only from now on).</summary>
    public async Task CloseAsync(ForwardedStream stream)
    {
        await stream.DisposeAsync().ConfigureAwait(false);
        if (stream == AudioStream)
        {
            AudioStream = null;
            _audioTrack?.Dispose();
            _audioTrack = null;
        }
        else if (stream == VideoStream)
        {
            VideoStream = null;
            if (_videoTrack is not null) await _videoTrack.DisposeAsync().ConfigureAwait(false);
            _videoTrack = null;
            _video.Clear();
        }
    }

    public override bool ReadAudio(TimeSpan at, Span<short> samples) => _audio.Read(AudioTrack.Position(at), samples);

    public override I420Frame? ReadVideo(TimeSpan at) => _video.Read(at);

    public void Pump()
    {
        AudioStream?.Pump();
        VideoStream?.Pump();
    }

    public string Statistics()
    {
        var parts = new List<string>();
        if (AudioStream is { } a && _audioTrack is { } at)
            parts.Add($"audio: {at.PacketsDecoded} packets decoded, {at.SamplesConcealed} samples concealed, {a.PacketsLost} lost, {a.PacketsRejected} rejected");
        if (VideoStream is { } v && _videoTrack is { } vt)
            parts.Add($"video: {vt.FramesDecoded} frames decoded, {v.PacketsLost} packets lost, {v.PacketsRejected} rejected, {vt.KeyframeRequests} keyframe requests");
        return $"{this}: {string.Join("; ", parts)}";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in Streams.ToList()) await CloseAsync(s).ConfigureAwait(false);
    }
}
