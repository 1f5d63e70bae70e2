using System.Text.RegularExpressions;
using Amazon.S3.Model;
using Recorder.Tests.Cli;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Audit;

/// <summary>
/// <c>audit</c> on a terminal (a pseudo-terminal from util-linux <c>script</c>) draws a live line with the objects and
/// bytes checked, their rate and the time, while each recording's result and the findings scroll above it, and leaves
/// out the auditor's every-500-objects count lines; off a terminal (a log) it prints those count lines, as a
/// supervisor reads them. The bucket: one signed recording and 520 objects the recorder does not write.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AuditProgressTerminalTests(CephFixture ceph) : IDisposable
{
    private const int Strays = 520;
    private readonly SignedRecordings _fixtures = new(ceph);

    [SkippableFact]
    public async Task Audit_draws_a_live_count_on_a_terminal_and_prints_count_lines_elsewhere()
    {
        Skip.If(!File.Exists("/usr/bin/script"), "util-linux script is not installed");
        var bucket = await ceph.CreateBucketAsync("ptyaudit");
        var (_, host) = _fixtures.HostKey();
        var manifest = await _fixtures.RecordAsync(bucket, host, signingKey: null);
        await Parallel.ForEachAsync(Enumerable.Range(0, Strays), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await ceph.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"zz-other/{i:0000}.txt", ContentBody = "not a recording" }, ct));
        var environment = CliRunner.CephEnvironment(ceph.Options);

        var plain = await CliRunner.RunAsync(["audit", "--bucket", bucket], environment: environment);
        var done = Regex.Match(plain.StandardError, @"recorder: audit: done: (\d+) objects");
        Assert.True(done.Success, plain.StandardError);
        // The strays, and the recording's manifest and segments.
        var objects = int.Parse(done.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(objects, Strays + 2, Strays + 10);
        Assert.Contains("recorder: audit: 500 objects, 0 MiB checked\n", plain.StandardError);

        var env = new Dictionary<string, string?>(environment) { ["TERM"] = "xterm-256color", ["COLUMNS"] = "160" };
        var shown = await ProcessRunner.RunAsync("/usr/bin/script",
            ["-qfec", $"'{RepositoryPaths.RecorderLauncher}' audit --bucket {bucket} > /dev/null < /dev/null", "/dev/null"], TimeSpan.FromMinutes(3), env);

        Assert.True(shown.ExitCode == plain.ExitCode, shown.StandardOutput);
        Assert.Contains("\x1b[", shown.StandardOutput);
        var text = Regex.Replace(shown.StandardOutput, @"\x1b\[[0-9;?]*[A-Za-z]", "");
        Assert.Matches(new Regex($@"audit: {objects} objects, [0-9.]+ (KiB|MiB) checked, \d+ objects/s, 0:00:\d\d"), text);
        Assert.Contains($"recorder: audit: done: {objects} objects", text);
        Assert.Contains(manifest, text); // the recording's own line, above the live one
        Assert.DoesNotContain("recorder: audit: 500 objects, 0 MiB checked", text);
    }

    public void Dispose() => _fixtures.Dispose();
}
