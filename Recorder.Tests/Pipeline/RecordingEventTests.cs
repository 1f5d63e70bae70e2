using System.Text.Json;
using Recorder.Pipeline;
using Recorder.Pipeline.Events;

namespace Recorder.Tests.Pipeline;

/// <summary>
/// The lines of <c>record --events</c> are a contract with the service: each
/// kind carries exactly the fields RecordingEvent's documentation lists, under
/// those names, on one line, and reads back to the same event.
/// </summary>
public sealed class RecordingEventTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 19, 38, 35, 123, TimeSpan.Zero);

    private static readonly ManifestSegment Stored = new()
    {
        Number = 2, Location = "s3://b/h/m/r/segment-0002.mp4.age", Bytes = 77_922, Sha256 = new string('a', 64), PlaintextBytes = 77_000,
        MediaStartSeconds = 3600, DurationSeconds = 4.0133, StartedAt = At, EndedAt = At, EndReason = "the simulated meeting is over",
        Recipients = ["x25519:abc"], Fragments = [],
    };

    public static TheoryData<string, RecordingEvent, string[]> Kinds() => new()
    {
        { "started", new RecordingEvent { Event = "started", Time = At, RecordingId = "rec-1", Manifest = "s3://b/m.json" }, ["event", "time", "recordingId", "manifest"] },
        { "state", RecordingEvent.ForState(RecordingEvent.StateFinalizing, "the recording was stopped") with { Time = At }, ["event", "time", "state", "reason"] },
        { "segment", RecordingEvent.ForSegment(Stored) with { Time = At }, ["event", "time", "segment"] },
        { "progress", new RecordingProgress(TimeSpan.FromSeconds(12.3456), 1, 0, 3, 0, 4, 5_242_880, 2, 1).ToEvent() with { Time = At },
            ["event", "time", "mediaSeconds", "currentSegment", "videoFramesDropped", "audioBlocksDropped", "bytesUploaded", "partsInFlight", "uploadRetries"] },
        { "completed", new RecordingEvent { Event = "completed", Time = At, Manifest = "s3://b/m.json", Reason = "over", VideoFramesDropped = 0 },
            ["event", "time", "manifest", "reason", "videoFramesDropped"] },
        { "failed", new RecordingEvent { Event = "failed", Time = At, Error = "s3://b/k: NoSuchBucket" }, ["event", "time", "error"] },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_has_exactly_its_documented_fields_on_one_line_and_reads_back_the_same(string kind, RecordingEvent e, string[] fields)
    {
        var line = e.ToJsonLine();
        Assert.DoesNotContain('\n', line);
        using var json = JsonDocument.Parse(line);
        Assert.Equal(fields, json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(kind, json.RootElement.GetProperty("event").GetString());
        Assert.Equal(At, json.RootElement.GetProperty("time").GetDateTimeOffset());
        Assert.Equal(e, RecordingEvent.Parse(line));
    }

    [Fact]
    public void A_segment_event_carries_the_stored_segments_facts_under_their_names()
    {
        using var json = JsonDocument.Parse(RecordingEvent.ForSegment(Stored).ToJsonLine());
        var segment = json.RootElement.GetProperty("segment");
        Assert.Equal(["number", "uri", "bytes", "sha256", "mediaStartSeconds", "durationSeconds", "endReason", "truncated"],
            segment.EnumerateObject().Select(p => p.Name));
        Assert.Equal((2, "s3://b/h/m/r/segment-0002.mp4.age", 77_922L, new string('a', 64), 3600.0, 4.0133, "the simulated meeting is over", false),
            (segment.GetProperty("number").GetInt32(), segment.GetProperty("uri").GetString(), segment.GetProperty("bytes").GetInt64(),
             segment.GetProperty("sha256").GetString(), segment.GetProperty("mediaStartSeconds").GetDouble(), segment.GetProperty("durationSeconds").GetDouble(),
             segment.GetProperty("endReason").GetString(), segment.GetProperty("truncated").GetBoolean()));
    }

    [Fact]
    public void A_progress_event_has_the_snapshots_figures_with_media_time_in_seconds()
    {
        var e = new RecordingProgress(TimeSpan.FromSeconds(12.3456), 3, 2, 7, 1, 4, 15_728_640, 2, 5).ToEvent();
        Assert.Equal((12.346, 3, 7L, 4L, 15_728_640L, 2, 5L),
            (e.MediaSeconds, e.CurrentSegment, e.VideoFramesDropped, e.AudioBlocksDropped, e.BytesUploaded, e.PartsInFlight, e.UploadRetries));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[1]")]
    [InlineData("{}")]
    [InlineData("{\"event\":\"state\"}")]
    [InlineData("not json")]
    public void Anything_that_is_not_an_event_is_refused(string line) =>
        Assert.ThrowsAny<JsonException>(() => RecordingEvent.Parse(line));
}
