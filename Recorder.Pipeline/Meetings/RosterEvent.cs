namespace Recorder.Pipeline.Meetings;

public enum RosterEventKind
{
    Joined,
    Left,
    Muted,
    Unmuted,
    StartedSpeaking,
    StoppedSpeaking,
}

/// <summary>Something that happened to a participant, at a recording time.</summary>
public sealed record RosterEvent(TimeSpan At, RosterEventKind Kind, string ParticipantId, string DisplayName);
