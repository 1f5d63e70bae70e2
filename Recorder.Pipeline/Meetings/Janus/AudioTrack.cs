using Concentus;
using Recorder.Pipeline.Media;
using Recorder.Pipeline.Rtp;

namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>
/// A publisher's Opus audio on its way to the mixer: each packet decoded to
/// 48 kHz mono (Opus downmixes stereo itself), gaps of up to 100 ms filled
/// by Opus's loss concealment, and the samples placed in the participant's
/// ring at the packet's time on the recording clock plus the playout delay.
/// Consecutive packets are written back to back as long as their mapped
/// times stay within 30 ms of that (arrival jitter moves the mapping by a few
/// milliseconds, which would otherwise click); beyond it the audio re-syncs.
/// </summary>
internal sealed class AudioTrack(AudioRing ring, TimeSpan playoutDelay) : IRtpSink, IDisposable
{
    private const int MaxConcealSamples = 4800;
    private const long ResyncSamples = 1440;
    private readonly IOpusDecoder _decoder = OpusCodecFactory.CreateDecoder(OpusRtp.ClockRate, 1);
    private readonly short[] _pcm = new short[5760];
    private readonly RtpTimeline _timeline = new(OpusRtp.ClockRate);
    private uint? _expected;
    private long? _nextPosition;

    public long PacketsDecoded { get; private set; }
    public long PacketsUndecodable { get; private set; }
    public long SamplesConcealed { get; private set; }

    public void OnPacket(in RtpPacket header, ReadOnlySpan<byte> payload, int lostBefore, TimeSpan arrival)
    {
        var due = _timeline.Map(header.Timestamp, arrival) + playoutDelay;
        var samples = OpusRtp.SamplesPerPacket(payload);
        if (samples <= 0)
        {
            PacketsUndecodable++;
            return;
        }
        if (_expected is { } expected)
        {
            var gap = unchecked((int)(header.Timestamp - expected));
            if (gap > 0 && gap <= MaxConcealSamples) Conceal(gap / 480 * 480, due - Duration(gap));
            else if (gap != 0) _decoder.ResetState();
        }
        int decoded;
        try
        {
            decoded = _decoder.Decode(payload, _pcm, _pcm.Length);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            // A corrupt packet: Concentus reports it by throwing; skip it like a lost one.
            PacketsUndecodable++;
            _decoder.ResetState();
            _expected = null;
            _nextPosition = null;
            return;
        }
        PacketsDecoded++;
        Write(Position(due), decoded);
        _expected = unchecked(header.Timestamp + (uint)decoded);
    }

    public void OnRestart()
    {
        _timeline.Reset();
        _decoder.ResetState();
        _expected = null;
        _nextPosition = null;
    }

    public void OnIdle(ForwardedStream stream)
    {
    }

    public void Dispose()
    {
        // The decoder holds no unmanaged state when managed; nothing else to release.
        (_decoder as IDisposable)?.Dispose();
    }

    private void Conceal(int samples, TimeSpan at)
    {
        if (samples <= 0) return;
        var concealed = _decoder.Decode(ReadOnlySpan<byte>.Empty, _pcm, samples);
        SamplesConcealed += concealed;
        Write(Position(at), concealed);
    }

    private void Write(long position, int samples)
    {
        if (_nextPosition is { } next && Math.Abs(position - next) < ResyncSamples) position = next;
        ring.Write(position, _pcm.AsSpan(0, samples));
        _nextPosition = position + samples;
    }

    private static TimeSpan Duration(int samples) => TimeSpan.FromTicks(samples * TimeSpan.TicksPerSecond / OpusRtp.ClockRate);

    public static long Position(TimeSpan at) => at.Ticks * OpusRtp.ClockRate / TimeSpan.TicksPerSecond;
}
