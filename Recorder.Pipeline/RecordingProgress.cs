namespace Recorder.Pipeline;

/// <summary>A snapshot of a running recording.</summary>
public sealed record RecordingProgress(TimeSpan MediaPosition, int CurrentSegment, int CompletedSegments, long VideoFramesDropped, int EncoderRestarts);
