using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Recorder.Tests.Cli;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Service;

/// <summary>
/// The service as a process of its own: SIGTERM drains the recordings (each
/// finishes its segment), SIGKILL leaves the recording process to finish its
/// segment on its own, and the next start says what happened.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceProcessTests(CephFixture ceph, ITestOutputHelper log) : IDisposable
{
    private readonly CliFiles _files = new();
    private readonly string _state = Directory.CreateTempSubdirectory("recorder-service-").FullName;

    [Fact]
    public async Task SIGTERM_finishes_the_running_segment_keeps_the_schedule_and_exits_0()
    {
        var bucket = await ceph.CreateBucketAsync("drain");
        var (hostKey, recipient) = _files.NewIdentity("host.key");
        string token, running, later;
        await using (var service = await ServiceProcess.StartAsync(ceph, bucket, _state))
        {
            try
            {
                (token, running, later) = await StartRecordingAsync(service, recipient);
                await Task.Delay(3000);
                await service.SignalAsync("TERM");
                Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(75)), "the service did not exit within the drain timeout");
                Assert.Equal(0, service.ExitCode);
            }
            finally
            {
                log.WriteLine(service.Output);
            }
        }

        await using var restarted = await ServiceInstance.StartAsync(ceph, bucket, stateDirectory: _state, output: log);
        var recording = await restarted.GetRecordingAsync(token, running);
        Assert.Equal(("completed", "the service was shutting down"), (recording.GetProperty("state").GetString(), recording.GetProperty("endReason").GetString()));
        var segment = Assert.Single(recording.GetProperty("segments").EnumerateArray());
        await AssertPlayableAsync(hostKey, segment, 2.5, 15);
        Assert.Equal("scheduled", (await restarted.GetRecordingAsync(token, later)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task After_SIGKILL_the_recording_process_finishes_its_segment_alone_and_the_restart_says_so()
    {
        var bucket = await ceph.CreateBucketAsync("killed");
        var (hostKey, recipient) = _files.NewIdentity("host.key");
        string token, running;
        await using (var service = await ServiceProcess.StartAsync(ceph, bucket, _state))
        {
            (token, running, _) = await StartRecordingAsync(service, recipient);
            await Task.Delay(3000);
            await service.SignalAsync("KILL");
            Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            log.WriteLine(service.Output);
        }

        // The recording process noticed its supervisor is gone (stdin closed) and stops by itself, well before its 120 s meeting ends.
        var until = DateTime.UtcNow.AddSeconds(30);
        while (RecordingProcesses.Of(running).Count > 0 && DateTime.UtcNow < until) await Task.Delay(200);
        Assert.Empty(RecordingProcesses.Of(running));

        await using var restarted = await ServiceInstance.StartAsync(ceph, bucket, stateDirectory: _state, output: log);
        var recording = await restarted.GetRecordingAsync(token, running);
        Assert.Equal("failed", recording.GetProperty("state").GetString());
        Assert.StartsWith("the service stopped without draining while this recording ran", recording.GetProperty("error").GetString());
        // What it stored is complete: the manifest (written by the recording process) lists a segment that opens.
        using var manifest = JsonDocument.Parse(await ceph.ReadObjectAsync(recording.GetProperty("manifest").GetString()!));
        Assert.Equal("completed", manifest.RootElement.GetProperty("state").GetString());
        var segment = Assert.Single(manifest.RootElement.GetProperty("segments").EnumerateArray());
        await AssertPlayableAsync(hostKey, segment, 2.5, 15, uriProperty: "location");
    }

    /// <summary>Registers a host, starts a 2-minute meeting now and schedules another for tomorrow; waits until the first records.</summary>
    private static async Task<(string Token, string Running, string Later)> StartRecordingAsync(ServiceProcess service, string recipient)
    {
        using var http = new HttpClient { BaseAddress = new Uri(service.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServiceInstance.DefaultOperatorToken);
        using var host = JsonDocument.Parse(await (await http.PostAsJsonAsync("/hosts", new { name = "Nia", recipients = new[] { recipient } })).Content.ReadAsStringAsync());
        var token = host.RootElement.GetProperty("token").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        async Task<string> Create(object body) =>
            JsonDocument.Parse(await (await http.PostAsJsonAsync("/recordings", body)).Content.ReadAsStringAsync()).RootElement.GetProperty("recordingId").GetString()!;
        var running = await Create(new { meeting = "synthetic://?participants=2&seconds=120" });
        var later = await Create(new { meeting = "synthetic://", start = DateTimeOffset.UtcNow.AddDays(1).ToString("O") });
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            using var r = JsonDocument.Parse(await http.GetStringAsync($"/recordings/{running}"));
            if (r.RootElement.GetProperty("state").GetString() == "recording") return (token, running, later);
            await Task.Delay(200);
        }
        throw new TimeoutException($"recording {running} did not start");
    }

    private async Task AssertPlayableAsync(string identity, JsonElement segment, double minSeconds, double maxSeconds, string uriProperty = "uri")
    {
        var file = _files.Write($"{Guid.NewGuid():N}.age", await ceph.ReadObjectAsync(segment.GetProperty(uriProperty).GetString()!));
        var mp4 = Path.ChangeExtension(file, ".mp4");
        var age = await ProcessRunner.RunAsync("age", ["-d", "-i", identity, "-o", mp4, file], TimeSpan.FromMinutes(1));
        Assert.True(age.ExitCode == 0, age.StandardError);
        var probe = await MediaAnalysis.ProbeAsync(mp4);
        Assert.Equal(("h264", "aac"), (probe.VideoCodec, probe.AudioCodec));
        Assert.InRange(probe.DurationSeconds, minSeconds, maxSeconds);
    }

    public void Dispose()
    {
        _files.Dispose();
        Directory.Delete(_state, recursive: true);
    }
}
