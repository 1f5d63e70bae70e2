using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>Guards the quick start: <c>recorder demo</c> records, audits and decrypts, leaving a key and a playable file.</summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DemoCommandTests(CephFixture ceph) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recorder-demo-test-").FullName;

    [Fact]
    public async Task Demo_leaves_an_owner_only_host_key_and_a_decrypted_recording_the_stock_age_can_reproduce()
    {
        var bucket = await ceph.CreateBucketAsync("demo");
        var run = await CliRunner.RunAsync(["demo", "--output", _folder, "--bucket", bucket, "--meeting", "synthetic://?participants=2&seconds=3&pace=fast"],
            environment: Environment());
        Assert.True(run.ExitCode == 0, run.StandardError);
        // The auditor's step: the manifest's signature by the demo's signing key, then each segment against it.
        Assert.Matches(@"recorder: demo: +s3://\S+/manifest\.json: recording rec-\S+, 1 segment\(s\), signature good, by SHA256:\S+ \(trusted\)\n", run.StandardError);
        Assert.Matches(@"recorder: demo: +segment 1: \d+ bytes, sha256 matches, for x25519:", run.StandardError);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, "signing-key")));
        // The product as a host uses it: through the service, state by state.
        foreach (var step in new[] { "2. the service runs at http://127.0.0.1:", "3. the operator registered the host: host-", "4. the host asked for a recording of " })
            Assert.Contains(step, run.StandardError);
        var states = System.Text.RegularExpressions.Regex.Matches(run.StandardError, @"^recorder: demo: +\d+\.\d s  (\w+)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        string[] order = ["scheduled", "joining", "recording", "finalizing", "completed"];
        Assert.Equal(states.OrderBy(s => Array.IndexOf(order, s)), states); // in order, each once (a fast recording may skip one between polls)
        Assert.Equal(states.Count, states.Distinct().Count());
        Assert.Equal("completed", states[^1]);

        var key = Path.Combine(_folder, "host.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        var mp4 = Path.Combine(_folder, "recording-0001.mp4");
        var probe = await MediaAnalysis.ProbeAsync(mp4);
        Assert.InRange(probe.DurationSeconds, 2.5, 3.5);

        // The stock age CLI with the same key gives the same bytes from the stored object.
        var segmentUri = run.StandardOutputText.Split('\n').Single(l => l.StartsWith("segment ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var keyPart = segmentUri[$"s3://{bucket}/".Length..];
        using var stored = await ceph.Client.GetObjectAsync(bucket, keyPart);
        using var ciphertext = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(ciphertext);
        var age = await ProcessRunner.RunAsync("age", ["-d", "-i", key, "-o", Path.Combine(_folder, "by-age.mp4")], TimeSpan.FromMinutes(1), standardInput: ciphertext.ToArray());
        Assert.True(age.ExitCode == 0, age.StandardError);
        Assert.Equal(await File.ReadAllBytesAsync(mp4), await File.ReadAllBytesAsync(Path.Combine(_folder, "by-age.mp4")));

        // The service kept the audit log as it went (scheduled, started, the segment, ended) and signed a checkpoint of it
        // when it stopped: the auditor's check of the whole bucket finds nothing wrong (a plain bucket's settings aside).
        var audit = await CliRunner.RunAsync(["audit", "--bucket", bucket, "--trust", Path.Combine(_folder, "signing-key.pub"), "--json"],
            environment: CliRunner.CephEnvironment(ceph.Options));
        using var report = System.Text.Json.JsonDocument.Parse(audit.StandardOutput);
        Assert.True(report.RootElement.GetProperty("findings").GetArrayLength() == 0, audit.StandardError);
        Assert.Equal((1, 4L, 4L), (report.RootElement.GetProperty("counts").GetProperty("recordings").GetInt32(),
            report.RootElement.GetProperty("counts").GetProperty("logEntries").GetInt64(), report.RootElement.GetProperty("log").GetProperty("checkpointSize").GetInt64()));
    }

    [Fact]
    public async Task Demo_keeps_an_existing_host_key_instead_of_overwriting_it()
    {
        var bucket = await ceph.CreateBucketAsync("demokeep");
        var key = Path.Combine(_folder, "host.key");
        await File.WriteAllTextAsync(key, "AGE-SECRET-KEY-1 an earlier key\n");
        var run = await CliRunner.RunAsync(["demo", "--output", _folder, "--bucket", bucket, "--meeting", "synthetic://?participants=1&seconds=1&pace=fast"],
            environment: Environment());
        Assert.True(run.ExitCode == 0, run.StandardError);
        var kept = Assert.Single(Directory.GetFiles(_folder), f => Path.GetFileName(f).StartsWith("host.key.", StringComparison.Ordinal));
        Assert.Equal("AGE-SECRET-KEY-1 an earlier key\n", await File.ReadAllTextAsync(kept));
        Assert.StartsWith("# created: ", await File.ReadAllTextAsync(key));
    }

    [Fact]
    public async Task Demo_without_an_S3_endpoint_says_how_to_get_one()
    {
        var run = await CliRunner.RunAsync(["demo", "--output", _folder]);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("recorder: error: no S3 endpoint: AWS_ENDPOINT_URL_S3 is not set\nrecorder: hint: scripts/demo.sh starts a local S3 (Ceph) and runs this demo\n", run.StandardError);
    }

    /// <summary>Ceph, and the service and recorder programs of this build (the demo runs the installed ones otherwise).</summary>
    private Dictionary<string, string?> Environment() => new(CliRunner.CephEnvironment(ceph.Options))
    {
        ["RECORDER_SERVICE_PROGRAM"] = ServiceProcess.Program,
        ["RECORDER_PROGRAM"] = ServiceInstance.RecorderProgram,
    };

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
