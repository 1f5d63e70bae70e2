using Concentus;
using Recorder.Service.Media;
using Recorder.Service.Rtp;

namespace Recorder.Service.Meetings.Janus;

/// <summary>
/// A publisher's Opus audio on its way to the mixer: each packet decoded to
/// 48 kHz mono (Opus downmixes stereo itself), gaps of up to 100 ms filled
/// by Opus's loss concealment, and the samples placed in the participant's
/// ring at the packet's time on the recording clock plus the playout delay.
/// </summary>
internal sealed class AudioTrack(AudioRing ring, TimeSpan playoutDelay) : IRtpSink, IDisposable
{
    private const int MaxConcealSamples = 4800;
    private readonly IOpusDecoder _decoder = OpusCodecFactory.CreateDecoder(OpusRtp.ClockRate, 1);
    private readonly short[] _pcm = new short[5760];
    private readonly RtpTimeline _timeline = new(OpusRtp.ClockRate);
    private uint? _expected;

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
            return;
        }
        PacketsDecoded++;
        ring.Write(Position(due), _pcm.AsSpan(0, decoded));
        _expected = unchecked(header.Timestamp + (uint)decoded);
    }

    public void OnRestart()
    {
        _timeline.Reset();
        _decoder.ResetState();
        _expected = null;
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
        ring.Write(Position(at), _pcm.AsSpan(0, concealed));
    }

    private static TimeSpan Duration(int samples) => TimeSpan.FromTicks(samples * TimeSpan.TicksPerSecond / OpusRtp.ClockRate);

    public static long Position(TimeSpan at) => at.Ticks * OpusRtp.ClockRate / TimeSpan.TicksPerSecond;
}
