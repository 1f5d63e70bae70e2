namespace Recorder.Pipeline.Media;

/// <summary>
/// Picks the active speaker from per-participant audio levels: levels are
/// smoothed, and the speaker changes only when someone else has been clearly
/// louder (3 dB) for a while, so the layout does not flicker.
/// </summary>
public sealed class ActiveSpeakerDetector
{
    private const float Smoothing = 0.15f;       // per 20 ms block: ~130 ms time constant
    private const float SwitchRatio = 1.41f;     // 3 dB
    private const float SilenceLevel = 0.005f;
    private const int HoldBlocks = 25;           // 500 ms

    private readonly Dictionary<string, float> _smoothed = new();
    private string? _candidate;
    private int _candidateBlocks;

    public string? ActiveSpeakerId { get; private set; }

    /// <summary>Feeds one block's levels (parallel to <paramref name="ids"/>); returns the active speaker's id or null.</summary>
    public string? Update(IReadOnlyList<string> ids, ReadOnlySpan<float> levels)
    {
        string? loudest = null;
        var loudestLevel = 0f;
        for (var i = 0; i < ids.Count; i++)
        {
            var previous = _smoothed.GetValueOrDefault(ids[i]);
            var level = previous + (levels[i] - previous) * Smoothing;
            _smoothed[ids[i]] = level;
            if (level > loudestLevel)
            {
                loudest = ids[i];
                loudestLevel = level;
            }
        }

        if (ActiveSpeakerId is not null && !ids.Contains(ActiveSpeakerId)) ActiveSpeakerId = null;
        if (loudest is null || loudestLevel < SilenceLevel || loudest == ActiveSpeakerId)
        {
            _candidate = null;
            return ActiveSpeakerId;
        }

        var currentLevel = ActiveSpeakerId is null ? 0 : _smoothed[ActiveSpeakerId];
        if (ActiveSpeakerId is null || loudestLevel > currentLevel * SwitchRatio)
        {
            _candidateBlocks = loudest == _candidate ? _candidateBlocks + 1 : 1;
            _candidate = loudest;
            if (ActiveSpeakerId is null || _candidateBlocks >= HoldBlocks)
            {
                ActiveSpeakerId = loudest;
                _candidate = null;
            }
        }
        else
        {
            _candidate = null;
        }
        return ActiveSpeakerId;
    }

    /// <summary>Forgets participants who left (their smoothed level would otherwise linger).</summary>
    public void Forget(string id) => _smoothed.Remove(id);
}
