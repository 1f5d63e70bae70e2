using Recorder.Pipeline.Media;

namespace Recorder.Pipeline.Meetings;

/// <summary>
/// One person in the meeting as the mixer sees them. A connector fills the
/// participant's buffers from the network; the recording clock pulls from
/// them, so reads must be cheap and must never block.
/// </summary>
public abstract class Participant(string id, string displayName)
{
    public string Id { get; } = id;
    public string DisplayName { get; } = displayName;

    /// <summary>
    /// Fills <paramref name="samples"/> with 48 kHz mono PCM for recording time
    /// <paramref name="at"/>. Returns false when the participant has nothing to
    /// say for that interval (muted, audio-only gap, no audio track): silence.
    /// </summary>
    public abstract bool ReadAudio(TimeSpan at, Span<short> samples);

    /// <summary>
    /// The participant's latest picture at recording time <paramref name="at"/>,
    /// or null when it has no video. The frame belongs to the participant and
    /// is valid until the next call.
    /// </summary>
    public abstract I420Frame? ReadVideo(TimeSpan at);

    public override string ToString() => $"{DisplayName} ({Id})";
}
