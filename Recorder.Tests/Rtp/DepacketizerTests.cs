using Recorder.Pipeline.Rtp;

namespace Recorder.Tests.Rtp;

/// <summary>Opus TOC reading (RFC 6716/7587) and VP8 frame reassembly (RFC 7741) on constructed packets.</summary>
public sealed class DepacketizerTests
{
    [Theory]
    [InlineData(new byte[] { 31 << 3 }, 960)]                  // CELT FB 20 ms, one frame
    [InlineData(new byte[] { 3 << 3 }, 2880)]                  // SILK NB 60 ms
    [InlineData(new byte[] { 12 << 3 | 1, 0, 0 }, 960)]        // Hybrid 10 ms, two equal frames
    [InlineData(new byte[] { 16 << 3 | 2, 5, 0 }, 240)]        // CELT 2.5 ms, two frames of different size
    [InlineData(new byte[] { 31 << 3 | 3, 3 }, 2880)]          // CELT 20 ms, code 3 with three frames
    [InlineData(new byte[] { 3 << 3 | 3, 3 }, -1)]             // three 60 ms frames: more than 120 ms
    [InlineData(new byte[] { 31 << 3 | 3 }, -1)]               // code 3 without its count byte
    [InlineData(new byte[] { }, -1)]
    public void Opus_packet_durations_come_from_the_toc(byte[] packet, int samples) =>
        Assert.Equal(samples, OpusRtp.SamplesPerPacket(packet));

    [Fact]
    public void A_keyframe_in_three_packets_with_a_long_picture_id_is_reassembled()
    {
        var d = new Vp8Depacketizer();
        var frame = Keyframe(320, 240, 300);
        var packets = Split(frame, 3, pictureId: 0x1234);
        Assert.False(d.Push(Header(1, 9000, false), packets[0], 0, out _));
        Assert.False(d.Push(Header(2, 9000, false), packets[1], 0, out _));
        Assert.True(d.Push(Header(3, 9000, true), packets[2], 0, out var f));
        Assert.True(f.IsKeyframe);
        Assert.Equal((320, 240), (f.Width, f.Height));
        Assert.Equal(9000u, f.Timestamp);
        Assert.Equal(frame, f.Data.ToArray());
        Assert.False(d.NeedsKeyframe);
    }

    [Fact]
    public void After_a_loss_inter_frames_are_held_back_until_the_next_keyframe()
    {
        var d = new Vp8Depacketizer();
        Assert.True(d.NeedsKeyframe);
        Assert.False(d.Push(Header(1, 0, true), Split(InterFrame(50), 1)[0], 0, out _)); // no keyframe yet
        Assert.True(d.Push(Header(2, 3000, true), Split(Keyframe(64, 48, 80), 1)[0], 0, out _));
        Assert.True(d.Push(Header(3, 6000, true), Split(InterFrame(50), 1)[0], 0, out var inter));
        Assert.False(inter.IsKeyframe);

        // Packet 5 (the middle of a two-packet frame) is lost: that frame and the next inter frame are unusable.
        var two = Split(InterFrame(100), 2);
        Assert.False(d.Push(Header(4, 9000, false), two[0], 0, out _));
        Assert.False(d.Push(Header(6, 12000, true), Split(InterFrame(50), 1)[0], lostBefore: 1, out _));
        Assert.True(d.NeedsKeyframe);
        Assert.False(d.Push(Header(7, 15000, true), Split(InterFrame(50), 1)[0], 0, out _));
        Assert.True(d.Push(Header(8, 18000, true), Split(Keyframe(64, 48, 80), 1)[0], 0, out var key));
        Assert.True(key.IsKeyframe);
        Assert.False(d.NeedsKeyframe);
        Assert.Equal(3, d.FramesReleased);
    }

    [Fact]
    public void A_frame_whose_marker_was_lost_is_dropped_when_the_next_timestamp_starts()
    {
        var d = new Vp8Depacketizer();
        Assert.True(d.Push(Header(1, 0, true), Split(Keyframe(64, 48, 80), 1)[0], 0, out _));
        var two = Split(InterFrame(100), 2);
        Assert.False(d.Push(Header(2, 3000, false), two[0], 0, out _));
        // The marker packet of timestamp 3000 never arrives and the jitter buffer did not see a gap (it was the last one).
        Assert.False(d.Push(Header(3, 6000, true), Split(InterFrame(50), 1)[0], 0, out _));
        Assert.True(d.NeedsKeyframe);
    }

    [Theory]
    [InlineData(new byte[] { 0x10, 0xAA }, true, 1)]                          // S=1, PID=0, no extension
    [InlineData(new byte[] { 0x90, 0x80, 0x05, 0xAA }, true, 3)]              // X, I with a 7-bit picture id
    [InlineData(new byte[] { 0x90, 0xE0, 0x81, 0x02, 0x07, 0x20, 0xAA }, true, 6)] // X, I (15-bit), L, T
    [InlineData(new byte[] { 0x11, 0xAA }, false, 1)]                         // a later partition (PID 1)
    [InlineData(new byte[] { 0x00, 0xAA }, false, 1)]                         // continuation
    public void Payload_descriptors_are_stripped(byte[] payload, bool start, int offset)
    {
        Assert.True(Vp8Depacketizer.TryStripDescriptor(payload, out var isStart, out var vp8));
        Assert.Equal(start, isStart);
        Assert.Equal(payload.Length - offset, vp8.Length);
        Assert.Equal(0xAA, vp8[^1]);
    }

    [Fact]
    public void Truncated_descriptors_are_refused()
    {
        Assert.False(Vp8Depacketizer.TryStripDescriptor([0x90], out _, out _));
        Assert.False(Vp8Depacketizer.TryStripDescriptor([0x90, 0x80], out _, out _));
        Assert.False(Vp8Depacketizer.TryStripDescriptor([0x10], out _, out _));
    }

    internal static RtpPacket Header(ushort seq, uint timestamp, bool marker) => new(marker, 96, seq, timestamp, 1010, 12, 0);

    /// <summary>A VP8 keyframe header (frame tag with P=0, start code, size) and filler.</summary>
    private static byte[] Keyframe(int width, int height, int length)
    {
        var frame = new byte[length];
        frame[0] = 0x10; // P=0: keyframe
        frame[3] = 0x9d;
        frame[4] = 0x01;
        frame[5] = 0x2a;
        frame[6] = unchecked((byte)width);
        frame[7] = (byte)(width >> 8);
        frame[8] = unchecked((byte)height);
        frame[9] = (byte)(height >> 8);
        for (var i = 10; i < length; i++) frame[i] = unchecked((byte)i);
        return frame;
    }

    private static byte[] InterFrame(int length)
    {
        var frame = new byte[length];
        frame[0] = 0x11; // P=1: inter frame
        return frame;
    }

    /// <summary>RTP payloads of a frame: each with a descriptor (S on the first), optionally with a 15-bit picture id.</summary>
    private static List<byte[]> Split(byte[] frame, int parts, int? pictureId = null)
    {
        var list = new List<byte[]>();
        var size = (frame.Length + parts - 1) / parts;
        for (var p = 0; p < parts; p++)
        {
            var chunk = frame.AsSpan(p * size, Math.Min(size, frame.Length - p * size));
            byte[] descriptor = pictureId is { } id
                ? [(byte)(0x80 | (p == 0 ? 0x10 : 0)), 0x80, (byte)(0x80 | (id >> 8)), unchecked((byte)id)]
                : [(byte)(p == 0 ? 0x10 : 0)];
            list.Add([.. descriptor, .. chunk]);
        }
        return list;
    }
}
