using System.Buffers.Binary;

namespace Recorder.Pipeline.Rtp;

/// <summary>
/// The fixed RTP header (RFC 3550 §5.1) of a packet in a buffer, with the
/// offsets of its payload after CSRCs, the header extension and padding.
/// </summary>
public readonly record struct RtpPacket(
    bool Marker, byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc, int HeaderLength, int PayloadLength)
{
    public const int FixedHeaderLength = 12;

    /// <summary>Parses the header; false when the buffer is not an RTP v2 packet or its lengths do not add up.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpPacket parsed)
    {
        parsed = default;
        if (packet.Length < FixedHeaderLength || packet[0] >> 6 != 2) return false;
        var hasPadding = (packet[0] & 0x20) != 0;
        var hasExtension = (packet[0] & 0x10) != 0;
        var csrcCount = packet[0] & 0x0F;
        var header = FixedHeaderLength + 4 * csrcCount;
        if (hasExtension)
        {
            if (packet.Length < header + 4) return false;
            header += 4 + 4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(header + 2)..]);
        }
        var end = packet.Length;
        if (hasPadding)
        {
            if (end <= header) return false;
            end -= packet[^1];
        }
        if (end < header) return false;
        parsed = new RtpPacket(
            (packet[1] & 0x80) != 0,
            (byte)(packet[1] & 0x7F),
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            header,
            end - header);
        return true;
    }

    /// <summary>True for what RFC 5761 demultiplexing calls RTCP: payload types 64–95 with the marker bit (RTCP packet types 192–223).</summary>
    public static bool LooksLikeRtcp(ReadOnlySpan<byte> packet) => packet.Length >= 2 && packet[1] >= 192 && packet[1] <= 223;

    /// <summary>Writes a 12-byte header (no CSRCs, no extension); for tests and keyframe requests.</summary>
    public static void WriteHeader(Span<byte> destination, bool marker, byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc)
    {
        destination[0] = 0x80;
        destination[1] = (byte)((marker ? 0x80 : 0) | (payloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ssrc);
    }
}
