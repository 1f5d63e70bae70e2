using System.Diagnostics;
using Recorder.Pipeline.Media;
using Recorder.Pipeline.Rtp;

namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>
/// A publisher's VP8 video on its way to the compositor: frames reassembled,
/// only clean ones decoded (from a keyframe on; after a loss, from the next
/// keyframe, asked for with a PLI at most twice a second), and the pictures
/// queued for their time on the recording clock plus the playout delay. The
/// ffmpeg decoder starts at the first keyframe and restarts when the picture
/// size changes or it died.
/// </summary>
internal sealed class VideoTrack(VideoFrameQueue pictures, TimeSpan playoutDelay, string ffmpegPath) : IRtpSink, IAsyncDisposable
{
    private static readonly long KeyframeRequestInterval = Stopwatch.Frequency / 2;
    private readonly Vp8Depacketizer _depacketizer = new();
    private readonly RtpTimeline _timeline = new(90_000);
    private readonly List<Task> _retiring = [];
    private Vp8Decoder? _decoder;
    private long _lastKeyframeRequest;
    private bool _decoderRefused;

    public long KeyframeRequests { get; private set; }
    public long FramesReassembled => _depacketizer.FramesReleased;
    public long FramesDiscarded => _depacketizer.FramesDiscarded;
    public long FramesDecoded => _decoder?.FramesDecoded ?? 0;
    public long DecoderStarts { get; private set; }
    public string? LastDecoderError { get; private set; }

    public void OnPacket(in RtpPacket header, ReadOnlySpan<byte> payload, int lostBefore, TimeSpan arrival)
    {
        var due = _timeline.Map(header.Timestamp, arrival) + playoutDelay;
        if (!_depacketizer.Push(header, payload, lostBefore, out var frame)) return;
        if (frame.IsKeyframe && (_decoder is null || _decoder.HasExited || _decoderRefused
            || _decoder.Width != (frame.Width & ~1) || _decoder.Height != (frame.Height & ~1)))
        {
            RestartDecoder(frame.Width, frame.Height);
        }
        if (_decoder is null) return;
        _decoderRefused = !_decoder.TryDecode(frame, due);
        if (_decoderRefused) _depacketizer.Reset();
    }

    public void OnRestart()
    {
        _timeline.Reset();
        _depacketizer.Reset();
    }

    public void OnIdle(ForwardedStream stream)
    {
        if (!_depacketizer.NeedsKeyframe && !_decoderRefused) return;
        var now = Stopwatch.GetTimestamp();
        if (now - _lastKeyframeRequest < KeyframeRequestInterval) return;
        _lastKeyframeRequest = now;
        KeyframeRequests++;
        stream.RequestKeyframe();
    }

    private void RestartDecoder(int width, int height)
    {
        if (_decoder is not null)
        {
            if (_decoder.HasExited) LastDecoderError = _decoder.StderrTail;
            _retiring.Add(_decoder.DisposeAsync().AsTask());
            _decoder = null;
        }
        _decoderRefused = false;
        if (width < 2 || height < 2) return;
        try
        {
            _decoder = Vp8Decoder.Start(width, height, pictures, ffmpegPath);
            DecoderStarts++;
        }
        catch (Recorder.Pipeline.Encoder.FfmpegException ex)
        {
            // No decoder, no picture: the tile shows the name only, and the next keyframe tries again.
            LastDecoderError = ex.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_decoder is not null) _retiring.Add(_decoder.DisposeAsync().AsTask());
        _decoder = null;
        await Task.WhenAll(_retiring).ConfigureAwait(false);
    }
}
