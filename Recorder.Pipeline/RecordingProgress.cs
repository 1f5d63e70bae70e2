using Recorder.Pipeline.Events;

namespace Recorder.Pipeline;

/// <summary>
/// A snapshot of a running recording. The upload figures are summed over all
/// of the recording's segments, completed ones included: <see cref="BytesUploaded"/>
/// is ciphertext S3 has acknowledged, <see cref="PartsInFlight"/> parts being
/// sent now, <see cref="UploadRetries"/> transient failures retried.
/// </summary>
public sealed record RecordingProgress(TimeSpan MediaPosition, int CurrentSegment, int CompletedSegments, long VideoFramesDropped, int EncoderRestarts,
    long AudioBlocksDropped, long BytesUploaded, int PartsInFlight, long UploadRetries)
{
    /// <summary>Before the pipeline exists (a take-over still looking at what was left).</summary>
    public static RecordingProgress None { get; } = new(TimeSpan.Zero, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Participants in the picture now (not part of the <c>progress</c> event, whose fields are a contract).</summary>
    public int Participants { get; init; }

    /// <summary>This snapshot as a <c>progress</c> event of <c>record --events</c>, stamped now.</summary>
    public RecordingEvent ToEvent() => new()
    {
        Event = RecordingEvent.Progress,
        Time = DateTimeOffset.UtcNow,
        MediaSeconds = Math.Round(MediaPosition.TotalSeconds, 3),
        CurrentSegment = CurrentSegment,
        VideoFramesDropped = VideoFramesDropped,
        AudioBlocksDropped = AudioBlocksDropped,
        BytesUploaded = BytesUploaded,
        PartsInFlight = PartsInFlight,
        UploadRetries = UploadRetries,
    };
}
