using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Recorder.Crypto.Recipients;
using Recorder.Pipeline.Audit;
using Recorder.Pipeline.Audit.Log;
using Recorder.Storage;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Audit;

/// <summary>
/// A host's Object Lock retention and a legal hold, through the real service and CLI into an Object Lock bucket of
/// the local Ceph: the recording's segments are stored locked for the host's days and cannot be deleted; a legal
/// hold blocks deletion even with the governance bypass until it is released; each change is an audit event.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RetentionAndLegalHoldTests(CephFixture ceph, ITestOutputHelper output) : IDisposable
{
    private readonly SignedRecordings _fixtures = new(ceph);

    [Fact]
    public async Task Locked_segments_cannot_be_deleted_and_a_legal_hold_blocks_deletion_until_released()
    {
        var bucket = await ceph.CreateObjectLockBucketAsync("hold"); // default retention: GOVERNANCE, 1 day
        var (signingKey, _) = await _fixtures.SshKeygenAsync("recorder");
        await using var service = await ServiceInstance.StartAsync(ceph, bucket, output,
            environment: new Dictionary<string, string?> { ["RECORDER_SIGNING_KEY"] = signingKey });
        Task<CliResult> Operator(params string[] args) => CliRunner.RunAsync(args, environment: service.CliEnvironment(service.OperatorToken));
        using var identity = X25519Identity.Generate();
        using var added = JsonDocument.Parse((await Operator("hosts", "add", "--name", "Ann", "-r", identity.Recipient.ToString(), "--json")).StandardOutput);
        var hostId = added.RootElement.GetProperty("hostId").GetString()!;
        var token = added.RootElement.GetProperty("token").GetString()!;

        var bad = await Operator("hosts", "retention", hostId, "forever:10");
        Assert.Equal((2, "recorder: error: 'forever' is not an Object Lock mode: expected governance or compliance\n"), (bad.ExitCode, bad.StandardError.Split("recorder: hint")[0]));
        var set = await Operator("hosts", "retention", hostId, "governance:3");
        Assert.True(set.ExitCode == 0, set.StandardError);
        Assert.Equal($"{hostId}: governance:3\n", set.StandardOutputText);

        var scheduled = await CliRunner.RunAsync(["schedule", "--meeting", "synthetic://?participants=2&seconds=3&pace=fast", "--json"],
            environment: service.CliEnvironment(token));
        Assert.True(scheduled.ExitCode == 0, scheduled.StandardError);
        var id = JsonDocument.Parse(scheduled.StandardOutput).RootElement.GetProperty("recordingId").GetString()!;
        var followed = await Operator("status", "--follow", "--json", id).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(followed.ExitCode == 0, followed.StandardError);
        var segmentUri = JsonDocument.Parse(followed.StandardOutput).RootElement.GetProperty("segments")[0].GetString()!;
        var key = segmentUri[$"s3://{bucket}/".Length..];

        // The host's retention, not the bucket's default: GOVERNANCE for 3 days.
        var retention = await ceph.Client.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = bucket, Key = key });
        Assert.Equal(ObjectLockRetentionMode.Governance, retention.Retention.Mode);
        Assert.InRange(retention.Retention.RetainUntilDate!.Value, DateTime.UtcNow.AddDays(3).AddMinutes(-5), DateTime.UtcNow.AddDays(3).AddMinutes(1));
        var version = (await ceph.Client.GetObjectMetadataAsync(bucket, key)).VersionId;
        Assert.Equal(HttpStatusCode.Forbidden, await DeleteAsync(bucket, key, version, bypass: false));

        var held = await Operator("legal-hold", "set", id, "--json");
        Assert.True(held.ExitCode == 0, held.StandardError);
        var objects = JsonDocument.Parse(held.StandardOutput).RootElement.GetProperty("objects").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(segmentUri, objects);
        Assert.Contains(segmentUri.Replace("segment-0001.mp4.age", "manifest.json"), objects);
        Assert.Equal(ObjectLockLegalHoldStatus.On, (await ceph.Client.GetObjectLegalHoldAsync(new GetObjectLegalHoldRequest { BucketName = bucket, Key = key })).LegalHold.Status);
        Assert.Equal(HttpStatusCode.Forbidden, await DeleteAsync(bucket, key, version, bypass: true)); // the hold wins over the governance bypass

        var released = await Operator("legal-hold", "release", id);
        Assert.True(released.ExitCode == 0, released.StandardError);
        Assert.Contains($"released {segmentUri}\n", released.StandardOutputText);
        Assert.Equal(HttpStatusCode.NoContent, await DeleteAsync(bucket, key, version, bypass: true)); // governance: the owner may bypass

        // Each change is in the audit log, signed, in order.
        var log = await new AuditLogVerifier(new S3ObjectStore(ceph.Client), bucket, "", null).CheckAsync();
        Assert.DoesNotContain(log.Findings, f => f.Code is "log-chain-broken" or "log-signature-invalid" or "log-event-unsigned");
        Assert.Equal(["legal-hold.set", "legal-hold.released"], log.EventsByRecording[id].Select(e => e.Type).Where(t => t.StartsWith("legal", StringComparison.Ordinal)));
        var entries = new List<AuditEvent>();
        await foreach (var entry in new WriteOnceLog(new S3ObjectStore(ceph.Client), bucket, AuditLog.Prefix("")).ReadAsync())
            entries.Add(AuditEventCodec.Decode(entry.Content).Event!);
        var retentionSet = Assert.Single(entries, e => e.Type == AuditEventTypes.RetentionSet);
        Assert.Equal((hostId, "GOVERNANCE", 3L), (retentionSet.HostId, retentionSet.Detail, retentionSet.Days));
    }

    [Fact]
    public async Task A_legal_hold_in_a_bucket_without_object_lock_is_refused_saying_why()
    {
        var bucket = await ceph.CreateBucketAsync("nohold");
        await using var service = await ServiceInstance.StartAsync(ceph, bucket, output);
        Task<CliResult> Operator(params string[] args) => CliRunner.RunAsync(args, environment: service.CliEnvironment(service.OperatorToken));
        using var identity = X25519Identity.Generate();
        using var added = JsonDocument.Parse((await Operator("hosts", "add", "--name", "Ann", "-r", identity.Recipient.ToString(), "--json")).StandardOutput);
        var token = added.RootElement.GetProperty("token").GetString()!;
        var scheduled = await CliRunner.RunAsync(["schedule", "--meeting", "synthetic://?participants=1&seconds=2&pace=fast", "--json"], environment: service.CliEnvironment(token));
        var id = JsonDocument.Parse(scheduled.StandardOutput).RootElement.GetProperty("recordingId").GetString()!;
        Assert.Equal(0, (await Operator("status", "--follow", id).WaitAsync(TimeSpan.FromMinutes(2))).ExitCode);

        var held = await Operator("legal-hold", "set", id);
        Assert.Equal(1, held.ExitCode);
        Assert.StartsWith($"recorder: error: the bucket {bucket} has no Object Lock: ", held.StandardError);
        var missing = await Operator("legal-hold", "set", "rec-nope");
        Assert.Equal((1, "recorder: error: no recording rec-nope\n"), (missing.ExitCode, missing.StandardError));
    }

    private async Task<HttpStatusCode> DeleteAsync(string bucket, string key, string version, bool bypass)
    {
        try
        {
            var r = await ceph.Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key, VersionId = version, BypassGovernanceRetention = bypass });
            return r.HttpStatusCode;
        }
        catch (AmazonS3Exception e)
        {
            return e.StatusCode;
        }
    }

    public void Dispose() => _fixtures.Dispose();
}
