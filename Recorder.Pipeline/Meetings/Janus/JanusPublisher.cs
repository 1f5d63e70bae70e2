using System.Text.Json.Nodes;

namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>A publisher as the VideoRoom announces it in <c>publishers</c> lists.</summary>
public sealed record JanusPublisher(string Id, string Display, IReadOnlyList<JanusStream> Streams)
{
    /// <summary>Reads one entry of a <c>publishers</c> array; null when it has no id.</summary>
    public static JanusPublisher? Parse(JsonNode? node)
    {
        if (node is not JsonObject o || o["id"] is not JsonValue idValue) return null;
        var id = idValue.ToString();
        var display = (string?)o["display"];
        var streams = new List<JanusStream>();
        if (o["streams"] is JsonArray array)
        {
            foreach (var s in array.OfType<JsonObject>())
            {
                var type = (string?)s["type"];
                var mid = (string?)s["mid"];
                if (type is null || mid is null) continue;
                streams.Add(new JanusStream(type, mid, (string?)s["codec"], (bool?)s["disabled"] ?? false));
            }
        }
        else
        {
            // Pre-multistream shape: audio_codec / video_codec, mids 0 and 1 by convention.
            if ((string?)o["audio_codec"] is { } audio) streams.Add(new JanusStream("audio", "0", audio, false));
            if ((string?)o["video_codec"] is { } video) streams.Add(new JanusStream("video", "1", video, false));
        }
        return new JanusPublisher(id, string.IsNullOrWhiteSpace(display) ? $"Publisher {id}" : display, streams);
    }

    /// <summary>The first live stream of <paramref name="type"/> in a codec the recorder decodes (Opus, VP8), if any.</summary>
    public JanusStream? Recordable(string type) => Streams.FirstOrDefault(s =>
        s.Type == type && !s.Disabled && (type == "audio" ? s.Codec is null or "opus" : s.Codec is null or "vp8"));
}
