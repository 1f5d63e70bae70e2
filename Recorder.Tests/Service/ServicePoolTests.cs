using System.Globalization;
using System.Text.Json;
using Amazon.S3.Model;
using Recorder.Tests.Cli;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Service;

/// <summary>
/// A pool of workers: several <c>recorder-service</c> processes on one
/// PostgreSQL (started by the localstack scripts) and one bucket. Each
/// recording is recorded by exactly one worker at a time (a lease with a
/// fencing epoch); a worker that dies, pauses or shuts down is replaced by
/// another, which continues the recording in a new segment and completes the
/// segment the dead one left as a truncated one.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServicePoolTests(PostgresFixture postgres, CephFixture ceph, HeadlessChromium chromium, ITestOutputHelper log)
    : IClassFixture<HeadlessChromium>, IDisposable
{
    /// <summary>The failover goal: the recording goes on in a new segment within this time of its worker's death.</summary>
    private const double FailoverGoalSeconds = 15;

    /// <summary>What a crash may lose of the media before it (the tail pieces' bound at any bit rate).</summary>
    private const double MediaAtRiskGoalSeconds = 5;

    private readonly CliFiles _files = new();

    [Fact]
    public async Task Three_workers_record_six_recordings_scheduled_at_once_each_exactly_once()
    {
        var (hostKey, recipient) = _files.NewIdentity("host.key");
        await using var pool = await WorkerPool.StartAsync(ceph, postgres, log, count: 3, capacity: 2);
        var token = await pool.AddHostAsync(recipient);
        var start = DateTimeOffset.UtcNow.AddSeconds(3).ToString("O", CultureInfo.InvariantCulture);
        var ids = new List<string>();
        for (var i = 0; i < 6; i++) ids.Add(await pool.CreateRecordingAsync(token, new { meeting = "synthetic://?participants=2&seconds=6", start }));

        foreach (var id in ids)
        {
            var recording = await pool.WaitForStateAsync(token, id, "completed", TimeSpan.FromSeconds(120));
            Assert.Equal("completed", recording.GetProperty("state").GetString());
            var segment = Assert.Single(recording.GetProperty("segments").EnumerateArray());
            Assert.EndsWith("/segment-0001.mp4.age", segment.GetProperty("uri").GetString());
            using var manifest = JsonDocument.Parse(await ceph.ReadObjectAsync(recording.GetProperty("manifest").GetString()!));
            Assert.Equal(1, manifest.RootElement.GetProperty("leaseEpoch").GetInt64()); // never taken over
        }
        // Exactly once: one process per recording in all the workers' logs together, and no worker beyond its capacity.
        Assert.All(ids, id => Assert.Equal(1, pool.Workers.Sum(w => pool.RunsOf(w, id))));
        Assert.All(pool.Workers, w => Assert.InRange(ids.Sum(id => pool.RunsOf(w, id)), 0, 2 * 3));
        await AssertPlayableAsync(hostKey, (await pool.GetRecordingAsync(token, ids[0])).GetProperty("segments")[0].GetProperty("uri").GetString()!, 5, 7);
    }

    [Fact]
    public async Task Ten_recordings_at_once_on_two_workers_of_capacity_three_six_run_four_wait_all_complete_none_twice()
    {
        var (_, recipient) = _files.NewIdentity("host.key");
        await using var pool = await WorkerPool.StartAsync(ceph, postgres, log, count: 2, capacity: 3);
        var token = await pool.AddHostAsync(recipient);
        var start = DateTimeOffset.UtcNow.AddSeconds(3).ToString("O", CultureInfo.InvariantCulture);
        var ids = new List<string>();
        for (var i = 0; i < 10; i++) ids.Add(await pool.CreateRecordingAsync(token, new { meeting = "synthetic://?participants=1&seconds=8", start }));

        var mostActive = 0;
        var waitingWhileFull = false;
        var until = DateTime.UtcNow.AddSeconds(150);
        while (DateTime.UtcNow < until)
        {
            var all = await pool.StatesAsync(token);
            var states = ids.Select(id => all[id]).ToList();
            var active = states.Count(s => s is "joining" or "recording" or "finalizing");
            mostActive = Math.Max(mostActive, active);
            waitingWhileFull |= active == 6 && states.Count(s => s == "scheduled") == 4;
            if (states.All(s => s is "completed" or "failed")) break;
            await Task.Delay(250);
        }

        Assert.Equal(6, mostActive);
        Assert.True(waitingWhileFull, "never saw 6 running and 4 waiting");
        var late = new List<double>();
        foreach (var id in ids)
        {
            var recording = await pool.GetRecordingAsync(token, id);
            Assert.Equal("completed", recording.GetProperty("state").GetString());
            Assert.Single(recording.GetProperty("segments").EnumerateArray());
            Assert.Equal(1, pool.Workers.Sum(w => pool.RunsOf(w, id)));
            late.Add(recording.GetProperty("startedLateSeconds").GetDouble());
        }
        // The four that waited say how late they started: about one recording's length.
        late.Sort();
        log.WriteLine($"started late (s): {string.Join(", ", late.Select(l => l.ToString("0.0", CultureInfo.InvariantCulture)))}");
        Assert.All(late.Take(6), l => Assert.InRange(l, 0, 3));
        Assert.All(late.Skip(6), l => Assert.InRange(l, 7, 40));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_SIGKILLed_worker_s_recording_goes_on_in_a_new_segment_on_another_within_15_s(bool recordingProcessDiesToo)
    {
        var (hostKey, recipient) = _files.NewIdentity("host.key");
        await using var pool = await WorkerPool.StartAsync(ceph, postgres, log, count: 2, capacity: 2);
        var token = await pool.AddHostAsync(recipient);
        var id = await pool.CreateRecordingAsync(token, new { meeting = "synthetic://?participants=2&seconds=300", maxDuration = "40s" });
        await pool.WaitForStateAsync(token, id, "recording", TimeSpan.FromSeconds(60));
        // A random moment, so that what is lost does not depend on where the kill falls in a fragment or a chunk.
        await Task.Delay(TimeSpan.FromSeconds(8 + Random.Shared.NextDouble() * 4));

        var victim = pool.WorkerRunning(id);
        var children = RecordingProcesses.Of(id);
        Assert.NotEmpty(children);
        var killedAt = DateTimeOffset.UtcNow;
        await victim.SignalAsync("KILL");
        if (recordingProcessDiesToo)
        {
            // The machine died: its recording process with it.
            foreach (var pid in children) await ProcessRunner.RunAsync("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        }
        Assert.True(await victim.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        var recording = await pool.WaitForStateAsync(token, id, "completed", TimeSpan.FromSeconds(120));
        Assert.Equal("completed", recording.GetProperty("state").GetString());
        using var manifestDocument = JsonDocument.Parse(await ceph.ReadObjectAsync(recording.GetProperty("manifest").GetString()!));
        var manifest = manifestDocument.RootElement;
        log.WriteLine(manifest.ToString());
        var segments = manifest.GetProperty("segments").EnumerateArray().ToList();
        Assert.True(segments.Count >= 2, $"expected the recording to go on in a new segment: {manifest}");
        var (first, second) = (segments[0], segments[1]);
        Assert.Equal((1, 2), (first.GetProperty("number").GetInt32(), second.GetProperty("number").GetInt32()));
        Assert.Equal(recordingProcessDiesToo, first.GetProperty("truncated").GetBoolean());
        Assert.Equal(2, manifest.GetProperty("leaseEpoch").GetInt64());

        // Within the goal of the kill, the other worker's process opened the new segment.
        var failover = (second.GetProperty("startedAt").GetDateTimeOffset() - killedAt).TotalSeconds;
        log.WriteLine($"failover: segment 2 started {failover:0.00} s after the kill");
        Assert.InRange(failover, 0, FailoverGoalSeconds);
        // One recorder at a time: the new segment starts after the old one ended (its last checkpoint, when cut short).
        Assert.True(second.GetProperty("startedAt").GetDateTimeOffset() >= first.GetProperty("endedAt").GetDateTimeOffset(), "the segments overlap");

        // The first segment decrypts to a playable prefix reaching close to the kill, and the manifest's gap is the media missing.
        var firstFrame = manifest.GetProperty("firstFrameAt").GetDateTimeOffset();
        var prefix = await DecryptAsync(hostKey, first.GetProperty("location").GetString()!, expectTruncated: recordingProcessDiesToo);
        var probe = await MediaAnalysis.ProbeAsync(prefix);
        Assert.Equal(("h264", "aac"), (probe.VideoCodec, probe.AudioCodec));
        var played = await MediaAnalysis.DecodableVideoSecondsAsync(prefix);
        var lost = (killedAt - firstFrame).TotalSeconds - played;
        var gap = second.GetProperty("mediaStartSeconds").GetDouble() - (first.GetProperty("mediaStartSeconds").GetDouble() + played);
        log.WriteLine($"media: {played:0.00} s decode in segment 1, lost at the kill {lost:0.00} s, gap before segment 2 {gap:0.00} s " +
            $"(manifest: {second.GetProperty("gapBeforeSeconds").GetDouble():0.00} s)");
        if (recordingProcessDiesToo) Assert.InRange(lost, -0.5, MediaAtRiskGoalSeconds);
        Assert.InRange(gap, 0, FailoverGoalSeconds);
        Assert.InRange(second.GetProperty("gapBeforeSeconds").GetDouble(), gap - 2.5, gap + 2.5); // fragments are 2 s
        await AssertPlayableAsync(hostKey, second.GetProperty("location").GetString()!, 5, 40);

        // The service lists the same segments as the manifest (the first one too, when its process finished it unsupervised).
        Assert.Equal(segments.Select(s => (s.GetProperty("number").GetInt32(), s.GetProperty("sha256").GetString())),
            recording.GetProperty("segments").EnumerateArray().Select(s => (s.GetProperty("number").GetInt32(), s.GetProperty("sha256").GetString())));

        // Nothing is left half-done: no upload open, no tail piece.
        await AssertNothingPendingAsync(pool.Bucket);

        // The page on the surviving worker plays it through: the first segment (its whole fragments, when truncated),
        // over the gap, and the second to the end.
        var end = segments[^1].GetProperty("mediaStartSeconds").GetDouble() + segments[^1].GetProperty("durationSeconds").GetDouble();
        await AssertPlaysThroughInTheBrowserAsync(pool.Workers.Single(w => !w.HasExited).Url, token, id, hostKey, segments.Count, end);
    }

    private async Task AssertPlaysThroughInTheBrowserAsync(string serviceUrl, string token, string id, string identityFile, int segments, double end)
    {
        const string video = "document.getElementById('player')";
        var visit = await chromium.OpenAsync(new Uri(serviceUrl + Recorder.Service.Web.PlaybackPage.Path), new PageProbe
        {
            Steps =
            [
                .. Web.PlaybackSetup.SignInAndPlay(token, id, identityFile),
                PageStep.WaitFor($"{video}.currentTime > 0.5 || !document.getElementById('error').hidden", TimeSpan.FromSeconds(60)),
                PageStep.Evaluate("rate", $"{video}.playbackRate = 8"),
                PageStep.WaitFor($"{video}.ended || !document.getElementById('error').hidden", TimeSpan.FromSeconds(60), describe:
                    $"(() => {{ const v = {video}, b = v.buffered, r = []; for (let i = 0; i < b.length; i++) r.push([b.start(i), b.end(i)]); " +
                    "return { time: v.currentTime, duration: v.duration, readyState: v.readyState, paused: v.paused, buffered: r, " +
                    "state: document.getElementById('state').innerText }; })()"),
            ],
            Evaluate = [$"{video}.currentTime", $"{video}.getVideoPlaybackQuality().totalVideoFrames", "document.getElementById('error').hidden"],
            Text = ["#error", "#state"],
        });
        var (time, frames) = (visit.Evaluated[$"{video}.currentTime"].GetDouble(), visit.Evaluated[$"{video}.getVideoPlaybackQuality().totalVideoFrames"].GetInt32());
        log.WriteLine($"page: played to {time:0.00} s of {end:0.00} s, {frames} frames decoded; state '{visit.Text["#state"]}', error '{visit.Text["#error"]}'");
        Assert.True(visit.Evaluated["document.getElementById('error').hidden"].GetBoolean(), visit.Text["#error"]);
        Assert.Empty(visit.PageErrors);
        Assert.InRange(time, end - 0.5, end + 0.5);
        Assert.True(frames > 100, $"only {frames} frames decoded");
        for (var n = 1; n <= segments; n++)
            Assert.Contains(visit.Requests, r => r.Url.EndsWith($"/segments/{n}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_paused_worker_loses_its_lease_its_recorder_stops_writing_and_the_other_worker_takes_over()
    {
        var (hostKey, recipient) = _files.NewIdentity("host.key");
        await using var pool = await WorkerPool.StartAsync(ceph, postgres, log, count: 2, capacity: 2);
        var token = await pool.AddHostAsync(recipient);
        var id = await pool.CreateRecordingAsync(token, new { meeting = "synthetic://?participants=2&seconds=300", maxDuration = "35s" });
        await pool.WaitForStateAsync(token, id, "recording", TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(6));
        var paused = pool.WorkerRunning(id);
        var children = RecordingProcesses.Of(id);
        await paused.SignalAsync("STOP"); // a long GC pause, a frozen VM: no renewal, but not dead
        try
        {
            // Without renewals the recorder stops by itself before the lease ends; only then may another worker start.
            var stoppedBy = DateTime.UtcNow.AddSeconds(12);
            while (RecordingProcesses.Of(id).Intersect(children).Any() && DateTime.UtcNow < stoppedBy) await Task.Delay(100);
            var stoppedAt = DateTimeOffset.UtcNow;
            Assert.Empty(RecordingProcesses.Of(id).Intersect(children));
            var recording = await pool.WaitForStateAsync(token, id, "completed", TimeSpan.FromSeconds(120));
            using var manifest = JsonDocument.Parse(await ceph.ReadObjectAsync(recording.GetProperty("manifest").GetString()!));
            var segments = manifest.RootElement.GetProperty("segments").EnumerateArray().ToList();
            Assert.True(segments.Count >= 2, manifest.RootElement.ToString());
            Assert.True(segments[0].GetProperty("truncated").GetBoolean());
            Assert.True(segments[1].GetProperty("startedAt").GetDateTimeOffset() >= stoppedAt.AddSeconds(-0.5), "the take-over began before the old recorder stopped");
            await AssertPlayableAsync(hostKey, segments[1].GetProperty("location").GetString()!, 5, 35);
        }
        finally
        {
            await paused.SignalAsync("CONT");
        }
        // Woken, the paused worker finds its lease gone and writes nothing more for the recording.
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!paused.Output.Contains($"recording {id}: ", StringComparison.Ordinal) || !LeaseLost(paused.Output, id))
        {
            if (DateTime.UtcNow > until) break;
            await Task.Delay(200);
        }
        Assert.True(LeaseLost(paused.Output, id), paused.Output);
        Assert.Equal("completed", (await pool.GetRecordingAsync(token, id)).GetProperty("state").GetString());
        await AssertNothingPendingAsync(pool.Bucket);

        static bool LeaseLost(string output, string id) =>
            output.Contains($"recording {id}: this worker lost its lease", StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_hands_the_recording_over_its_segment_finished_and_another_worker_continues_it()
    {
        var (hostKey, recipient) = _files.NewIdentity("host.key");
        await using var pool = await WorkerPool.StartAsync(ceph, postgres, log, count: 2, capacity: 2);
        var token = await pool.AddHostAsync(recipient);
        var id = await pool.CreateRecordingAsync(token, new { meeting = "synthetic://?participants=2&seconds=300", maxDuration = "30s" });
        await pool.WaitForStateAsync(token, id, "recording", TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(6));
        var draining = pool.WorkerRunning(id);
        var termAt = DateTimeOffset.UtcNow;
        await draining.SignalAsync("TERM");
        Assert.True(await draining.WaitForExitAsync(TimeSpan.FromSeconds(90)), "the worker did not exit");
        Assert.Equal(0, draining.ExitCode);

        var recording = await pool.WaitForStateAsync(token, id, "completed", TimeSpan.FromSeconds(120));
        Assert.Equal("completed", recording.GetProperty("state").GetString());
        using var manifest = JsonDocument.Parse(await ceph.ReadObjectAsync(recording.GetProperty("manifest").GetString()!));
        var segments = manifest.RootElement.GetProperty("segments").EnumerateArray().ToList();
        Assert.True(segments.Count >= 2, manifest.RootElement.ToString());
        Assert.False(segments[0].GetProperty("truncated").GetBoolean()); // finished, not cut
        var handOver = (segments[1].GetProperty("startedAt").GetDateTimeOffset() - termAt).TotalSeconds;
        log.WriteLine($"hand-over: segment 2 started {handOver:0.00} s after SIGTERM; gap {segments[1].GetProperty("gapBeforeSeconds").GetDouble():0.00} s");
        Assert.InRange(handOver, 0, FailoverGoalSeconds);
        Assert.InRange(segments[1].GetProperty("gapBeforeSeconds").GetDouble(), 0, FailoverGoalSeconds);
        await AssertPlayableAsync(hostKey, segments[0].GetProperty("location").GetString()!, 5, 15);
        await AssertPlayableAsync(hostKey, segments[1].GetProperty("location").GetString()!, 5, 30);
    }

    [Fact]
    public async Task A_PostgreSQL_restart_under_the_pool_loses_nothing()
    {
        var pgDir = Environment.GetEnvironmentVariable("RECORDER_PG_DIR");
        Assert.False(string.IsNullOrEmpty(pgDir), "needs the PostgreSQL of the test script (RECORDER_PG_DIR) to restart it");
        var (hostKey, recipient) = _files.NewIdentity("host.key");
        // A restart, not an outage: a lease of 20 s so that a restart slowed down by a loaded machine still ends
        // within it (one took over 6 s at a load average of 85); what a longer outage does is the next test.
        await using var pool = await WorkerPool.StartAsync(ceph, postgres, log, count: 2, capacity: 2,
            new Dictionary<string, string?> { ["RECORDER_LEASE_SECONDS"] = "20" });
        var token = await pool.AddHostAsync(recipient);
        var running = await pool.CreateRecordingAsync(token, new { meeting = "synthetic://?participants=2&seconds=300", maxDuration = "25s" });
        var later = await pool.CreateRecordingAsync(token, new
        {
            meeting = "synthetic://?participants=1&seconds=4",
            start = DateTimeOffset.UtcNow.AddSeconds(20).ToString("O", CultureInfo.InvariantCulture),
        });
        await pool.WaitForStateAsync(token, running, "recording", TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(4));

        var restart = await ProcessRunner.RunAsync(RepositoryPaths.LocalStack("postgres-restart.sh"), [pgDir!], TimeSpan.FromMinutes(1));
        Assert.True(restart.ExitCode == 0, restart.StandardError);
        Npgsql.NpgsqlConnection.ClearAllPools(); // this test process's own connections were cut too
        var recording = await pool.WaitForStateAsync(token, running, "completed", TimeSpan.FromSeconds(90));
        Assert.Equal("completed", recording.GetProperty("state").GetString());
        // It went on where it was: one segment, never taken over.
        var segment = Assert.Single(recording.GetProperty("segments").EnumerateArray());
        using var manifest = JsonDocument.Parse(await ceph.ReadObjectAsync(recording.GetProperty("manifest").GetString()!));
        Assert.Equal(1, manifest.RootElement.GetProperty("leaseEpoch").GetInt64());
        await AssertPlayableAsync(hostKey, segment.GetProperty("uri").GetString()!, 20, 26);
        // The schedule survived: the later recording started and completed.
        Assert.Equal("completed", (await pool.WaitForStateAsync(token, later, "completed", TimeSpan.FromSeconds(90))).GetProperty("state").GetString());
        Assert.All(pool.Workers, w => Assert.False(w.HasExited));
        Assert.All(pool.Workers, w => Assert.DoesNotContain("its job failed", w.Output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostgreSQL_down_longer_than_the_lease_the_recorder_stops_and_the_recording_is_taken_over_not_failed()
    {
        var pgDir = Environment.GetEnvironmentVariable("RECORDER_PG_DIR");
        Assert.False(string.IsNullOrEmpty(pgDir), "needs the PostgreSQL of the test script (RECORDER_PG_DIR) to stop it");
        var (hostKey, recipient) = _files.NewIdentity("host.key");
        await using var pool = await WorkerPool.StartAsync(ceph, postgres, log, count: 2, capacity: 2);
        var token = await pool.AddHostAsync(recipient);
        var id = await pool.CreateRecordingAsync(token, new { meeting = "synthetic://?participants=2&seconds=300", maxDuration = "40s" });
        await pool.WaitForStateAsync(token, id, "recording", TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(4));
        var children = RecordingProcesses.Of(id);

        // Down for 14 s, past the 8 s lease: no worker can renew, so the recorder stops writing by itself.
        var outage = await ProcessRunner.RunAsync(RepositoryPaths.LocalStack("postgres-restart.sh"), [pgDir!, "14"], TimeSpan.FromMinutes(1));
        Assert.True(outage.ExitCode == 0, outage.StandardError);
        Npgsql.NpgsqlConnection.ClearAllPools(); // this test process's own connections were cut too
        Assert.Empty(RecordingProcesses.Of(id).Intersect(children));

        // Not failed: taken over once the database is back, the first segment completed as truncated.
        var recording = await pool.WaitForStateAsync(token, id, "completed", TimeSpan.FromSeconds(120));
        Assert.Equal(("completed", JsonValueKind.Null), (recording.GetProperty("state").GetString(), recording.GetProperty("error").ValueKind));
        using var manifest = JsonDocument.Parse(await ceph.ReadObjectAsync(recording.GetProperty("manifest").GetString()!));
        var segments = manifest.RootElement.GetProperty("segments").EnumerateArray().ToList();
        Assert.True(segments.Count >= 2, manifest.RootElement.ToString());
        Assert.True(segments[0].GetProperty("truncated").GetBoolean());
        Assert.True(manifest.RootElement.GetProperty("leaseEpoch").GetInt64() >= 2);
        await AssertPlayableAsync(hostKey, segments[^1].GetProperty("location").GetString()!, 3, 40);
        Assert.All(pool.Workers, w => Assert.False(w.HasExited));
        // No job failed on the way (closing a gone child's stdin used to throw "Pipe is broken" into the job).
        Assert.All(pool.Workers, w => Assert.DoesNotContain("its job failed", w.Output, StringComparison.Ordinal));
        await AssertNothingPendingAsync(pool.Bucket);
    }

    [Fact]
    public async Task S3_down_for_a_minute_under_a_pool_recording_loses_nothing()
    {
        var (hostKey, recipient) = _files.NewIdentity("host.key");
        // Every worker and recording process reaches S3 through a proxy that can refuse everything.
        await using var proxy = new FaultInjectingS3Proxy(new Uri(ceph.Options.ServiceUrl!), new FaultPlan { ErrorRate = 0, ResetRate = 0, LatencyRate = 0 });
        await using var pool = await WorkerPool.StartAsync(ceph, postgres, log, count: 2, capacity: 2,
            new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_S3"] = proxy.Endpoint.ToString().TrimEnd('/') });
        var token = await pool.AddHostAsync(recipient);
        var id = await pool.CreateRecordingAsync(token, new { meeting = "synthetic://?participants=2&seconds=300", maxDuration = "80s" });
        await pool.WaitForStateAsync(token, id, "recording", TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(5));
        proxy.BeginOutage();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(60)); // the outage itself
            Assert.Equal("recording", (await pool.GetRecordingAsync(token, id)).GetProperty("state").GetString());
        }
        finally
        {
            proxy.EndOutage();
        }

        var recording = await pool.WaitForStateAsync(token, id, "completed", TimeSpan.FromSeconds(90));
        Assert.Equal("completed", recording.GetProperty("state").GetString());
        // Not a take-over, not a cut: one whole segment of the full length, as if S3 had never gone.
        var segment = Assert.Single(recording.GetProperty("segments").EnumerateArray());
        Assert.False(segment.GetProperty("truncated").GetBoolean());
        using var manifest = JsonDocument.Parse(await ceph.ReadObjectAsync(recording.GetProperty("manifest").GetString()!));
        Assert.Equal(1, manifest.RootElement.GetProperty("leaseEpoch").GetInt64());
        await AssertPlayableAsync(hostKey, segment.GetProperty("uri").GetString()!, 79, 81);
        await AssertNothingPendingAsync(pool.Bucket);
    }

    private async Task<string> DecryptAsync(string identity, string uri, bool expectTruncated)
    {
        var file = _files.Write($"{Guid.NewGuid():N}.age", await ceph.ReadObjectAsync(uri));
        var mp4 = Path.ChangeExtension(file, ".mp4");
        var result = await CliRunner.RunAsync(["decrypt", "-i", identity, "-o", mp4, file]);
        Assert.True(result.ExitCode == (expectTruncated ? 4 : 0), $"exit {result.ExitCode}: {result.StandardError}");
        if (expectTruncated) Assert.Contains("recorder: warning: truncated after ", result.StandardError);
        return mp4;
    }

    private async Task AssertPlayableAsync(string identity, string uri, double minSeconds, double maxSeconds)
    {
        var probe = await MediaAnalysis.ProbeAsync(await DecryptAsync(identity, uri, expectTruncated: false));
        Assert.Equal(("h264", "aac"), (probe.VideoCodec, probe.AudioCodec));
        Assert.InRange(probe.DurationSeconds, minSeconds, maxSeconds);
    }

    private async Task AssertNothingPendingAsync(string bucket)
    {
        var uploads = await ceph.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });
        Assert.Empty(uploads.MultipartUploads ?? []);
        var objects = await ceph.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.DoesNotContain(objects.S3Objects ?? [], o => o.Key.Contains(".tail/", StringComparison.Ordinal));
    }

    public void Dispose() => _files.Dispose();
}
