using Recorder.Pipeline.Rtp;

namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>Where a forwarded stream delivers its packets, decrypted and in order (called under the stream's lock, one at a time).</summary>
internal interface IRtpSink
{
    /// <summary>One packet; <paramref name="lostBefore"/> counts packets given up on just before it; <paramref name="arrival"/> is on the recording clock.</summary>
    void OnPacket(in RtpPacket header, ReadOnlySpan<byte> payload, int lostBefore, TimeSpan arrival);

    /// <summary>The sender restarted or the forwarder was replaced: sequence and timing start over.</summary>
    void OnRestart();

    /// <summary>Called every few milliseconds with no packet; lets the sink ask for a keyframe through <paramref name="stream"/>.</summary>
    void OnIdle(ForwardedStream stream);
}
