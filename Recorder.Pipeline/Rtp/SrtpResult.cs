namespace Recorder.Pipeline.Rtp;

/// <summary>What became of a packet given to <see cref="SrtpContext"/>: only <see cref="Ok"/> releases plaintext.</summary>
public enum SrtpResult
{
    Ok,
    /// <summary>Shorter than a header plus an authentication tag.</summary>
    Malformed,
    /// <summary>The tag does not match: wrong key, or the packet was altered.</summary>
    AuthenticationFailed,
    /// <summary>This packet index was already accepted.</summary>
    Replayed,
    /// <summary>Older than the replay window can tell.</summary>
    TooOld,
}
