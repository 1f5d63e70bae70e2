using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Recorder.Service.Store;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Cli;

/// <summary>
/// <c>recorder status</c> (with and without --follow) and <c>recorder list</c> on
/// recordings that joined, recorded and ended. They are taken through the store's
/// transitions, the calls the service's recording job makes when its child reports
/// events, since a real recording through the service is another engineer's part
/// (<c>record --events</c>); the CLI reads them through the real API.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceFinishedRecordingsCliTests(CephFixture ceph, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>A follow that does not end at completed/failed would poll forever: fail instead.</summary>
    private static readonly TimeSpan FollowTimeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private ServiceInstance _service = null!;
    private string _hostId = null!;

    public async Task InitializeAsync()
    {
        _service = await ServiceInstance.StartAsync(ceph, await ceph.CreateBucketAsync("finished"), output);
        using var identity = Recorder.Crypto.Recipients.X25519Identity.Generate();
        using var added = JsonDocument.Parse((await RunAsync("hosts", "add", "--name", "Ann", "-r", identity.Recipient.ToString(), "--json")).StandardOutput);
        _hostId = added.RootElement.GetProperty("hostId").GetString()!;
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private IRecorderStore Store => _service.App.Services.GetRequiredService<IRecorderStore>();

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync(args, environment: _service.CliEnvironment(_service.OperatorToken));

    private async Task<string> AddScheduledAsync(string id, DateTimeOffset createdAt)
    {
        await Store.AddRecordingAsync(new RecordingRecord
        {
            Id = id, HostId = _hostId, MeetingUri = "synthetic://?participants=2&seconds=5", MeetingId = "synthetic-1", Layout = "gallery",
            Width = 1280, Height = 720, MaxDurationSeconds = 3600, StartAt = createdAt, CreatedAt = createdAt, State = RecordingState.Scheduled,
        }, default);
        return id;
    }

    [Fact]
    public async Task Status_shows_a_completed_recordings_times_segments_and_manifest_and_follow_exits_0()
    {
        var id = await AddScheduledAsync("rec-20260304T050607Z-0000000a", T0);
        var following = RunAsync("status", "--follow", id);
        await Task.Delay(1500);
        Assert.True(await Store.TryStartAsync(id, ["age1first", "kms:arn:aws:kms:eu-west-1:111122223333:key/k-1"], T0.AddSeconds(2), default));
        await Task.Delay(1500);
        Assert.True(await Store.SetStateAsync(id, RecordingState.Recording, T0.AddSeconds(4), null, null, default));
        await Store.AddSegmentAsync(id, new SegmentRecord(1, "s3://b/k/segment-0001.mp4.age", 1_000_000, "aa", 0, 30, "restart", true), default);
        await Store.AddSegmentAsync(id, new SegmentRecord(2, "s3://b/k/segment-0002.mp4.age", 2_000_000, "bb", 30, 62.5, "stopped", false), default);
        await Store.SetProgressAsync(id, 12, 3_000_000, default);
        await Store.SetManifestAsync(id, "s3://b/k/manifest.json", default);
        await Task.Delay(1500);
        Assert.True(await Store.SetStateAsync(id, RecordingState.Completed, T0.AddSeconds(100), "stopped", null, default));

        var followed = await following.WaitAsync(FollowTimeout);
        Assert.Equal((0, ""), (followed.ExitCode, followed.StandardError));
        var lines = followed.StandardOutputText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Each state as it was seen, with the time it was entered; the poll may miss a short one, never reorder.
        string[] all = ["2026-03-04T05:06:07Z  scheduled", "2026-03-04T05:06:09Z  joining", "2026-03-04T05:06:11Z  recording", "2026-03-04T05:07:47Z  completed"];
        Assert.Equal(all[0], lines[0]);
        Assert.Equal(all[^1], lines[^1]);
        Assert.Equal(lines, all.Where(lines.Contains));

        var json = await RunAsync("status", id, "--json");
        Assert.Equal("{\n  \"recordingId\": \"rec-20260304T050607Z-0000000a\",\n  \"state\": \"completed\",\n  \"segments\": [\n"
            + "    \"s3://b/k/segment-0001.mp4.age\",\n    \"s3://b/k/segment-0002.mp4.age\"\n  ],\n  \"manifest\": \"s3://b/k/manifest.json\",\n"
            + "  \"error\": null\n}\n", json.StandardOutputText);

        var human = await RunAsync("status", id);
        Assert.Equal((0, ""), (human.ExitCode, human.StandardError));
        Assert.Equal($"""
            recording       {id}
            state           completed
            host            {_hostId}
            meeting         synthetic://?participants=2&seconds=5
            layout          gallery, 1280x720, at most 1h
            start at        2026-03-04T05:06:07Z
            scheduled at    2026-03-04T05:06:07Z
            joining at      2026-03-04T05:06:09Z
            started late    2 s
            recording at    2026-03-04T05:06:11Z
            completed at    2026-03-04T05:07:47Z
            recipients      age1first, kms:arn:aws:kms:eu-west-1:111122223333:key/k-1
            segments        2
            segment 1       s3://b/k/segment-0001.mp4.age (1000000 bytes, 30 s, truncated)
            segment 2       s3://b/k/segment-0002.mp4.age (2000000 bytes, 62.5 s)
            manifest        s3://b/k/manifest.json
            dropped frames  12
            uploaded        3000000 bytes
            end reason      stopped

            """, human.StandardOutputText);
    }

    [Fact]
    public async Task Status_of_a_failed_recording_shows_the_error_and_follow_exits_1()
    {
        var id = await AddScheduledAsync("rec-20260304T050607Z-0000000b", T0);
        Assert.True(await Store.TryStartAsync(id, ["age1first"], T0.AddSeconds(1), default));
        Assert.True(await Store.SetStateAsync(id, RecordingState.Failed, T0.AddSeconds(3), "error", "the meeting could not be joined", default));

        var followed = await RunAsync("status", "--follow", id).WaitAsync(FollowTimeout);
        Assert.Equal((1, "2026-03-04T05:06:10Z  failed\n", $"recorder: error: recording {id} failed: the meeting could not be joined\n"),
            (followed.ExitCode, followed.StandardOutputText, followed.StandardError));
        var json = await RunAsync("status", "--follow", "--json", id).WaitAsync(FollowTimeout);
        Assert.Equal(1, json.ExitCode);
        Assert.Equal($"recorder: 2026-03-04T05:06:10Z  failed\nrecorder: error: recording {id} failed: the meeting could not be joined\n", json.StandardError);
        using var document = JsonDocument.Parse(json.StandardOutput);
        Assert.Equal(("failed", "the meeting could not be joined"), (document.RootElement.GetProperty("state").GetString(), document.RootElement.GetProperty("error").GetString()));

        var human = await RunAsync("status", id);
        Assert.Equal(0, human.ExitCode); // the query succeeded; the recording's failure is in what it prints
        Assert.EndsWith("failed at       2026-03-04T05:06:10Z\nrecipients      age1first\nsegments        0\nmanifest        -\n"
            + "dropped frames  0\nuploaded        0 bytes\nend reason      error\nerror           the meeting could not be joined\n", human.StandardOutputText);
    }

    [Fact]
    public async Task List_follows_the_services_pages_until_everything_or_the_limit_is_listed()
    {
        // More than one page of the service's largest (200), so the CLI must follow the 'next' cursor.
        for (var i = 0; i < 203; i++)
            await AddScheduledAsync(string.Create(CultureInfo.InvariantCulture, $"rec-20260304T050607Z-{i:x8}"), T0.AddSeconds(i));

        var all = await RunAsync("list", "--json");
        Assert.Equal((0, ""), (all.ExitCode, all.StandardError));
        using (var document = JsonDocument.Parse(all.StandardOutput))
        {
            var ids = document.RootElement.GetProperty("recordings").EnumerateArray().Select(r => r.GetProperty("recordingId").GetString()!).ToArray();
            Assert.Equal(Enumerable.Range(0, 203).Reverse().Select(i => string.Create(CultureInfo.InvariantCulture, $"rec-20260304T050607Z-{i:x8}")), ids);
        }

        var limited = await RunAsync("list", "--limit", "201", "--json");
        using (var document = JsonDocument.Parse(limited.StandardOutput))
            Assert.Equal(201, document.RootElement.GetProperty("recordings").GetArrayLength());
        var lines = (await RunAsync("list", "--state", "scheduled")).StandardOutputText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(204, lines.Length); // a header and every recording
    }
}
