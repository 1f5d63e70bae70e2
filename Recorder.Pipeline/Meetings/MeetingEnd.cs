namespace Recorder.Pipeline.Meetings;

/// <summary>Why a meeting ended on its own (not because the recording was stopped).</summary>
public sealed record MeetingEnd(TimeSpan At, string Reason);
