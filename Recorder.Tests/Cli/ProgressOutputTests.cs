using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Recorder.Cli;
using Recorder.Cli.Progress;
using Recorder.Pipeline;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// Progress on stderr, on and off a terminal: plain lines when stderr is a pipe, a live
/// Spectre.Console display on a pseudo-terminal (util-linux <c>script</c>), nothing with
/// --quiet, and stdout (the data) byte-exact either way.
/// </summary>
public sealed class ProgressOutputTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly CliFiles _files = new();

    private static (CliOutput Output, StringWriter Stderr) PlainOutput(bool quiet)
    {
        var stderr = new StringWriter { NewLine = "\n" };
        var console = new CliConsole(Stream.Null, Stream.Null, TextWriter.Synchronized(stderr), _ => null);
        return (new CliOutput(console) { Quiet = quiet }, stderr);
    }

    [Fact]
    public async Task Off_a_terminal_progress_is_plain_lines_with_bytes_total_rate_and_time_left_then_a_closing_line()
    {
        var (output, stderr) = PlainOutput(quiet: false);
        await using (var progress = TransferProgress.Start(output, "decrypt", 1024 * 1024, TimeSpan.FromMilliseconds(20)))
        {
            progress.Advance(256 * 1024);
            while (!stderr.ToString().Contains("256.0 KiB of 1.0 MiB")) await Task.Delay(10);
            progress.Advance(768 * 1024);
            progress.Complete();
        }

        // A line every interval (the first ones may come before anything was counted), then the closing line.
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines[..^1], line => Assert.Matches(
            new Regex(@"^recorder: decrypt: (0 B|256\.0 KiB|1\.0 MiB) of 1\.0 MiB, [0-9.]+ (B|KiB|MiB|GiB)/s(, \d+:\d\d:\d\d left)?$"), line));
        Assert.Contains(lines, line => Regex.IsMatch(line, @"^recorder: decrypt: 256\.0 KiB of 1\.0 MiB, [0-9.]+ (B|KiB|MiB|GiB)/s, \d+:\d\d:\d\d left$"));
        Assert.Matches(new Regex(@"^recorder: decrypt: 1\.0 MiB in \d+\.\d s \([0-9.]+ (B|KiB|MiB|GiB)/s\)$"), lines[^1]);
    }

    [Fact]
    public async Task A_transfer_of_unknown_length_shows_bytes_and_rate_only()
    {
        var (output, stderr) = PlainOutput(quiet: false);
        await using (var progress = TransferProgress.Start(output, "encrypt", null, TimeSpan.FromMilliseconds(20)))
        {
            await progress.Reading(new MemoryStream(new byte[5000])).CopyToAsync(Stream.Null);
            Assert.Equal(5000, progress.Bytes);
            while (!stderr.ToString().Contains("4.9 KiB")) await Task.Delay(10);
        }
        // No total: no "of", no time left (lines before the copy say 0 B); and not completed: no closing line.
        Assert.All(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries),
            line => Assert.Matches(new Regex(@"^recorder: encrypt: (0 B|4\.9 KiB), [0-9.]+ (B|KiB|MiB|GiB)/s$"), line));
    }

    [Fact]
    public async Task Quiet_prints_no_progress_at_all()
    {
        var (output, stderr) = PlainOutput(quiet: true);
        await using (var progress = TransferProgress.Start(output, "encrypt", 100, TimeSpan.FromMilliseconds(5)))
        {
            progress.Advance(50);
            await Task.Delay(200); // 40 intervals: lines would have been written by now
            progress.Complete();
        }
        Assert.Equal("", stderr.ToString());
    }

    [Fact]
    public void The_record_line_has_time_participants_upload_parts_drops_and_retries()
    {
        var line = Recorder.Cli.Commands.RecordingRun.Describe(
            new RecordingProgress(TimeSpan.FromSeconds(83), 2, 1, 7, 0, 3, 5L * 1024 * 1024, 2, 4) { Participants = 4 });
        Assert.Matches(new Regex(@"^00:01:23, 4 participants, segment 2, 5\.0 MiB uploaded, 2 parts in flight, 7 frames dropped, 4 retries, memory \d+ MiB$"), line);
    }

    public static TheoryData<string> Forms() => ["build", "native"];

    [SkippableTheory]
    [MemberData(nameof(Forms))]
    public async Task On_a_terminal_progress_is_drawn_live_on_stderr_and_stdout_stays_byte_exact(string form)
    {
        var recorder = RepositoryPaths.Launcher(form);
        Skip.If(!File.Exists("/usr/bin/script"), "util-linux script is not installed");
        var (key, recipient) = _files.NewIdentity("key.txt");
        var plaintext = AgeTestDataForCli.Random(8 * 1024 * 1024);
        var input = _files.Write("in.bin", plaintext);

        // stderr is the pseudo-terminal; stdout goes to a file (the shell's redirection inside the terminal).
        var shown = await InTerminalAsync($"'{recorder}' encrypt -r {recipient} '{input}' > '{_files.PathOf("out.age")}'");
        var quiet = await InTerminalAsync($"'{recorder}' encrypt --quiet -r {recipient} -o '{_files.PathOf("quiet.age")}' '{input}'");
        var piped = await ProcessRunner.RunAsync(recorder, ["encrypt", "-r", recipient, "-o", _files.PathOf("piped.age"), input], Timeout);

        var text = Regex.Replace(shown, @"\x1b\[[0-9;?]*[A-Za-z]", "");
        Assert.Contains("\x1b[", shown); // drawn with terminal control sequences
        Assert.Matches(new Regex(@"encrypt: 8\.0 MiB of 8\.0 MiB, [0-9.]+ (KiB|MiB|GiB)/s .*100%"), text);
        Assert.Equal("", quiet);
        // Off a terminal: at most plain lines (one every 5 s: none at all unless the machine is slow), no control sequences.
        Assert.Equal((0, ""), (piped.ExitCode, ProgressLines.Strip(piped.StandardError)));
        Assert.False(piped.StandardError.Contains('\x1b'), $"control sequences off a terminal: {piped.StandardError.Replace("\x1b", "ESC")}");
        foreach (var name in new[] { "out.age", "quiet.age", "piped.age" })
        {
            var opened = await ProcessRunner.RunAsync("age", ["-d", "-i", key, _files.PathOf(name)], Timeout);
            Assert.Equal(0, opened.ExitCode);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(plaintext)),
                Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(await DecryptToFileAsync(key, name)))));
        }
    }

    private async Task<string> DecryptToFileAsync(string key, string name)
    {
        var path = _files.PathOf(name + ".out");
        var age = await ProcessRunner.RunAsync("age", ["-d", "-i", key, "-o", path, _files.PathOf(name)], Timeout);
        Assert.True(age.ExitCode == 0, age.StandardError);
        return path;
    }

    /// <summary>Runs a shell command line under util-linux script: its terminal's output (stdin from /dev/null).</summary>
    private static async Task<string> InTerminalAsync(string commandLine)
    {
        var result = await ProcessRunner.RunAsync("/usr/bin/script", ["-qfec", commandLine + " < /dev/null", "/dev/null"], Timeout,
            new Dictionary<string, string?> { ["TERM"] = "xterm-256color", ["COLUMNS"] = "120" });
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        return result.StandardOutput;
    }

    public void Dispose() => _files.Dispose();
}
