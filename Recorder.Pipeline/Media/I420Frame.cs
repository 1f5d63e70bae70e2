namespace Recorder.Pipeline.Media;

/// <summary>
/// A planar YUV 4:2:0 picture (I420: the Y plane, then U, then V, no padding),
/// the format ffmpeg's rawvideo yuv420p expects. Even dimensions only. The
/// buffer is allocated once and reused frame after frame.
/// </summary>
public sealed class I420Frame
{
    public I420Frame(int width, int height)
    {
        if (width <= 0 || width % 2 != 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive and even");
        if (height <= 0 || height % 2 != 0) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be positive and even");
        Width = width;
        Height = height;
        Buffer = new byte[SizeOf(width, height)];
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Buffer { get; }

    public int ChromaWidth => Width / 2;
    public int ChromaHeight => Height / 2;
    public Span<byte> Y => Buffer.AsSpan(0, Width * Height);
    public Span<byte> U => Buffer.AsSpan(Width * Height, ChromaWidth * ChromaHeight);
    public Span<byte> V => Buffer.AsSpan(Width * Height + ChromaWidth * ChromaHeight, ChromaWidth * ChromaHeight);

    public static int SizeOf(int width, int height) => checked(width * height + 2 * (width / 2) * (height / 2));
}
