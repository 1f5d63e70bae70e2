using Recorder.Pipeline;
using Recorder.Pipeline.Ranges;
using Recorder.Pipeline.Text;

namespace Recorder.Tests.Pipeline;

/// <summary>Which fragments a time range takes (the rule the archivist's decrypt follows), and how times are written.</summary>
public sealed class RecordingRangePlanTests
{
    /// <summary>Two segments of 10 s with 2-s fragments (1,000 bytes each after a 100-byte init); the second after a 5-s gap.</summary>
    private static RecordingManifest TwoSegments() => new()
    {
        RecordingId = "r", HostId = "h", MeetingId = "m", State = "completed", StartedAt = DateTimeOffset.UnixEpoch, Recipients = [],
        WorkerBuild = "test", Video = new ManifestVideo(320, 180, 30, "gallery", "h264", "aac", "mp4"),
        Segments = [Segment(1, 0), Segment(2, 15, gap: 5)],
    };

    private static ManifestSegment Segment(int number, double start, double? gap = null) => new()
    {
        Number = number, Location = $"s3://b/r/segment-{number:D4}.mp4.age", Bytes = 6000, Sha256 = "", PlaintextBytes = 5100,
        MediaStartSeconds = start, DurationSeconds = 10, StartedAt = DateTimeOffset.UnixEpoch, EndedAt = DateTimeOffset.UnixEpoch,
        EndReason = "test", Recipients = [], InitSegmentBytes = 100, GapBeforeSeconds = gap,
        Fragments = [[0, 100], [2, 1100], [4, 2100], [6, 3100], [8, 4100]],
    };

    [Theory]
    [InlineData(3, 7, 1100, 4100, 2, 8)]     // starts at the fragment holding 3 s, ends with the one holding 6.99 s
    [InlineData(2, 6, 1100, 3100, 2, 6)]     // on fragment boundaries: exactly those fragments
    [InlineData(0, 0.5, 100, 1100, 0, 2)]
    [InlineData(9, 10, 4100, 5100, 8, 10)]   // the last fragment runs to the segment's end
    public void A_range_in_one_segment_takes_the_fragments_that_cover_it(double from, double to, long start, long end, double startTime, double endTime)
    {
        var plan = RecordingRangePlan.Create(TwoSegments(), TimeSpan.FromSeconds(from), TimeSpan.FromSeconds(to));
        var slice = Assert.Single(plan.Slices);
        Assert.Equal((1, start, end, startTime, endTime), (slice.Segment.Number, slice.Start, slice.End, slice.StartSeconds, slice.EndSeconds));
    }

    [Fact]
    public void A_range_across_a_gap_takes_both_segments_and_keeps_the_gap_in_its_length()
    {
        var plan = RecordingRangePlan.Create(TwoSegments(), TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(17));
        Assert.Equal([(1, 4100L, 5100L), (2, 100L, 1100L)], plan.Slices.Select(s => (s.Segment.Number, s.Start, s.End)));
        Assert.Equal(9, plan.WrittenSeconds); // 8 s … 17 s
    }

    [Theory]
    [InlineData(11.0, 14.0, "00:00:11–00:00:14 falls in a gap between segments 1 and 2: nothing was recorded from 00:00:10 to 00:00:15")]
    [InlineData(25.0, null, "--from 00:00:25 is past the end of the recording (00:00:25)")]
    public void A_range_without_media_is_refused_with_the_reason(double from, double? to, string message)
    {
        var e = Assert.Throws<RecordingRangeException>(() =>
            RecordingRangePlan.Create(TwoSegments(), TimeSpan.FromSeconds(from), to is { } t ? TimeSpan.FromSeconds(t) : null));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Within_one_segment_only_its_time_counts()
    {
        var e = Assert.Throws<RecordingRangeException>(() => RecordingRangePlan.Create(TwoSegments(), TimeSpan.Zero, TimeSpan.FromSeconds(5), onlySegment: 2));
        Assert.Equal(("--to 00:00:05 is before segment 2 starts (00:00:15)", "segment 2 runs from 00:00:15 to 00:00:25"), (e.Message, e.Hint));
    }

    [Fact]
    public void A_segment_without_a_fragment_index_is_named()
    {
        var manifest = TwoSegments() with { Segments = [Segment(1, 0) with { InitSegmentBytes = null }] };
        var e = Assert.Throws<RecordingRangeException>(() => RecordingRangePlan.Create(manifest, TimeSpan.Zero, null));
        Assert.Equal("segment 1 has no fragment index in the manifest", e.Message);
    }

    [Theory]
    [InlineData("00:10:00", 600)]
    [InlineData("10:00", 600)]
    [InlineData("1:02:03.5", 3723.5)]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    public void Times_are_written_as_clock_or_duration(string text, double seconds)
    {
        Assert.True(RecordingTimeText.TryParse(text, out var value));
        Assert.Equal(seconds, value.TotalSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1x")]
    [InlineData("00:60")]
    [InlineData("1:60:00")]
    [InlineData("-5s")]
    [InlineData("1:2:3:4")]
    [InlineData("10:")]
    public void Other_times_are_refused(string text) => Assert.False(RecordingTimeText.TryParse(text, out _));

    [Theory]
    [InlineData(0, "00:00:00", "00:00.0")]
    [InlineData(3599.94, "00:59:59.9", "59:59.9")]
    [InlineData(122.04, "00:02:02", "02:02.0")]
    [InlineData(3725, "01:02:05", "01:02:05.0")]
    public void Times_are_shown_as_a_clock_with_tenths_when_needed(double seconds, string time, string length) =>
        Assert.Equal((time, length), (RecordingTimeText.Format(seconds), RecordingTimeText.FormatLength(seconds)));
}
