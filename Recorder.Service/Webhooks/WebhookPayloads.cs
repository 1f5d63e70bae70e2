using System.Text.Json;
using System.Text.Json.Serialization;
using Recorder.Service.Api;

namespace Recorder.Service.Webhooks;

/// <summary>The message body Standard Webhooks describes: type, timestamp, data.</summary>
public sealed record WebhookMessage(string Type, DateTimeOffset Timestamp, WebhookData Data);

/// <summary>What a recording event carries: ids, state, and the event's own facts. No meeting content, no names.</summary>
public sealed record WebhookData(
    string RecordingId,
    string HostId,
    string State,
    string? Manifest = null,
    SegmentView? Segment = null,
    IReadOnlyList<SegmentView>? Segments = null,
    long? VideoFramesDropped = null,
    string? EndReason = null,
    string? Error = null);

public static class WebhookEvents
{
    public const string RecordingStarted = "recording.started";
    public const string SegmentCompleted = "segment.completed";
    public const string RecordingCompleted = "recording.completed";
    public const string RecordingFailed = "recording.failed";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
