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
    /// through an S3 outage before the live edge starts dropping frames —
    /// retries for up to 10 minutes, and the ciphertext not yet in a part stored
    /// as tail pieces every second.
    /// </summary>
    public static MultipartUploadOptions DefaultUploadOptions { get; } = new()
    {
        MemoryBudgetBytes = 48L * 1024 * 1024,
        MaxPartsInFlight = 2,
        ExpectedLengthBytes = 1L * 1024 * 1024 * 1024,
        MaxRecordingLengthBytes = 8L * 1024 * 1024 * 1024,
        OutageWindow = TimeSpan.FromMinutes(10),
        // What is not in a part yet is stored beside the upload every second: a crash loses seconds, not a part.
        TailCheckpointInterval = TimeSpan.FromSeconds(1),
    };

    private readonly MeetingSource _source;
    private readonly IObjectStore _store;
    private readonly RecordingRequest _request;
    private readonly EncryptedRecordingOutput _output;
    private readonly RecordingOptions _options;
    private readonly ILogger _logger;
    private readonly Action<RecordingEvent>? _events;
    private RecordingPipeline? _pipeline;

    /// <param name="events">Hears the recording's events as they happen (see <see cref="RecordingPipeline"/>); must return at once.</param>
    public RecordingSession(RecordingRequest request, IObjectStore store, ILogger logger, MultipartUploadOptions? uploadOptions = null,
        Action<RecordingEvent>? events = null)
    {
        _source = MeetingSourceFactory.Create(request.MeetingUri, request.DisplayName);
        var recordingId = request.RecordingId ?? RecordingLocation.NewRecordingId();
        Location = new RecordingLocation(request.Bucket, request.Prefix, request.HostId, MeetingSourceFactory.MeetingId(request.MeetingUri), recordingId);
        _output = new EncryptedRecordingOutput(store, Location, request.Recipients, uploadOptions ?? DefaultUploadOptions, leaseEpoch: request.LeaseEpoch, signer: request.Signer, retention: request.Retention);
        _store = store;
        _request = request;
        _logger = logger;
        _events = events;
        _options = new RecordingOptions
        {
            RecordingId = recordingId,
            HostId = request.HostId,
            MeetingId = Location.MeetingId,
            Encoder = request.Encoder,
            Layout = request.Layout,
            MaxDuration = request.MaxDuration,
            MaxSegmentDuration = request.MaxSegmentDuration,
            RealTime = request.RealTime,
            FinishOnly = request.FinishOnly,
            LeaseEpoch = request.LeaseEpoch,
        };
        ManifestLocation = _output.ManifestLocation;
    }

    public RecordingLocation Location { get; }
    public string ManifestLocation { get; }
    public string SourceDescription => _source.Description;
    /// <summary>A snapshot for progress reports (<see cref="RecordingProgress.ToEvent"/> makes the <c>progress</c> event).</summary>
    public RecordingProgress Progress => _pipeline?.Progress ?? RecordingProgress.None;

    /// <summary>
    /// Records until the meeting ends, the duration is reached or <paramref name="stop"/>; <paramref name="abort"/> abandons it.
    /// A continuation (<see cref="RecordingRequest.Continue"/>) first looks at what the previous worker left.
    /// </summary>
    public async Task<RecordingManifest> RunAsync(CancellationToken stop, CancellationToken abort)
    {
        await using (_source.ConfigureAwait(false))
        {
            var options = _options;
            if (_request.Continue)
            {
                var continuation = await RecordingContinuation.FindAsync(_store, Location, abort).ConfigureAwait(false);
                _logger.LogInformation("recording {RecordingId}: taking over after {Segments} listed segment(s); unfinished: {Orphans}; continuing in segment {Next}",
                    Location.RecordingId, continuation.Manifest?.Segments.Count ?? 0,
                    continuation.OrphanNumbers.Count == 0 ? "none" : string.Join(", ", continuation.OrphanNumbers), continuation.NextSegment);
                options = options with { Continuation = continuation };
            }
            _pipeline = new RecordingPipeline(_source, _output, options, _logger, _events);
            return await _pipeline.RunAsync(stop, abort).ConfigureAwait(false);
        }
    }
}
