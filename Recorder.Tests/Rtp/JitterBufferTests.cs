using System.Diagnostics;
using Recorder.Pipeline.Rtp;

namespace Recorder.Tests.Rtp;

/// <summary>The jitter buffer: order restored, losses declared after the wait, duplicates and late packets dropped, restarts followed.</summary>
public sealed class JitterBufferTests
{
    private static readonly long Wait = Stopwatch.Frequency / 10; // 100 ms
    private readonly RtpJitterBuffer _buffer = new(16, TimeSpan.FromMilliseconds(100));

    [Fact]
    public void Reordered_packets_come_out_in_sequence()
    {
        Insert(100, 0);
        Assert.Equal([100], ReadAll(0));
        Insert(102, 1);
        Assert.Empty(ReadAll(1)); // 101 may still come
        Insert(101, 2);
        Assert.Equal([101, 102], ReadAll(2));
    }

    [Fact]
    public void A_missing_packet_is_given_up_after_the_wait_and_counted()
    {
        Insert(10, 0);
        Insert(12, 0);
        Insert(13, 0);
        Assert.Equal([10], ReadAll(0));
        Assert.Empty(ReadAll(Wait - 1));
        Assert.True(_buffer.TryRead(Wait, out var header, out _, out var lost, out _));
        Assert.Equal((ushort)12, header.SequenceNumber);
        Assert.Equal(1, lost);
        Assert.Equal([13], ReadAll(Wait));
        Assert.Equal(1, _buffer.Lost);
        Assert.Equal(RtpJitterBuffer.InsertResult.TooLate, Insert(11, Wait));
    }

    [Fact]
    public void Duplicates_are_dropped()
    {
        Insert(5, 0);
        Insert(7, 0);
        Assert.Equal(RtpJitterBuffer.InsertResult.Duplicate, Insert(7, 0));
        Assert.Equal(RtpJitterBuffer.InsertResult.Duplicate, Insert(5, 0));
        Assert.Equal([5], ReadAll(0));
        Assert.Equal(RtpJitterBuffer.InsertResult.TooLate, Insert(5, 0));
        Assert.Equal(3, _buffer.Dropped);
    }

    [Fact]
    public void Sequence_numbers_wrap_around()
    {
        foreach (var seq in new ushort[] { 65_533, 65_535, 65_534, 1, 0, 2 }) Insert(seq, 0);
        Assert.Equal([65_533, 65_534, 65_535, 0, 1, 2], ReadAll(0));
    }

    [Fact]
    public void A_sender_restart_with_lower_numbers_is_confirmed_by_its_second_packet_then_followed()
    {
        for (ushort s = 1000; s < 1005; s++) Insert(s, 0);
        Assert.Equal(5, ReadAll(0).Count);
        Assert.Equal(RtpJitterBuffer.InsertResult.Ignored, Insert(200, 1)); // a stray, until confirmed
        Assert.Equal(RtpJitterBuffer.InsertResult.Restarted, Insert(201, 2));
        Insert(202, 3);
        Assert.Equal([201, 202], ReadAll(3));
    }

    [Fact]
    public void A_single_stray_packet_does_not_restart_the_stream()
    {
        Insert(1000, 0);
        Assert.Equal(RtpJitterBuffer.InsertResult.Ignored, Insert(40_000, 0));
        Assert.Equal(RtpJitterBuffer.InsertResult.Accepted, Insert(1001, 0));
        Assert.Equal([1000, 1001], ReadAll(0));
    }

    [Fact]
    public void When_full_the_oldest_missing_packets_are_given_up_instead_of_growing()
    {
        Insert(0, 0);
        ReadAll(0);
        for (ushort s = 2; s < 20; s++) Insert(s, 0); // 1 never comes; 18 packets for 16 slots
        var read = ReadAll(0);
        Assert.Equal(Enumerable.Range(4, 16).Select(i => (ushort)i), read);
        Assert.True(_buffer.Lost >= 1);
    }

    [Fact]
    public void Payloads_come_out_as_they_went_in()
    {
        var header = Header(77);
        _buffer.Insert(header, [1, 2, 3, 4], 0);
        Assert.True(_buffer.TryRead(0, out var h, out var payload, out _, out var arrival));
        Assert.Equal(header, h);
        Assert.Equal([1, 2, 3, 4], payload.ToArray());
        Assert.Equal(0, arrival);
    }

    private RtpJitterBuffer.InsertResult Insert(ushort seq, long at) => _buffer.Insert(Header(seq), [unchecked((byte)seq)], at);

    private List<ushort> ReadAll(long now)
    {
        var list = new List<ushort>();
        while (_buffer.TryRead(now, out var h, out _, out _, out _)) list.Add(h.SequenceNumber);
        return list;
    }

    private static RtpPacket Header(ushort seq) => new(false, 96, seq, unchecked(seq * 3000u), 1010, 12, 1);
}
