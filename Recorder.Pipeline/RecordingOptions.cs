using Recorder.Pipeline.Encoder;
using Recorder.Pipeline.Media;

namespace Recorder.Pipeline;

public sealed record RecordingOptions
{
    public required string RecordingId { get; init; }
    public required string HostId { get; init; }
    public required string MeetingId { get; init; }
    public FfmpegEncoderOptions Encoder { get; init; } = new();
    public LayoutKind Layout { get; init; } = LayoutKind.Gallery;
    /// <summary>Stop after this much media time; null records until the meeting ends or the recording is stopped.</summary>
    public TimeSpan? MaxDuration { get; init; }
    /// <summary>A new segment (new file key, new object) starts after this much media time.</summary>
    public TimeSpan MaxSegmentDuration { get; init; } = TimeSpan.FromHours(1);
    /// <summary>How often a dying encoder is restarted (each time in a new segment) before the recording fails.</summary>
    public int MaxEncoderRestarts { get; init; } = 3;
    public int VideoQueueFrames { get; init; } = 8;
    public int AudioQueueBlocks { get; init; } = 100;
    /// <summary>Run on the wall clock (null: whenever the source is live, i.e. not computed on demand).</summary>
    public bool? RealTime { get; init; }
    /// <summary>A take-over: the recording goes on after what its dead worker left (which is completed and listed too).</summary>
    public Output.RecordingContinuation? Continuation { get; init; }
    /// <summary>With <see cref="Continuation"/>: record nothing more, only complete what the dead worker left and close the manifest.</summary>
    public bool FinishOnly { get; init; }
    /// <summary>The lease epoch (fencing counter) this run holds, stored in the manifest and on every object it writes.</summary>
    public long? LeaseEpoch { get; init; }
    /// <summary>
    /// How often the manifest is stored with the open segment's start and fragment index, so that a take-over
    /// knows the times of a segment its worker could not finish. Null: only when a segment ends.
    /// </summary>
    public TimeSpan? ManifestCheckpointInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// At a low bit rate a 64 KiB age chunk takes seconds to fill, and until it is full it is not sealed, so not
    /// stored: when the open chunk is older than this at a fragment boundary, an MP4 <c>free</c> box (which players
    /// skip) fills it, so that what a crash can lose stays within seconds at any bit rate. Null: never pad.
    /// </summary>
    public TimeSpan? SealChunkAfter { get; init; } = TimeSpan.FromSeconds(1);

    internal LiveEdgeOptions LiveEdge => new()
    {
        Width = Encoder.Width,
        Height = Encoder.Height,
        FrameRate = Encoder.FrameRate,
        Layout = Layout,
        MaxDuration = MaxDuration,
        VideoQueueFrames = VideoQueueFrames,
        AudioQueueBlocks = AudioQueueBlocks,
    };

    /// <summary>
    /// Upper bound of the raw media the pipeline holds, in bytes: the pooled
    /// video frames and audio blocks (the encoder's and the uploader's buffers
    /// are bounded separately, see docs/pipeline.md).
    /// </summary>
    public long RawMediaBoundBytes =>
        (long)VideoQueueFrames * I420Frame.SizeOf(Encoder.Width, Encoder.Height) + (long)AudioQueueBlocks * Media.AudioMixer.BlockSamples * sizeof(short);
}
