namespace Recorder.Pipeline;

/// <summary>What the live edge produced and what it had to drop, updated from one thread and read from any.</summary>
public sealed class LiveEdgeStats
{
    private long _videoFrames;
    private long _videoDropped;
    private long _audioBlocks;
    private long _audioDropped;
    private int _participants;

    public long VideoFrames => Interlocked.Read(ref _videoFrames);
    public long VideoFramesDropped => Interlocked.Read(ref _videoDropped);
    public long AudioBlocks => Interlocked.Read(ref _audioBlocks);
    public long AudioBlocksDropped => Interlocked.Read(ref _audioDropped);

    /// <summary>Participants in the picture at the latest snapshot of the meeting (for progress displays).</summary>
    public int Participants => Volatile.Read(ref _participants);

    internal void VideoProduced() => Interlocked.Increment(ref _videoFrames);
    internal void VideoDropped(long count = 1) => Interlocked.Add(ref _videoDropped, count);
    internal void AudioProduced() => Interlocked.Increment(ref _audioBlocks);
    internal void AudioDropped() => Interlocked.Increment(ref _audioDropped);
    internal void ParticipantsSeen(int count) => Volatile.Write(ref _participants, count);

    public override string ToString() =>
        $"video {VideoFrames} frames ({VideoFramesDropped} dropped), audio {AudioBlocks} blocks ({AudioBlocksDropped} dropped)";
}
