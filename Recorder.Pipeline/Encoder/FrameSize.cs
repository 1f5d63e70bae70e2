using System.Globalization;

namespace Recorder.Pipeline.Encoder;

/// <summary>The output picture size, written <c>WxH</c>: even numbers from 160x90 to 3840x2160.</summary>
public static class FrameSize
{
    public const string Rule = "even WxH between 160x90 and 3840x2160";

    public static bool TryParse(string? text, out int width, out int height)
    {
        width = height = 0;
        var parts = text?.Split('x');
        if (parts is { Length: 2 } && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            && w is >= 160 and <= 3840 && h is >= 90 and <= 2160 && w % 2 == 0 && h % 2 == 0)
        {
            (width, height) = (w, h);
            return true;
        }
        return false;
    }
}
