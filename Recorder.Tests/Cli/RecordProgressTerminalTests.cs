using System.Text.Json;
using System.Text.RegularExpressions;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// <c>record</c> on a terminal (a pseudo-terminal from util-linux <c>script</c>): its progress
/// is drawn live on stderr with the media time, participants, the segment and the upload,
/// while stdout (redirected to a file) is still exactly the --json document; with --quiet
/// the terminal stays blank.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RecordProgressTerminalTests(CephFixture ceph) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly CliFiles _files = new();

    [SkippableFact]
    public async Task Record_draws_its_progress_on_the_terminal_and_keeps_stdout_json()
    {
        Skip.If(!File.Exists("/usr/bin/script"), "util-linux script is not installed");
        var recorder = RepositoryPaths.RecorderLauncher;
        var bucket = await ceph.CreateBucketAsync("ptyrec");
        var (_, recipient) = _files.NewIdentity("host.key");
        var env = new Dictionary<string, string?>(CliRunner.CephEnvironment(ceph.Options)) { ["TERM"] = "xterm-256color", ["COLUMNS"] = "160" };
        string Line(string extra, string output) =>
            $"'{recorder}' record {extra}--meeting 'synthetic://?participants=3&seconds=3&size=320x180' -r {recipient} --bucket {bucket} --size 320x180 --json "
            + $"> '{_files.PathOf(output)}' < /dev/null";

        var shown = await ProcessRunner.RunAsync("/usr/bin/script", ["-qfec", Line("", "shown.json"), "/dev/null"], Timeout, env);
        var quiet = await ProcessRunner.RunAsync("/usr/bin/script", ["-qfec", Line("--quiet ", "quiet.json"), "/dev/null"], Timeout, env);

        Assert.True(shown.ExitCode == 0, shown.StandardOutput);
        var text = Regex.Replace(shown.StandardOutput, @"\x1b\[[0-9;?]*[A-Za-z]", "");
        Assert.Contains("\x1b[", shown.StandardOutput);
        Assert.Matches(new Regex(@"recording: 00:00:0\d, 3 participants"), text); // while the meeting is on
        Assert.Matches(new Regex(@"recording: 00:00:0\d, \d participants, segment 1, [0-9.]+ (B|KiB|MiB) uploaded, \d+ parts in flight, \d+ frames dropped, \d+ retries"), text);
        Assert.Contains($"recorder: recording synthetic meeting (3 participants, 3 s) to s3://{bucket}/", text);
        Assert.Equal((0, ""), (quiet.ExitCode, quiet.StandardOutput));
        foreach (var name in new[] { "shown.json", "quiet.json" })
        {
            using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(_files.PathOf(name)));
            Assert.StartsWith($"s3://{bucket}/", json.RootElement.GetProperty("manifest").GetString());
            Assert.Single(json.RootElement.GetProperty("segments").EnumerateArray());
        }
    }

    public void Dispose() => _files.Dispose();
}
