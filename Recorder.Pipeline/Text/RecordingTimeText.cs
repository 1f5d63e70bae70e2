using System.Globalization;

namespace Recorder.Pipeline.Text;

/// <summary>
/// Points in a recording's time (<c>decrypt --from/--to</c>): <c>hh:mm:ss</c> or <c>mm:ss</c>
/// (seconds may have decimals), or a duration from the start as <see cref="DurationText"/> writes
/// it (<c>90s</c>, <c>10m</c>, <c>1h</c>); <c>0</c> and <c>0s</c> are the start.
/// </summary>
public static class RecordingTimeText
{
    public const string Examples = "hh:mm:ss, mm:ss, 90s, 10m or 1h";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t)) return false;
        if (t is "0" or "0s" or "0m" or "0h") return true;
        if (!t.Contains(':')) return DurationText.TryParse(t, out value);
        var parts = t.Split(':');
        if (parts.Length is < 2 or > 3) return false;
        var c = CultureInfo.InvariantCulture;
        var whole = parts[..^1];
        if (!whole.All(p => p.Length is > 0 and <= 6 && p.All(char.IsAsciiDigit))) return false;
        var last = parts[^1];
        if (last.Length is 0 or > 12 || !char.IsAsciiDigit(last[0]) || !last.All(ch => char.IsAsciiDigit(ch) || ch == '.')
            || !double.TryParse(last, NumberStyles.AllowDecimalPoint, c, out var seconds) || seconds >= 60) return false;
        var minutes = int.Parse(whole[^1], c);
        var hours = whole.Length == 2 ? int.Parse(whole[0], c) : 0;
        if (whole.Length == 2 && minutes >= 60) return false;
        value = TimeSpan.FromSeconds(hours * 3600.0 + minutes * 60.0 + seconds);
        return true;
    }

    /// <summary><c>hh:mm:ss</c>, with tenths when the time is not a whole second (<c>00:59:59.9</c>).</summary>
    public static string Format(double seconds)
    {
        var tenths = (long)Math.Round(Math.Max(0, seconds) * 10, MidpointRounding.AwayFromZero);
        var text = string.Create(CultureInfo.InvariantCulture, $"{tenths / 36000:00}:{tenths / 600 % 60:00}:{tenths / 10 % 60:00}");
        return tenths % 10 == 0 ? text : string.Create(CultureInfo.InvariantCulture, $"{text}.{tenths % 10}");
    }

    /// <summary>A length: <c>mm:ss.t</c> below an hour (<c>02:00.4</c>), else <c>hh:mm:ss.t</c>.</summary>
    public static string FormatLength(double seconds)
    {
        var tenths = (long)Math.Round(Math.Max(0, seconds) * 10, MidpointRounding.AwayFromZero);
        return tenths < 36000
            ? string.Create(CultureInfo.InvariantCulture, $"{tenths / 600:00}:{tenths / 10 % 60:00}.{tenths % 10}")
            : string.Create(CultureInfo.InvariantCulture, $"{tenths / 36000:00}:{tenths / 600 % 60:00}:{tenths / 10 % 60:00}.{tenths % 10}");
    }
}
