using System.Buffers.Binary;

namespace Recorder.Pipeline.Rtp;

/// <summary>The RTCP a silent receiver sends: keyframe requests (RFC 4585).</summary>
public static class Rtcp
{
    public const byte PayloadSpecificFeedback = 206;

    /// <summary>A Picture Loss Indication (RFC 4585 §6.3.1) for <paramref name="mediaSsrc"/>; 12 bytes.</summary>
    public static int WritePictureLossIndication(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        destination[0] = 0x80 | 1; // V=2, FMT=1 (PLI)
        destination[1] = PayloadSpecificFeedback;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 2); // length in 32-bit words minus one
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
        return 12;
    }
}
