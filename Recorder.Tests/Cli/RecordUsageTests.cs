using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// <c>record</c>'s newer flags as a table of (arguments, exact stderr): a usage
/// error exits 2 before anything connects, and prints nothing on stdout — not
/// even with <c>--events</c>, whose lines start only once a recording does.
/// </summary>
public sealed class RecordUsageTests
{
    private const string Host = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
    private const string Janus = "janus://127.0.0.1:8088/janus?room=1";

    public static TheoryData<string, string[], string> Table() => new()
    {
        { "--events and --json are two output contracts, one at a time", ["--events", "--json"],
            "recorder: error: --events and --json cannot be used together\n"
            + "recorder: hint: --events prints a JSON line per event as it happens, --json one document at the end: choose one\n" },
        { "a recording id becomes part of object keys", ["--recording-id", "a/b"],
            "recorder: error: --recording-id a/b: expected letters, digits, '.', '_' and '-' (1-64)\nrecorder: hint: e.g. --recording-id rec-2026-0001\n" },
        { "a recording id has at most 64 characters", ["--recording-id", new string('r', 65)],
            $"recorder: error: --recording-id {new string('r', 65)}: expected letters, digits, '.', '_' and '-' (1-64)\nrecorder: hint: e.g. --recording-id rec-2026-0001\n" },
        { "the display name is given once", ["--meeting", Janus + "&display=Rec", "--display-name", "Recording"],
            "recorder: error: give the display name once: --display-name or display= in the meeting URI, not both\n" },
        { "a display name has at most 64 characters", ["--display-name", new string('n', 65)],
            "recorder: error: --display-name: expected 1 to 64 characters, no control characters\n" },
        { "a display name has no control characters", ["--display-name", "Rec\u001b[2J"],
            "recorder: error: --display-name: expected 1 to 64 characters, no control characters\n" },
        { "the URI's display= follows the same rule", ["--meeting", Janus + "&display=%07"],
            "recorder: error: --meeting: display must be 1 to 64 characters, no control characters\n"
            + "recorder: hint: e.g. --meeting \"synthetic://?participants=4&seconds=20\"\n" },
    };

    [Fact]
    public async Task The_meeting_comes_from_the_flag_or_the_environment()
    {
        var none = await CliRunner.RunAsync(["record", "-r", Host, "--bucket", "b"]);
        Assert.Equal((2, "recorder: error: which meeting? give --meeting URI\n"
            + "recorder: hint: or set RECORDER_MEETING, which keeps a PIN or room secret out of the process list\n"), (none.ExitCode, none.StandardError));
        // From the environment it is read and checked exactly like the flag (the service passes it so).
        var bad = await CliRunner.RunAsync(["record", "-r", Host, "--bucket", "b"], environment: new Dictionary<string, string?> { ["RECORDER_MEETING"] = "rtmp://x" });
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("recorder: error: --meeting: unknown meeting URI scheme 'rtmp'", bad.StandardError);
    }

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Usage_errors_exit_2_with_the_exact_message_and_nothing_on_stdout(string guards, string[] extra, string stderr)
    {
        var meeting = extra.Contains("--meeting") ? [] : new[] { "--meeting", "synthetic://?seconds=5" };
        var run = await CliRunner.RunAsync(["record", .. meeting, "-r", Host, "--bucket", "b", "--events", .. extra.Where(a => a != "--events")]);
        Assert.True(run.ExitCode == 2, $"{guards}: exit {run.ExitCode}, stderr: {run.StandardError}");
        Assert.Equal(stderr, run.StandardError);
        Assert.Empty(run.StandardOutput);
    }
}
