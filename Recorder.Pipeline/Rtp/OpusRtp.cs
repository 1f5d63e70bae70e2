namespace Recorder.Pipeline.Rtp;

/// <summary>
/// Opus over RTP (RFC 7587): one Opus packet per RTP payload, 48 kHz RTP
/// clock whatever the coded bandwidth. What a packet holds is read from its
/// TOC byte (RFC 6716 §3.1).
/// </summary>
public static class OpusRtp
{
    public const int ClockRate = 48_000;

    /// <summary>Samples per channel at 48 kHz in one Opus packet, or −1 when the packet is malformed.</summary>
    public static int SamplesPerPacket(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty) return -1;
        var toc = packet[0];
        var frames = (toc & 0x03) switch
        {
            0 => 1,
            1 or 2 => 2,
            _ => packet.Length >= 2 ? packet[1] & 0x3F : -1,
        };
        if (frames <= 0) return -1;
        var samples = frames * SamplesPerFrame(toc >> 3);
        // A packet never holds more than 120 ms.
        return samples > 5760 ? -1 : samples;
    }

    /// <summary>Frame length at 48 kHz for a TOC configuration number (0–31).</summary>
    public static int SamplesPerFrame(int config) => config switch
    {
        < 12 => (config & 0x03) switch { 0 => 480, 1 => 960, 2 => 1920, _ => 2880 }, // SILK: 10, 20, 40, 60 ms
        < 16 => (config & 0x01) == 0 ? 480 : 960,                                   // Hybrid: 10, 20 ms
        _ => (config & 0x03) switch { 0 => 120, 1 => 240, 2 => 480, _ => 960 },      // CELT: 2.5, 5, 10, 20 ms
    };
}
