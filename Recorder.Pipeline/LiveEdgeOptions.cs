using Recorder.Pipeline.Media;

namespace Recorder.Pipeline;

public sealed record LiveEdgeOptions
{
    public int Width { get; init; } = 1280;
    public int Height { get; init; } = 720;
    public int FrameRate { get; init; } = 30;
    public LayoutKind Layout { get; init; } = LayoutKind.Gallery;
    /// <summary>Stop after this much media time (null: until the meeting ends or the recording is stopped).</summary>
    public TimeSpan? MaxDuration { get; init; }
    /// <summary>Composited frames that may wait for the encoder: 8 × 1.4 MB at 720p. More are dropped, not queued.</summary>
    public int VideoQueueFrames { get; init; } = 8;
    /// <summary>How late the clock may be with a video frame and still produce it (catching up after a hiccup) instead of skipping it.</summary>
    public TimeSpan MaxVideoLateness { get; init; } = TimeSpan.FromMilliseconds(100);
    /// <summary>Mixed 20 ms audio blocks that may wait for the encoder (2 s).</summary>
    public int AudioQueueBlocks { get; init; } = 100;
}
