using Recorder.Pipeline.Meetings;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Janus;

/// <summary>When each participant was in the meeting, from the source's roster events, and checks of a recording against that.</summary>
internal static class RosterWindows
{
    /// <summary>Margin around a join or leave in which a tone may or may not be heard yet (network, playout delay, AAC).</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    /// <summary>Waits until the recording clock has reached <paramref name="at"/> (start-up takes a varying while).</summary>
    public static async Task RecordingTime(Recorder.Pipeline.Meetings.Janus.JanusMeetingSource source, TimeSpan at)
    {
        while (source.Now < at) await Task.Delay(20);
    }

    public static Dictionary<string, (TimeSpan Join, TimeSpan Leave)> Read(MeetingSource source, TimeSpan end)
    {
        var windows = new Dictionary<string, (TimeSpan Join, TimeSpan Leave)>();
        while (source.Events.TryRead(out var e))
        {
            if (e.Kind == RosterEventKind.Joined && !windows.ContainsKey(e.DisplayName)) windows[e.DisplayName] = (e.At, end);
            if (e.Kind == RosterEventKind.Left && windows.TryGetValue(e.DisplayName, out var w) && w.Leave == end) windows[e.DisplayName] = (w.Join, e.At);
        }
        return windows;
    }

    /// <summary>The tone is in every half second well inside the window, and in none well outside it.</summary>
    public static void AssertToneExactlyWhilePresent(short[] audio, double hz, (TimeSpan Join, TimeSpan Leave) window, string who, ITestOutputHelper log)
    {
        const int half = 24_000; // 0.5 s
        var seconds = audio.Length / 48_000.0;
        var heard = new List<string>();
        var shares = new List<string>();
        var failures = new List<string>();
        for (var t = 0.0; t + 0.5 <= seconds; t += 0.5)
        {
            var share = MediaAnalysis.SegmentedToneShare(audio.AsSpan((int)(t * 48_000), half), hz);
            heard.Add(share > 0.02 ? "#" : share < 0.002 ? "." : "?");
            shares.Add($"{share:0.000}");
            var start = TimeSpan.FromSeconds(t);
            var end = start + TimeSpan.FromSeconds(0.5);
            if (start >= window.Join + Margin && end <= window.Leave - Margin && share <= 0.02)
                failures.Add($"{who} ({hz} Hz) not heard at {t:0.0} s although present {window.Join.TotalSeconds:0.0}–{window.Leave.TotalSeconds:0.0} s (share {share:0.0000})");
            if ((end <= window.Join - Margin || start >= window.Leave + Margin) && share >= 0.002)
                failures.Add($"{who} ({hz} Hz) heard at {t:0.0} s outside {window.Join.TotalSeconds:0.0}–{window.Leave.TotalSeconds:0.0} s (share {share:0.0000})");
        }
        log.WriteLine($"{who,-6} {hz,4} Hz {string.Concat(heard)}");
        log.WriteLine($"       {string.Join(' ', shares)}");
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }
}
