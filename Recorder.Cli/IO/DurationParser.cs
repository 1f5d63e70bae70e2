using Recorder.Pipeline.Text;

namespace Recorder.Cli.IO;

/// <summary>Durations as the CLI contract writes them: <c>90s</c>, <c>10m</c>, <c>1h</c> or <c>hh:mm:ss</c>.</summary>
internal static class DurationParser
{
    public static TimeSpan Parse(string text, string option) =>
        DurationText.TryParse(text, out var value)
            ? value
            : throw CliException.Usage($"{option} {text}: not a duration", $"write durations as {DurationText.Examples}");
}
