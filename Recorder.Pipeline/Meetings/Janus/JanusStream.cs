namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>One media stream a publisher announced (VideoRoom multistream: type, mid, codec).</summary>
public sealed record JanusStream(string Type, string Mid, string? Codec, bool Disabled);
