using System.Globalization;

namespace Recorder.Cli.IO;

/// <summary>Durations as the CLI contract writes them: <c>90s</c>, <c>10m</c>, <c>1h</c> or <c>hh:mm:ss</c>.</summary>
internal static class DurationParser
{
    public static TimeSpan Parse(string text, string option)
    {
        var t = text.Trim();
        if (t.Contains(':'))
        {
            var parts = t.Split(':');
            if (parts.Length == 3 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))
                && int.Parse(parts[1], CultureInfo.InvariantCulture) < 60 && int.Parse(parts[2], CultureInfo.InvariantCulture) < 60)
            {
                return new TimeSpan(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
                    int.Parse(parts[2], CultureInfo.InvariantCulture));
            }
        }
        else if (t.Length > 1 && double.TryParse(t[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            TimeSpan? value = t[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                _ => null,
            };
            if (value is { } v) return v;
        }
        throw CliException.Usage($"{option} {text}: not a duration", "write durations as 90s, 10m, 1h or hh:mm:ss");
    }
}
