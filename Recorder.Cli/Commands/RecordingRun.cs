using System.Globalization;
using Recorder.Cli.IO;
using Recorder.Cli.Progress;
using Recorder.Pipeline;
using Recorder.Pipeline.Events;
using Recorder.Storage;

namespace Recorder.Cli.Commands;

/// <summary>
/// One recording in this process, as <c>record</c> and <c>demo</c> run it:
/// progress lines on stderr, two-stage signal handling, and for
/// <c>record --events</c> the event lines on stdout and the end of stdin as a
/// clean stop.
/// </summary>
internal static class RecordingRun
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan EventProgressInterval = TimeSpan.FromSeconds(2);
    private const long MiB = 1024 * 1024;

    /// <summary>
    /// Records until the meeting ends, the duration is reached or a stop. With <paramref name="events"/>:
    /// <c>started</c> first, then the pipeline's events and <c>progress</c> every 2 s; the caller
    /// writes the last line (completed or failed) once this returns or throws.
    /// </summary>
    public static async Task<(RecordingManifest Manifest, string ManifestLocation)> RunAsync(
        CliContext context, RecordingRequest request, CancellationToken cancellationToken, EventLines? events = null)
    {
        using var signals = new StopSignals(context.Output, cancellationToken);
        var session = new RecordingSession(request, new S3ObjectStore(context.Services.S3), new CliLogger(context.Output),
            events: events is null ? null : events.Post);
        events?.Post(new RecordingEvent
        {
            Event = RecordingEvent.Started,
            Time = DateTimeOffset.UtcNow,
            RecordingId = session.Location.RecordingId,
            Manifest = session.ManifestLocation,
        });
        context.Output.Notice($"recorder: recording {session.SourceDescription} to {session.ManifestLocation}");
        // Stopped (awaited) before this returns, so no progress line can follow the caller's last line.
        await using var progress = ProgressDisplay.Start(context.Output, "recording", () => new(Describe(session.Progress), null),
            determinate: false, ProgressInterval);
        await using var eventProgress = events is null
            ? null
            : new Timer(_ => events.Post(session.Progress.ToEvent()), null, EventProgressInterval, EventProgressInterval);
        if (events is not null) SupervisorWatch.Start(context.Console.StandardInput, signals, context.Output);
        return (await session.RunAsync(signals.Stop, signals.Abort), session.ManifestLocation);
    }

    /// <summary>One progress line: media time, who is in the picture, what reached S3, what was lost.</summary>
    internal static string Describe(RecordingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"{p.MediaPosition:hh\\:mm\\:ss}, {p.Participants} participants, segment {p.CurrentSegment}, {ByteText.Format(p.BytesUploaded)} uploaded, "
        + $"{p.PartsInFlight} parts in flight, {p.VideoFramesDropped} frames dropped, {p.UploadRetries} retries, "
        + $"memory {Environment.WorkingSet / MiB} MiB");
}
