namespace Recorder.Service.Store;

/// <summary>
/// A recording's life: scheduled → joining → recording → finalizing →
/// completed | failed. The API writes them lower-case.
/// </summary>
public enum RecordingState
{
    Scheduled,
    Joining,
    Recording,
    Finalizing,
    Completed,
    Failed,
}

public static class RecordingStates
{
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<RecordingState>().Select(Name).ToArray();

    public static string Name(this RecordingState state) => state switch
    {
        RecordingState.Scheduled => "scheduled",
        RecordingState.Joining => "joining",
        RecordingState.Recording => "recording",
        RecordingState.Finalizing => "finalizing",
        RecordingState.Completed => "completed",
        RecordingState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static bool TryParse(string? text, out RecordingState state)
    {
        foreach (var s in Enum.GetValues<RecordingState>())
        {
            if (string.Equals(Name(s), text, StringComparison.Ordinal))
            {
                state = s;
                return true;
            }
        }
        state = default;
        return false;
    }

    public static RecordingState Parse(string text) =>
        TryParse(text, out var state) ? state : throw new FormatException($"unknown recording state '{text}'");

    public static bool IsTerminal(this RecordingState state) => state is RecordingState.Completed or RecordingState.Failed;

    /// <summary>A recording process runs (or should) for it.</summary>
    public static bool IsActive(this RecordingState state) => state is RecordingState.Joining or RecordingState.Recording or RecordingState.Finalizing;
}
