using Recorder.Pipeline.Media;
using Recorder.Pipeline.Rtp;

namespace Recorder.Tests.Rtp;

/// <summary>Media on the recording clock: the RTP timeline, the audio ring, the picture queue.</summary>
public sealed class TimingAndBufferTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void The_timeline_follows_the_least_delayed_packet_so_jitter_never_makes_media_late()
    {
        var timeline = new RtpTimeline(48_000);
        Assert.Equal(Ms(1000), timeline.Map(0, Ms(1000)));            // the first packet anchors
        Assert.Equal(Ms(1020), timeline.Map(960, Ms(1035)));          // 15 ms late: stays on the anchor
        Assert.Equal(Ms(1035), timeline.Map(1920, Ms(1035)));         // 5 ms early: everything moves earlier
        Assert.Equal(Ms(1055), timeline.Map(2880, Ms(1056)));
        Assert.Equal(0, timeline.Reanchors);
    }

    [Fact]
    public void A_timestamp_jump_re_anchors_and_wraparound_is_continuous()
    {
        var timeline = new RtpTimeline(90_000);
        var start = uint.MaxValue - 3000;                             // wraps after 3001 ticks
        timeline.Map(start, Ms(0));
        Assert.Equal(Ms(100), timeline.Map(unchecked(start + 9000), Ms(100)));
        // A sender restart with a random new timestamp far ahead, then far behind: each mapped to its arrival.
        var ahead = unchecked(start + 9000 + 900_000_000);
        Assert.Equal(Ms(200), timeline.Map(ahead, Ms(200)));
        Assert.Equal(Ms(300), timeline.Map(unchecked(ahead + 9000), Ms(300)));
        var behind = unchecked(ahead - 1_800_000_000);
        Assert.Equal(Ms(400), timeline.Map(behind, Ms(400)));
        Assert.Equal(Ms(500), timeline.Map(unchecked(behind + 9000), Ms(500)));
        Assert.Equal(1, timeline.Reanchors);
    }

    [Fact]
    public void A_sender_clock_running_slow_is_followed_after_a_window()
    {
        var timeline = new RtpTimeline(1000);
        timeline.Map(0, Ms(0));
        // Every packet arrives 50 ms later than its timestamp says, for 6 s.
        TimeSpan last = default;
        for (var t = 100; t <= 6000; t += 100) last = timeline.Map((uint)t, Ms(t + 50));
        Assert.Equal(Ms(6050), last);
    }

    [Fact]
    public void The_audio_ring_tells_fresh_samples_from_stale_and_missing_ones()
    {
        var ring = new AudioRing(1024);
        ring.Write(100, [1, 2, 3]);
        var read = new short[5];
        Assert.True(ring.Read(99, read));
        Assert.Equal([0, 1, 2, 3, 0], read);
        Assert.False(ring.Read(100 + 1024, read));                    // same slots, one lap later: nothing there
        ring.Write(-2, [7, 8, 9]);                                    // before the recording started: dropped
        Assert.True(ring.Read(0, read.AsSpan(0, 1)));
        Assert.Equal(9, read[0]);
        ring.Clear();
        Assert.False(ring.Read(99, read));
    }

    [Fact]
    public void The_picture_queue_shows_the_latest_due_picture_and_recycles_instead_of_growing()
    {
        var queue = new VideoFrameQueue(poolFrames: 3);
        Assert.Null(queue.Read(Ms(0)));
        for (var i = 0; i < 5; i++)
        {
            var frame = queue.Rent(4, 2);
            frame.Buffer[0] = (byte)i;
            queue.Publish(frame, Ms(100 * i));
        }
        Assert.Equal(2, queue.FramesDropped);                          // a pool of 3: the two oldest pictures were taken back
        Assert.Equal(2, queue.Read(Ms(250))!.Buffer[0]);
        Assert.Equal(2, queue.Read(Ms(299))!.Buffer[0]);              // the same picture until the next is due
        Assert.Equal(4, queue.Read(Ms(1000))!.Buffer[0]);
    }
}
