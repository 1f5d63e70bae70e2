using Recorder.Pipeline.Encoder;
using Recorder.Pipeline.Media;
using Recorder.Pipeline.Meetings;
using Recorder.Pipeline.Meetings.Synthetic;
using Recorder.Pipeline;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Pipeline;

/// <summary>Runs recordings through the real pipeline (synthetic meetings into plaintext memory) and saves segments as files for decoding.</summary>
internal static class PipelineRunner
{
    public static readonly FfmpegEncoderOptions SmallFast = new() { Width = 640, Height = 360, Preset = "ultrafast" };

    public static async Task<(RecordingManifest Manifest, PlaintextMemoryOutput Output, SyntheticMeetingSource Source)> RecordAsync(
        string uri, FfmpegEncoderOptions? encoder = null, LayoutKind layout = LayoutKind.Gallery, bool? realTime = null,
        TimeSpan? maxSegment = null, TimeSpan? maxDuration = null, PlaintextMemoryOutput? output = null,
        Func<RecordingOptions, RecordingOptions>? configure = null)
    {
        var source = new SyntheticMeetingSource(SyntheticMeetingOptions.Parse(new Uri(uri)));
        output ??= new PlaintextMemoryOutput();
        var manifest = await RecordSourceAsync(source, output, encoder, layout, realTime, maxSegment, maxDuration, configure);
        return (manifest, output, source);
    }

    /// <summary>Records any meeting source through the real pipeline into <paramref name="output"/>.</summary>
    public static async Task<RecordingManifest> RecordSourceAsync(MeetingSource source, IRecordingOutput output,
        FfmpegEncoderOptions? encoder = null, LayoutKind layout = LayoutKind.Gallery, bool? realTime = null,
        TimeSpan? maxSegment = null, TimeSpan? maxDuration = null, Func<RecordingOptions, RecordingOptions>? configure = null)
    {
        var options = new RecordingOptions
        {
            RecordingId = "rec-test",
            HostId = "host-test",
            MeetingId = "meeting-test",
            Encoder = encoder ?? SmallFast,
            Layout = layout,
            RealTime = realTime ?? false, // synthetic sources can run in virtual time: fast tests unless real time is the point
            MaxSegmentDuration = maxSegment ?? TimeSpan.FromHours(1),
            MaxDuration = maxDuration,
        };
        var pipeline = new RecordingPipeline(source, output, configure?.Invoke(options) ?? options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        return await pipeline.RunAsync(CancellationToken.None, timeout.Token);
    }

    public static string Save(PlaintextMemoryOutput output, int segment)
    {
        var path = Path.Combine(Path.GetTempPath(), $"recorder-test-{Guid.NewGuid():N}.mp4");
        File.WriteAllBytes(path, output.Segments[segment].ToArray());
        // For a look by eye: RECORDER_TEST_KEEP=/some/folder keeps a copy of every decoded recording.
        if (Environment.GetEnvironmentVariable("RECORDER_TEST_KEEP") is { Length: > 0 } keep)
            File.Copy(path, Path.Combine(keep, Path.GetFileName(path)));
        return path;
    }
}
