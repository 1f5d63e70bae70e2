using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3.Model;
using Recorder.Tests.Cli;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Service;

/// <summary>
/// Recordings run by the real service: the host's request, the Hangfire job,
/// the recording process (the installed recorder), the local Ceph, and the
/// result opened with the stock age CLI and probed with ffprobe.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceRecordingTests(CephFixture ceph, ITestOutputHelper log) : IAsyncLifetime
{
    private readonly CliFiles _files = new();
    private ServiceInstance _service = null!;

    public async Task InitializeAsync() => _service = await ServiceInstance.StartAsync(ceph, await ceph.CreateBucketAsync("svcrec"), output: log);

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task A_recording_scheduled_3_s_ahead_records_and_opens_only_with_its_hosts_key()
    {
        var (hostKey, hostRecipient) = _files.NewIdentity("host.key");
        var (otherKey, _) = _files.NewIdentity("other.key");
        var (hostId, token) = await _service.AddHostAsync("Alice", [hostRecipient]);
        var startAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var id = await _service.ScheduleAsync(token, new { meeting = "synthetic://?participants=2&seconds=4", start = startAt.ToString("O") });
        Assert.Equal("scheduled", (await _service.GetRecordingAsync(token, id)).GetProperty("state").GetString());

        var recording = await _service.WaitUntilEndedAsync(token, id, TimeSpan.FromSeconds(90));
        log.WriteLine(recording.ToString());
        Assert.Equal("completed", recording.GetProperty("state").GetString());
        Assert.Equal("the simulated meeting is over", recording.GetProperty("endReason").GetString());
        var times = recording.GetProperty("times");
        var order = new[] { "scheduled", "joining", "recording", "finalizing", "completed" }.Select(s => times.GetProperty(s).GetDateTimeOffset()).ToArray();
        Assert.Equal(order.Order(), order);
        // Started on time: not before its start, and within Hangfire's 1 s schedule poll (plus a loaded machine's slack) after it.
        Assert.InRange(order[1] - startAt, TimeSpan.FromMilliseconds(-50), TimeSpan.FromSeconds(3));
        Assert.Equal([hostRecipient], recording.GetProperty("recipients").EnumerateArray().Select(r => r.GetString()));

        var segment = Assert.Single(recording.GetProperty("segments").EnumerateArray());
        var uri = segment.GetProperty("uri").GetString()!;
        Assert.StartsWith($"s3://{_service.Bucket}/{hostId}/synthetic/{id}/segment-0001.mp4.age", uri);
        var stored = await ceph.ReadObjectAsync(uri);
        Assert.Equal(segment.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(stored)));
        Assert.Equal(segment.GetProperty("bytes").GetInt64(), stored.Length);
        // Its size, in the listing too (which carries no segments): what is stored, not the last progress report (a
        // 4-s recording ends before its first).
        Assert.Equal(stored.Length, recording.GetProperty("bytesUploaded").GetInt64());
        using (var client = _service.Client(token))
        using (var list = JsonDocument.Parse(await client.GetStringAsync("/recordings")))
        {
            var listed = list.RootElement.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("recordingId").GetString() == id);
            Assert.Equal(stored.Length, listed.GetProperty("bytesUploaded").GetInt64());
        }
        using var manifest = JsonDocument.Parse(await ceph.ReadObjectAsync(recording.GetProperty("manifest").GetString()!));
        Assert.Equal("completed", manifest.RootElement.GetProperty("state").GetString());
        Assert.Equal(segment.GetProperty("sha256").GetString(), manifest.RootElement.GetProperty("segments")[0].GetProperty("sha256").GetString());

        _files.Write("segment.age", stored);
        var other = await ProcessRunner.RunAsync("age", ["-d", "-i", otherKey, "-o", _files.PathOf("wrong.mp4"), _files.PathOf("segment.age")], TimeSpan.FromMinutes(1));
        Assert.Equal(1, other.ExitCode);
        Assert.Contains("no identity matched any of the recipients", other.StandardError);
        Assert.False(File.Exists(_files.PathOf("wrong.mp4")) && new FileInfo(_files.PathOf("wrong.mp4")).Length > 0);
        await AssertPlayableAsync(hostKey, "segment.age", 3.5, 4.5);
    }

    [Fact]
    public async Task A_stop_ends_the_recording_with_a_complete_segment()
    {
        var (hostKey, hostRecipient) = _files.NewIdentity("host.key");
        var (_, token) = await _service.AddHostAsync("Bob", [hostRecipient]);
        var id = await _service.ScheduleAsync(token, new { meeting = "synthetic://?participants=2&seconds=120" });
        await _service.WaitForStateAsync(token, id, TimeSpan.FromSeconds(30), "recording");
        await Task.Delay(3000);
        using var client = _service.Client(token);
        var stop = await client.PostAsync($"/recordings/{id}/stop", null);
        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);

        var recording = await _service.WaitUntilEndedAsync(token, id, TimeSpan.FromSeconds(60));
        Assert.Equal(("completed", "stopped on request"), (recording.GetProperty("state").GetString(), recording.GetProperty("endReason").GetString()));
        Assert.True(recording.GetProperty("stopRequested").GetBoolean());
        var segment = Assert.Single(recording.GetProperty("segments").EnumerateArray());
        _files.Write("segment.age", await ceph.ReadObjectAsync(segment.GetProperty("uri").GetString()!));
        var seconds = segment.GetProperty("durationSeconds").GetDouble();
        Assert.InRange(seconds, 2.5, 30);
        await AssertPlayableAsync(hostKey, "segment.age", seconds - 0.5, seconds + 0.5);
    }

    [Fact]
    public async Task A_host_without_usable_keys_gets_a_failed_recording_and_nothing_is_stored()
    {
        await using var kms = await KmsTestDouble.StartAsync();
        await using var service = await ServiceInstance.StartAsync(ceph, await ceph.CreateBucketAsync("failclosed"),
            environment: new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_KMS"] = kms.Url }, output: log);
        // KMS refuses the service's credentials (the test double knows only its own callers).
        var (_, kmsHost) = await service.AddHostAsync("Kim", [$"kms:{kms.CreateKey()}"]);
        var refused = await service.WaitUntilEndedAsync(kmsHost, await service.ScheduleAsync(kmsHost, new { meeting = "synthetic://?seconds=2" }),
            TimeSpan.FromSeconds(60));
        Assert.Equal("failed", refused.GetProperty("state").GetString());
        Assert.Contains("The security token included in the request is invalid", refused.GetProperty("error").GetString());

        // Recipients that went bad in the registry (edited by hand, restored from a bad backup): refused before anything starts.
        var (badHostId, badHost) = await service.AddHostAsync("Lou", ["age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"]);
        await ExecuteSqlAsync(service, $"UPDATE principals SET recipients = '[\"age1broken\"]' WHERE id = '{badHostId}'");
        var malformed = await service.WaitUntilEndedAsync(badHost, await service.ScheduleAsync(badHost, new { meeting = "synthetic://?seconds=2" }),
            TimeSpan.FromSeconds(60));
        Assert.Equal(
            $"host {badHostId} has a malformed recipient (not a valid age X25519 recipient: the age1… key is damaged or mistyped); nothing is recorded without the host's key",
            malformed.GetProperty("error").GetString());
        await ExecuteSqlAsync(service, $"UPDATE principals SET recipients = '[]' WHERE id = '{badHostId}'");
        var none = await service.WaitUntilEndedAsync(badHost, await service.ScheduleAsync(badHost, new { meeting = "synthetic://?seconds=2" }),
            TimeSpan.FromSeconds(60));
        Assert.Equal($"host {badHostId} has no recipients registered; nothing is recorded without the host's key", none.GetProperty("error").GetString());
        Assert.Null(none.GetProperty("times").GetProperty("recording").GetString());

        // Not one object was written, and no upload was left open.
        var objects = await ceph.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = service.Bucket });
        Assert.DoesNotContain(objects.S3Objects ?? [], o => o.Key.EndsWith(".age", StringComparison.Ordinal));
        var uploads = await ceph.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = service.Bucket });
        Assert.Empty(uploads.MultipartUploads ?? []);
    }

    [Fact]
    public async Task Webhooks_are_signed_and_delivered_once_after_the_receiver_comes_back()
    {
        await using var receiver = WebhookReceiver.Down();
        await using var service = await ServiceInstance.StartAsync(ceph, _service.Bucket, environment: new Dictionary<string, string?>
        {
            ["RECORDER_WEBHOOK_RETRY_DELAYS"] = "1,1,1,1,1,1,1,1,1,1",
        }, output: log);
        using var client = service.Client();
        var (hostKey, hostRecipient) = _files.NewIdentity("host.key");
        using var registered = JsonDocument.Parse(await (await client.PostAsync("/hosts", JsonContent(new
        {
            name = "Mia", recipients = new[] { hostRecipient }, webhookUrl = receiver.Url,
        }))).Content.ReadAsStringAsync());
        receiver.Secret = registered.RootElement.GetProperty("webhookSecret").GetString();
        var token = registered.RootElement.GetProperty("token").GetString()!;

        var id = await service.ScheduleAsync(token, new { meeting = "synthetic://?participants=2&seconds=2" });
        var recording = await service.WaitUntilEndedAsync(token, id, TimeSpan.FromSeconds(60));
        Assert.Equal("completed", recording.GetProperty("state").GetString());
        await Task.Delay(2500); // a few attempts against nothing listening
        await receiver.UpAsync();

        var completed = await receiver.WaitForAsync("recording.completed", id, TimeSpan.FromSeconds(30));
        await Task.Delay(3000); // anything sent twice would arrive by now
        var messages = receiver.Messages.Where(m => m.Data.GetProperty("recordingId").GetString() == id).ToList();
        Assert.Equal(["recording.completed", "recording.started", "segment.completed"], messages.Select(m => m.Type).Order());
        Assert.All(messages, m => Assert.True(m.SignatureValid, $"{m.Type}: the signature does not verify"));
        Assert.Equal(3, messages.Select(m => m.Id).Distinct().Count());
        var segment = recording.GetProperty("segments")[0];
        Assert.Equal(segment.GetProperty("sha256").GetString(),
            messages.Single(m => m.Type == "segment.completed").Data.GetProperty("segment").GetProperty("sha256").GetString());
        Assert.Equal(recording.GetProperty("manifest").GetString(), completed.Data.GetProperty("manifest").GetString());
        Assert.Equal("completed", completed.Data.GetProperty("state").GetString());
        _ = hostKey;
    }

    private async Task AssertPlayableAsync(string identity, string segmentFile, double minSeconds, double maxSeconds)
    {
        var mp4 = _files.PathOf(Path.ChangeExtension(segmentFile, ".mp4"));
        var age = await ProcessRunner.RunAsync("age", ["-d", "-i", identity, "-o", mp4, _files.PathOf(segmentFile)], TimeSpan.FromMinutes(1));
        Assert.True(age.ExitCode == 0, age.StandardError);
        var probe = await MediaAnalysis.ProbeAsync(mp4);
        Assert.Equal(("h264", "aac"), (probe.VideoCodec, probe.AudioCodec));
        Assert.InRange(probe.DurationSeconds, minSeconds, maxSeconds);
    }

    private static async Task ExecuteSqlAsync(ServiceInstance service, string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(service.StateDirectory, "recorder.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
