using Recorder.Tests.Cli;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Service;

/// <summary>
/// The process the service starts for a recording — the only one that holds
/// media and file keys — writes nothing to disk: the service runs it under
/// <c>strace -f</c> (a wrapper given as the recorder program), with its ffmpeg.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceNoDiskTests(CephFixture ceph, ITestOutputHelper log)
{
    [Fact]
    public async Task The_recording_process_the_service_starts_writes_nothing_to_disk()
    {
        using var files = new CliFiles();
        var trace = files.PathOf("strace.log");
        var wrapper = files.PathOf("recorder-under-strace");
        await File.WriteAllTextAsync(wrapper,
            $"#!/bin/sh\nexec strace -f -qq -s 256 -e trace={DiskWriteAudit.Syscalls} -o '{trace}' -- '{ServiceInstance.RecorderProgram}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var (_, recipient) = files.NewIdentity("host.key");
        await using var service = await ServiceInstance.StartAsync(ceph, await ceph.CreateBucketAsync("svcnodisk"),
            environment: new Dictionary<string, string?> { ["RECORDER_PROGRAM"] = wrapper }, output: log);
        var (_, token) = await service.AddHostAsync("Ona", [recipient]);

        var id = await service.ScheduleAsync(token, new { meeting = "synthetic://?participants=2&seconds=3" });
        var recording = await service.WaitUntilEndedAsync(token, id, TimeSpan.FromSeconds(90));
        Assert.Equal("completed", recording.GetProperty("state").GetString());

        var lines = await File.ReadAllLinesAsync(trace);
        var executed = lines.Where(l => l.Contains(" execve(\"", StringComparison.Ordinal) && !l.Contains("= -1 ", StringComparison.Ordinal)).ToList();
        Assert.Contains(executed, l => l.Contains("recorder-apphost\"", StringComparison.Ordinal)); // past the launcher, into the program
        Assert.Contains(executed, l => l.Contains("ffmpeg", StringComparison.Ordinal)); // and into its encoder
        Assert.Contains(lines, l => l.Contains(id, StringComparison.Ordinal)); // it was this recording
        var violations = lines.Where(DiskWriteAudit.IsViolation).ToList();
        Assert.True(violations.Count == 0, "disk writes:\n" + string.Join('\n', violations));
    }
}
