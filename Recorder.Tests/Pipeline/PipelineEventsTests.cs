using System.Collections.Concurrent;
using Recorder.Pipeline;
using Recorder.Pipeline.Events;
using Recorder.Pipeline.Meetings.Synthetic;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Pipeline;

/// <summary>
/// What the pipeline tells its observer (the lines of <c>record --events</c>),
/// checked against the moment each is told — how many frames exist when
/// "recording" is announced, what has been uploaded when a segment is — and
/// against the manifest the recording ends with.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PipelineEventsTests
{
    private sealed record Heard(RecordingEvent Event, long? VideoFrames, long BytesUploaded);

    [Fact]
    public async Task Joining_then_the_first_frame_then_finalizing_and_each_stored_segment_with_uploads_summed_over_segments()
    {
        var source = new SyntheticMeetingSource(SyntheticMeetingOptions.Parse(new Uri("synthetic://?participants=2&seconds=3")));
        var output = new PlaintextMemoryOutput();
        var heard = new ConcurrentQueue<Heard>();
        RecordingPipeline? pipeline = null;
        pipeline = new RecordingPipeline(source, output, new RecordingOptions
        {
            RecordingId = "rec-events", HostId = "host-test", MeetingId = "meeting-test",
            Encoder = PipelineRunner.SmallFast, RealTime = false, MaxSegmentDuration = TimeSpan.FromSeconds(1),
        }, events: e => heard.Enqueue(new Heard(e, pipeline!.Stats?.VideoFrames, pipeline.Progress.BytesUploaded)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var manifest = await pipeline.RunAsync(CancellationToken.None, timeout.Token);
        var events = heard.ToList();

        Assert.Equal([RecordingEvent.StateJoining, RecordingEvent.StateRecording, RecordingEvent.StateFinalizing],
            events.Where(h => h.Event.Event == RecordingEvent.State).Select(h => h.Event.NewState));
        Assert.Null(events[0].VideoFrames); // joining: before the live edge exists
        var recording = events.Single(h => h.Event.NewState == RecordingEvent.StateRecording);
        Assert.Equal(1, recording.VideoFrames); // told as the first frame is handed on, not before or later
        var finalizing = events.FindIndex(h => h.Event.NewState == RecordingEvent.StateFinalizing);
        Assert.Equal("the simulated meeting is over", events[finalizing].Event.Reason);

        // One event per stored segment, matching the manifest; the last one after capture ended.
        Assert.Equal(3, manifest.Segments.Count);
        var segments = events.Where(h => h.Event.Event == RecordingEvent.Segment).ToList();
        Assert.Equal([1, 2, 3], segments.Select(h => h.Event.CompletedSegment!.Number).Order());
        foreach (var listed in manifest.Segments)
        {
            var told = segments.Single(h => h.Event.CompletedSegment!.Number == listed.Number).Event.CompletedSegment!;
            Assert.Equal(new RecordingEventSegment(listed.Number, listed.Location, listed.Bytes, listed.Sha256, listed.MediaStartSeconds,
                listed.DurationSeconds, listed.EndReason, false), told);
        }
        Assert.True(events.FindIndex(h => h.Event.CompletedSegment?.Number == 3) > finalizing, "the last segment is stored after capture ended");
        Assert.Equal("the simulated meeting is over", manifest.Segments[2].EndReason);

        // Bytes uploaded count finished segments too: when a segment is announced, at least every announced segment's bytes.
        long announced = 0;
        foreach (var h in segments)
        {
            announced += h.Event.CompletedSegment!.Bytes;
            Assert.True(h.BytesUploaded >= announced, $"segment {h.Event.CompletedSegment.Number}: {h.BytesUploaded} uploaded, {announced} announced");
        }
        var end = pipeline.Progress;
        Assert.Equal((manifest.Segments.Sum(s => s.Bytes), 0, 0L, 3, 3), (end.BytesUploaded, end.PartsInFlight, end.UploadRetries, end.CurrentSegment, end.CompletedSegments));
    }
}
