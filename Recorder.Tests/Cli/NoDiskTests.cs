using System.Text.Json;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Cli;

/// <summary>
/// The promise that nothing of a recording touches the worker's disk, checked
/// on the real program: the <c>recorder</c> launcher running <c>record</c> under
/// <c>strace -f</c>, with the .NET program it starts, its ffmpeg, its
/// encryption and its upload to the local S3.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NoDiskTests(CephFixture ceph, ITestOutputHelper log)
{
    private const string HostRecipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    [SkippableTheory]
    [InlineData("build")]
    [InlineData("native")] // as installed: compiled ahead of time (README, "CLI")
    public async Task A_recording_writes_nothing_to_disk_and_binds_no_socket_file(string form)
    {
        var launcher = RepositoryPaths.Launcher(form);
        using var files = new CliFiles();
        var (hostKey, hostRecipient) = files.NewIdentity("host.key");
        var bucket = await ceph.CreateBucketAsync("nodisk");
        var environment = Environment(withoutDiagnosticsSetting: true);
        var result = await DiskWriteAudit.RunAsync(launcher,
            ["record", "--meeting", "synthetic://?participants=4&seconds=4", "-r", hostRecipient, "--bucket", bucket, "--json"],
            TimeSpan.FromMinutes(2), environment);
        log.WriteLine(result.StandardError);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("segment-0001.mp4.age", result.StandardOutput);
        // The audit really followed the launcher into the .NET program and into ffmpeg.
        var started = result.Executed.ToList();
        Assert.Contains(started, l => l.Contains("/recorder-apphost\"", StringComparison.Ordinal));
        Assert.Contains(started, l => l.Contains("ffmpeg", StringComparison.Ordinal));
        Assert.True(result.Violations.Count == 0, "disk writes:\n" + string.Join('\n', result.Violations));

        // And what it stored is the meeting: the stock age CLI opens the segment with the host's key, ffprobe reads 4 s of it.
        using var document = JsonDocument.Parse(result.StandardOutput);
        var segmentUri = Assert.Single(document.RootElement.GetProperty("segments").EnumerateArray()).GetString()!;
        files.Write("segment.age", await ceph.ReadObjectAsync(segmentUri));
        var age = await ProcessRunner.RunAsync("age", ["-d", "-i", hostKey, "-o", files.PathOf("segment.mp4"), files.PathOf("segment.age")], TimeSpan.FromMinutes(1));
        Assert.True(age.ExitCode == 0, age.StandardError);
        var probe = await MediaAnalysis.ProbeAsync(files.PathOf("segment.mp4"));
        Assert.Equal(("h264", "aac"), (probe.VideoCodec, probe.AudioCodec));
        Assert.InRange(probe.DurationSeconds, 3.5, 4.5);
    }

    [Fact]
    public async Task Without_the_launcher_the_audit_sees_the_runtimes_diagnostic_socket()
    {
        // The negative control: the bare program, without the launcher's environment, binds the runtime's IPC socket in /tmp.
        var result = await DiskWriteAudit.RunAsync(RepositoryPaths.RecorderAppHost, ["keygen"], TimeSpan.FromMinutes(1),
            Environment(withoutDiagnosticsSetting: true));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.Violations, v => v.Contains("bind(", StringComparison.Ordinal) && v.Contains("dotnet-diagnostic", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_launcher_record_refuses_to_handle_media()
    {
        var result = await ProcessRunner.RunAsync(RepositoryPaths.RecorderAppHost,
            ["record", "--meeting", "synthetic://", "-r", HostRecipient, "--bucket", "unused"], TimeSpan.FromMinutes(1),
            Environment(withoutDiagnosticsSetting: true));
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("recorder: error: DOTNET_EnableDiagnostics=0 was not set when the runtime started", result.StandardError);
        Assert.Contains("recorder: hint: run the 'recorder' launcher script", result.StandardError);
    }

    private Dictionary<string, string?> Environment(bool withoutDiagnosticsSetting)
    {
        var env = new Dictionary<string, string?>(CliRunner.CephEnvironment(ceph.Options));
        if (withoutDiagnosticsSetting) env["DOTNET_EnableDiagnostics"] = null;
        return env;
    }
}
