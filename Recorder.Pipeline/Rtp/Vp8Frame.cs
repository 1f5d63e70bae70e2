namespace Recorder.Pipeline.Rtp;

/// <summary>One complete VP8 frame reassembled from RTP; <see cref="Data"/> is valid until the depacketizer's next push.</summary>
public readonly record struct Vp8Frame(ReadOnlyMemory<byte> Data, uint Timestamp, bool IsKeyframe, int Width, int Height);
