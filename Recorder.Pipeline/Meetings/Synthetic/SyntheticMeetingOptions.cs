using System.Globalization;
using System.Web;

namespace Recorder.Pipeline.Meetings.Synthetic;

/// <summary>
/// The simulated meeting a <c>synthetic://</c> URI describes:
/// <code>synthetic://?participants=4&amp;seconds=20&amp;join=3:5,4:10&amp;leave=2:12&amp;marker=5&amp;names=Ann,Bo&amp;pace=fast</code>
/// Participants are numbered from 1. <c>join=P:S</c> / <c>leave=P:S</c> give
/// seconds; everyone else is present from 0 to the end. Participant P (index
/// P−1) speaks a tone of 300 + 150·(P−1) Hz and shows its own colour; every
/// <c>marker</c> seconds (0 = never) everyone claps and flashes white at once,
/// so A/V sync can be measured. Like a real meeting it runs in real time;
/// <c>pace=fast</c> lets the recording run as fast as the encoder allows.
/// <c>grain=N</c> (0–64) adds film grain of ±N to every camera's luma, a fresh
/// pattern each frame: the encoder then needs megabits per second, as for real
/// cameras (benchmarks of what a crash loses at a high bit rate).
/// </summary>
public sealed record SyntheticMeetingOptions
{
    public const int MaxParticipants = 16;
    private static readonly string[] DefaultNames =
        ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Ken", "Liam", "Mia", "Nina", "Omar", "Pia"];

    public int Participants { get; init; } = 4;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan MarkerInterval { get; init; } = TimeSpan.FromSeconds(5);
    public int CameraWidth { get; init; } = 640;
    public int CameraHeight { get; init; } = 360;
    public IReadOnlyList<string> Names { get; init; } = DefaultNames;
    public IReadOnlyDictionary<int, TimeSpan> JoinAt { get; init; } = new Dictionary<int, TimeSpan>();
    public IReadOnlyDictionary<int, TimeSpan> LeaveAt { get; init; } = new Dictionary<int, TimeSpan>();
    /// <summary>Record faster than real time (tests, benchmarks): media is computed on demand.</summary>
    public bool Fast { get; init; }
    /// <summary>Luma noise amplitude added to each camera frame (0: clean, flat video).</summary>
    public int Grain { get; init; }

    public static double ToneHz(int index) => 300 + 150 * index;

    public TimeSpan JoinTime(int index) => JoinAt.GetValueOrDefault(index, TimeSpan.Zero);
    public TimeSpan LeaveTime(int index) => LeaveAt.GetValueOrDefault(index, TimeSpan.MaxValue);
    public string Name(int index) => index < Names.Count ? Names[index] : $"Guest {index + 1}";

    public static SyntheticMeetingOptions Parse(Uri uri)
    {
        if (uri.Scheme != "synthetic") throw new ArgumentException($"not a synthetic:// meeting URI: {uri.Scheme}://", nameof(uri));
        var query = HttpUtility.ParseQueryString(uri.Query);
        var options = new SyntheticMeetingOptions();
        foreach (var key in query.AllKeys)
        {
            var value = query[key] ?? "";
            options = key switch
            {
                "participants" => options with { Participants = ParseInt(key, value, 1, MaxParticipants) },
                "seconds" => options with { Duration = TimeSpan.FromSeconds(ParseDouble(key, value, 0.1, 86_400)) },
                "marker" => options with { MarkerInterval = TimeSpan.FromSeconds(ParseDouble(key, value, 0, 3600)) },
                "size" => ParseSize(options, value),
                "names" => options with { Names = value.Split(',', StringSplitOptions.TrimEntries) },
                "join" => options with { JoinAt = ParseTimes(key, value) },
                "leave" => options with { LeaveAt = ParseTimes(key, value) },
                "grain" => options with { Grain = ParseInt(key, value, 0, 64) },
                "pace" => options with
                {
                    Fast = value switch
                    {
                        "fast" => true,
                        "live" => false,
                        _ => throw new FormatException($"pace must be live or fast, got '{value}'"),
                    },
                },
                _ => throw new FormatException($"unknown synthetic meeting parameter '{key}' (known: participants, seconds, marker, size, names, join, leave, pace, grain)"),
            };
        }
        foreach (var p in options.JoinAt.Keys.Concat(options.LeaveAt.Keys))
        {
            if (p >= options.Participants)
                throw new FormatException($"join/leave names participant {p + 1}, but the meeting has {options.Participants}");
        }
        return options;
    }

    private static SyntheticMeetingOptions ParseSize(SyntheticMeetingOptions options, string value)
    {
        var parts = value.Split('x');
        if (parts.Length != 2) throw new FormatException($"size must be WxH, got '{value}'");
        var w = ParseInt("size", parts[0], 16, 3840);
        var h = ParseInt("size", parts[1], 16, 2160);
        if (w % 2 != 0 || h % 2 != 0) throw new FormatException($"size must be even, got '{value}'");
        return options with { CameraWidth = w, CameraHeight = h };
    }

    /// <summary>"3:5,4:10" → {2: 5 s, 3: 10 s} (participant numbers from 1, stored as indices).</summary>
    private static Dictionary<int, TimeSpan> ParseTimes(string key, string value)
    {
        var result = new Dictionary<int, TimeSpan>();
        foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = item.Split(':');
            if (pair.Length != 2) throw new FormatException($"{key} takes PARTICIPANT:SECONDS pairs, got '{item}'");
            result[ParseInt(key, pair[0], 1, MaxParticipants) - 1] = TimeSpan.FromSeconds(ParseDouble(key, pair[1], 0, 86_400));
        }
        return result;
    }

    private static int ParseInt(string key, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{key} must be an integer from {min} to {max}, got '{value}'");

    private static double ParseDouble(string key, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= min && d <= max
            ? d
            : throw new FormatException($"{key} must be a number from {min} to {max}, got '{value}'");
}
