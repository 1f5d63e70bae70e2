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
