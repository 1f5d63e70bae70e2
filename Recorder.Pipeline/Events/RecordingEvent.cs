using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recorder.Pipeline.Events;

/// <summary>
/// One line of <c>recorder record --events</c>: what the recording process
/// tells its supervisor (the service's job), as it happens. A contract
/// between the child process and the service, documented in README.md
/// ("record --events"); fields that do not apply are left out.
///
/// <list type="bullet">
/// <item><c>started</c>: recordingId, manifest (its s3:// URI) — before anything connects.</item>
/// <item><c>state</c>: state = <c>joining</c> (connecting to the meeting), <c>recording</c> (the first frame
/// was captured), <c>finalizing</c> (capture ended, with reason; the last segment is being completed).</item>
/// <item><c>segment</c>: a segment is complete and stored (segment).</item>
/// <item><c>progress</c>: every few seconds: mediaSeconds, currentSegment, videoFramesDropped,
/// audioBlocksDropped, bytesUploaded, partsInFlight, uploadRetries.</item>
/// <item><c>completed</c>: manifest, reason, videoFramesDropped — the last line of a success (exit 0).</item>
/// <item><c>failed</c>: error — the last line of a failure (exit 1); the same text as stderr's <c>recorder: error:</c> line.</item>
/// </list>
/// </summary>
public sealed record RecordingEvent
{
    public const string Started = "started";
    public const string State = "state";
    public const string Segment = "segment";
    public const string Progress = "progress";
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>
    /// Exit status of <c>record --events</c> when its lease ran out before a renewal reached it (the supervisor paused
    /// or lost its database for longer than the lease): the recording did not fail, it is left for a take-over, and no
    /// <c>failed</c> line is written.
    /// </summary>
    public const int LeaseExpiredExitCode = 5;

    /// <summary>The states a <c>state</c> event announces.</summary>
    public const string StateJoining = "joining";
    public const string StateRecording = "recording";
    public const string StateFinalizing = "finalizing";

    /// <summary>One of the kinds above.</summary>
    public required string Event { get; init; }
    public required DateTimeOffset Time { get; init; }
    public string? RecordingId { get; init; }
    public string? Manifest { get; init; }
    /// <summary>For <c>state</c>: joining, recording or finalizing.</summary>
    [JsonPropertyName("state")]
    public string? NewState { get; init; }
    public string? Reason { get; init; }
    public string? Error { get; init; }
    [JsonPropertyName("segment")]
    public RecordingEventSegment? CompletedSegment { get; init; }
    public double? MediaSeconds { get; init; }
    public int? CurrentSegment { get; init; }
    public long? VideoFramesDropped { get; init; }
    public long? AudioBlocksDropped { get; init; }
    public long? BytesUploaded { get; init; }
    public int? PartsInFlight { get; init; }
    public long? UploadRetries { get; init; }

    /// <summary>A <c>state</c> event, stamped now.</summary>
    public static RecordingEvent ForState(string state, string? reason = null) =>
        new() { Event = State, Time = DateTimeOffset.UtcNow, NewState = state, Reason = reason };

    /// <summary>A <c>segment</c> event for a segment that is complete and stored, stamped now.</summary>
    public static RecordingEvent ForSegment(ManifestSegment segment) => new()
    {
        Event = Segment,
        Time = DateTimeOffset.UtcNow,
        CompletedSegment = new RecordingEventSegment(segment.Number, segment.Location, segment.Bytes, segment.Sha256,
            segment.MediaStartSeconds, segment.DurationSeconds, segment.EndReason, segment.Truncated),
    };

    /// <summary>One line of compact JSON, without the newline.</summary>
    public string ToJsonLine() => JsonSerializer.Serialize(this, RecordingEventJson.Default.RecordingEvent);

    /// <summary>Parses one line; throws <see cref="JsonException"/> on anything that is not an event.</summary>
    public static RecordingEvent Parse(string line) =>
        JsonSerializer.Deserialize(line, RecordingEventJson.Default.RecordingEvent) ?? throw new JsonException("not an event: null");
}

/// <summary>A completed segment as an event carries it (the manifest has the rest, e.g. the fragment index).</summary>
public sealed record RecordingEventSegment(
    int Number,
    string Uri,
    long Bytes,
    string Sha256,
    double MediaStartSeconds,
    double DurationSeconds,
    string EndReason,
    bool Truncated);

/// <summary>Compact, camelCase, nulls left out; source-generated (the CLI is compiled ahead of time).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(RecordingEvent))]
internal sealed partial class RecordingEventJson : JsonSerializerContext;
