using Microsoft.Extensions.Logging;
using Recorder.Pipeline.Events;
using Recorder.Pipeline.Meetings;
using Recorder.Pipeline.Output;
using Recorder.Pipeline;
using Recorder.Storage;

namespace Recorder.Pipeline;

/// <summary>
/// One recording assembled from a request: the meeting source its URI names,
/// the encrypted S3 output, and the pipeline between them.
/// </summary>
public sealed class RecordingSession
{
    /// <summary>
    /// Upload settings for a segment: 5 MiB parts (up to 8 GiB per segment), two
    /// in flight, 48 MiB of buffer — about three minutes of a 2 Mbit/s recording
    /// through an S3 outage before the live edge starts dropping frames — and
    /// retries for up to 10 minutes.
    /// </summary>
    public static MultipartUploadOptions DefaultUploadOptions { get; } = new()
    {
        MemoryBudgetBytes = 48L * 1024 * 1024,
        MaxPartsInFlight = 2,
        ExpectedLengthBytes = 1L * 1024 * 1024 * 1024,
        MaxRecordingLengthBytes = 8L * 1024 * 1024 * 1024,
        OutageWindow = TimeSpan.FromMinutes(10),
    };

    private readonly RecordingPipeline _pipeline;
    private readonly MeetingSource _source;

    /// <param name="events">Hears the recording's events as they happen (see <see cref="RecordingPipeline"/>); must return at once.</param>
    public RecordingSession(RecordingRequest request, IObjectStore store, ILogger logger, MultipartUploadOptions? uploadOptions = null,
        Action<RecordingEvent>? events = null)
    {
        _source = MeetingSourceFactory.Create(request.MeetingUri, request.DisplayName);
        var recordingId = request.RecordingId ?? RecordingLocation.NewRecordingId();
        Location = new RecordingLocation(request.Bucket, request.Prefix, request.HostId, MeetingSourceFactory.MeetingId(request.MeetingUri), recordingId);
        var output = new EncryptedRecordingOutput(store, Location, request.Recipients, uploadOptions ?? DefaultUploadOptions);
        _pipeline = new RecordingPipeline(_source, output, new RecordingOptions
        {
            RecordingId = recordingId,
            HostId = request.HostId,
            MeetingId = Location.MeetingId,
            Encoder = request.Encoder,
            Layout = request.Layout,
            MaxDuration = request.MaxDuration,
            MaxSegmentDuration = request.MaxSegmentDuration,
            RealTime = request.RealTime,
        }, logger, events);
        ManifestLocation = output.ManifestLocation;
    }

    public RecordingLocation Location { get; }
    public string ManifestLocation { get; }
    public string SourceDescription => _source.Description;
    /// <summary>A snapshot for progress reports (<see cref="RecordingProgress.ToEvent"/> makes the <c>progress</c> event).</summary>
    public RecordingProgress Progress => _pipeline.Progress;

    /// <summary>Records until the meeting ends, the duration is reached or <paramref name="stop"/>; <paramref name="abort"/> abandons it.</summary>
    public async Task<RecordingManifest> RunAsync(CancellationToken stop, CancellationToken abort)
    {
        await using (_source.ConfigureAwait(false))
        {
            return await _pipeline.RunAsync(stop, abort).ConfigureAwait(false);
        }
    }
}
