using System.Globalization;

namespace Recorder.Pipeline.Text;

/// <summary>
/// Durations as the CLI contract and the service's API write them: <c>90s</c>,
/// <c>10m</c>, <c>1h</c> (decimals allowed) or <c>hh:mm:ss</c>.
/// </summary>
public static class DurationText
{
    public const string Examples = "90s, 10m, 1h or hh:mm:ss";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (text is null) return false;
        var t = text.Trim();
        if (t.Contains(':'))
        {
            var parts = t.Split(':');
            if (parts.Length == 3 && parts.All(p => p.Length is > 0 and <= 6 && p.All(char.IsAsciiDigit))
                && int.Parse(parts[1], CultureInfo.InvariantCulture) < 60 && int.Parse(parts[2], CultureInfo.InvariantCulture) < 60)
            {
                value = new TimeSpan(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
                    int.Parse(parts[2], CultureInfo.InvariantCulture));
                return true;
            }
            return false;
        }
        if (t.Length > 1 && t.Length <= 16
            && double.TryParse(t[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            double? seconds = t[^1] switch
            {
                's' => n,
                'm' => n * 60,
                'h' => n * 3600,
                _ => null,
            };
            // TimeSpan's own limit is far above anything sensible; callers set their own maximum.
            if (seconds is { } s && s < 100L * 365 * 86_400)
            {
                value = TimeSpan.FromSeconds(s);
                return true;
            }
        }
        return false;
    }

    /// <summary>The shortest exact form: "2h", "90m", "45s", else the seconds with decimals ("2.5s").</summary>
    public static string Format(TimeSpan value)
    {
        var c = CultureInfo.InvariantCulture;
        return value.Ticks % TimeSpan.TicksPerHour == 0 ? ((long)value.TotalHours).ToString(c) + "h"
            : value.Ticks % TimeSpan.TicksPerMinute == 0 ? ((long)value.TotalMinutes).ToString(c) + "m"
            : value.TotalSeconds.ToString(c) + "s";
    }
}
