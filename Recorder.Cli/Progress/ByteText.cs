using System.Globalization;

namespace Recorder.Cli.Progress;

/// <summary>Sizes, rates and durations as progress lines write them: <c>12.3 MiB</c>, <c>85.1 MiB/s</c>, <c>0:01:05</c>.</summary>
internal static class ByteText
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static string Format(long bytes)
    {
        if (bytes < 1024) return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }

    public static string Rate(long bytes, TimeSpan elapsed) =>
        elapsed.TotalSeconds <= 0 ? "0 B/s" : Format((long)(bytes / elapsed.TotalSeconds)) + "/s";

    public static string Duration(TimeSpan duration) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}:{duration.Minutes:00}:{duration.Seconds:00}");
}
