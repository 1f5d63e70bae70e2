namespace Recorder.Pipeline.Media;

/// <summary>
/// A colour in BT.601 limited-range YUV, the convention ffmpeg assumes for
/// untagged yuv420p — so tests that decode to RGB get the colour back.
/// </summary>
public readonly record struct YuvColor(byte Y, byte U, byte V)
{
    public static YuvColor FromRgb(byte r, byte g, byte b)
    {
        var y = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255;
        var u = 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255;
        var v = 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255;
        return new YuvColor(Clamp(y), Clamp(u), Clamp(v));
    }

    public static readonly YuvColor Black = FromRgb(0, 0, 0);
    public static readonly YuvColor White = FromRgb(255, 255, 255);
    public static readonly YuvColor Background = FromRgb(24, 24, 28);
    public static readonly YuvColor LabelBox = FromRgb(0, 0, 0);
    public static readonly YuvColor SpeakerBorder = FromRgb(255, 200, 0);

    private static byte Clamp(double value) => (byte)Math.Clamp((int)Math.Round(value), 0, 255);
}
