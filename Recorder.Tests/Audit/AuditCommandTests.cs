using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Recorder.Crypto.Recipients;
using Recorder.Crypto.Transparency;
using Recorder.Pipeline.Audit.Log;
using Recorder.Pipeline.Signing;
using Recorder.Storage;
using Recorder.Tests.Crypto;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Audit;

/// <summary>
/// <c>recorder audit</c> on the local Ceph: a clean bucket holds with no finding at all; a bucket seeded with one of
/// each problem next to a clean recording yields exactly those findings; each kind of tampering with the audit log
/// is named; several writers at once leave a log that verifies.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AuditCommandTests(CephFixture ceph, ITestOutputHelper log) : IDisposable
{
    private readonly SignedRecordings _fixtures = new(ceph);

    [Fact]
    public async Task A_clean_bucket_holds_with_no_finding()
    {
        var (bucket, key, trust, _) = await CleanRecordingAsync("audit-clean", wellConfigured: true);
        var (code, doc, stderr) = await AuditAsync(bucket, "--trust", trust, "--json");
        Assert.True(code == 0, stderr);
        Assert.Empty(Codes(doc));
        Assert.True(doc.GetProperty("holds").GetBoolean());
        Assert.DoesNotContain(doc.GetProperty("settings").EnumerateArray(), s => s.GetProperty("status").GetString() == "fail");
        var counts = doc.GetProperty("counts");
        Assert.Equal((1, 2, 5L), (counts.GetProperty("recordings").GetInt32(), counts.GetProperty("segments").GetInt32(), counts.GetProperty("logEntries").GetInt64()));
        Assert.Equal(5, doc.GetProperty("log").GetProperty("checkpointSize").GetInt64());
        _ = key;
    }

    [Fact]
    public async Task A_bucket_seeded_with_one_of_each_problem_yields_exactly_those_findings()
    {
        var (bucket, signingKey, trust, host) = await CleanRecordingAsync("audit-seeded");
        // An upload left incomplete, older than --stale-after 1s by the time of the audit (waited for below).
        await ceph.Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "host-audit/synthetic/rec-dead/segment-0001.mp4.age" });
        var initiated = System.Diagnostics.Stopwatch.StartNew();
        // A recording with one byte changed, one re-signed by another key, one unsigned.
        var tampered = await _fixtures.RecordAsync(bucket, host, signingKey);
        var segment = tampered.Replace("manifest.json", "segment-0002.mp4.age");
        var bytes = await ceph.ReadObjectAsync(segment);
        bytes[^100] ^= 0x80;
        await PutAsync(segment, bytes);
        var resigned = await _fixtures.RecordAsync(bucket, host, signingKey);
        var (intruderKey, _) = await _fixtures.SshKeygenAsync("intruder");
        using (var intruder = ManifestSigner.Load(intruderKey))
            await PutAsync(resigned + ".sig", intruder.Sign(await ceph.ReadObjectAsync(resigned)));
        var unsigned = await _fixtures.RecordAsync(bucket, host, signingKey: null);
        // An unencrypted MP4 and an age file nobody lists.
        await PutAsync($"s3://{bucket}/exports/leak.mp4", [0, 0, 0, 0x18, .. "ftypisom"u8, 0, 0, 2, 0, .. "isomiso2"u8]);
        var orphan = $"s3://{bucket}/host-audit/synthetic/rec-orphan/segment-0001.mp4.age";
        await PutAsync(orphan, await AgeTestData.EncryptAsync(new byte[1000], [host.Recipient]));
        if (initiated.Elapsed < TimeSpan.FromSeconds(2)) await Task.Delay(TimeSpan.FromSeconds(2) - initiated.Elapsed);

        var (code, doc, _) = await AuditAsync(bucket, "--trust", trust, "--stale-after", "1s", "--json");
        Assert.Equal(3, code);
        Assert.Equal(
        [
            $"age-without-manifest {orphan}",
            $"manifest-unsigned {unsigned}",
            $"object-not-encrypted s3://{bucket}/exports/leak.mp4",
            $"segment-hash-mismatch {segment}",
            $"signer-untrusted {resigned}",
            $"upload-stale s3://{bucket}/host-audit/synthetic/rec-dead/segment-0001.mp4.age",
        ], Findings(doc).Select(f => $"{f.GetProperty("code").GetString()} {f.GetProperty("subject").GetString()}").Order(StringComparer.Ordinal));
        Assert.Contains("an unencrypted MP4 (ftyp box)", Findings(doc).Single(f => f.GetProperty("code").GetString() == "object-not-encrypted").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_deleted_event_is_a_gap_and_the_checkpoint_no_longer_matches()
    {
        var (bucket, _, trust, _) = await CleanRecordingAsync("audit-gap");
        await ceph.Client.DeleteObjectAsync(bucket, "audit/entries/000000000002");
        var (code, doc, _) = await AuditAsync(bucket, "--trust", trust, "--json");
        Assert.Equal(3, code);
        // The deleted event was segment 1's: the recording no longer has an event for it either.
        Assert.Equal(["checkpoint-inconsistent", "checkpoint-inconsistent", "log-events-mismatch", "log-gap"], Findings(doc).Select(f => f.GetProperty("code").GetString()!).Order(StringComparer.Ordinal));
        Assert.Contains("entries 2 to 2 are missing and entry 3 exists", Findings(doc).Single(f => f.GetProperty("code").GetString() == "log-gap").GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_event_rewritten_as_a_second_version_of_its_key_is_named_and_the_original_still_counts()
    {
        var bucket = await ceph.CreateVersionedBucketAsync("audit-rewrite");
        var (signingKey, trust) = await KeysAsync();
        var (_, host) = _fixtures.HostKey();
        var manifest = await _fixtures.RecordAsync(bucket, host, signingKey);
        await _fixtures.WriteEventsAsync(bucket, manifest, signingKey);
        await _fixtures.CheckpointAsync(bucket, signingKey);
        var entry = $"s3://{bucket}/audit/entries/000000000003";
        var original = await ceph.ReadObjectAsync(entry);
        Assert.Contains("\"segment\":2", Encoding.UTF8.GetString(original));
        await PutAsync(entry, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(original).Replace("\"segment\":2", "\"segment\":9")));

        var (code, doc, _) = await AuditAsync(bucket, "--trust", trust, "--json");
        Assert.Equal(3, code);
        var finding = Assert.Single(Findings(doc));
        Assert.Equal(("log-entry-rewritten", entry), (finding.GetProperty("code").GetString(), finding.GetProperty("subject").GetString()));
        Assert.Contains("that no entry claims as a lost race", finding.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_checkpoint_that_does_not_extend_the_previous_one_is_named()
    {
        var (bucket, signingKey, trust, _) = await CleanRecordingAsync("audit-fork");
        // A validly signed checkpoint of 7 entries whose root is that of another history.
        using var signer = ManifestSigner.Load(signingKey);
        var origin = AuditLog.Origin(bucket, "");
        var forged = new Checkpoint(origin, 7, MerkleTree.Root([.. Enumerable.Range(0, 7).Select(i => MerkleTree.LeafHash([(byte)i]))]));
        using var noteSigner = new NoteSigner(origin, signer.PublicKey.Key.Span, signer.SignRaw);
        await PutAsync($"s3://{bucket}/audit/checkpoints/000000000007", Encoding.UTF8.GetBytes(SignedNote.Sign(forged.Format(), noteSigner)));
        await _fixtures.WriteEventsAsync(bucket, (await ListManifestsAsync(bucket)).Single(), signingKey); // the log grows past 7
        await _fixtures.CheckpointAsync(bucket, signingKey);

        var (code, doc, _) = await AuditAsync(bucket, "--trust", trust, "--json");
        Assert.Equal(3, code);
        var finding = Assert.Single(Findings(doc));
        Assert.Equal(("checkpoint-inconsistent", $"s3://{bucket}/audit/checkpoints/000000000007"),
            (finding.GetProperty("code").GetString(), finding.GetProperty("subject").GetString()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Several_workers_appending_at_once_leave_a_log_without_fork_or_lost_event(bool objectLock)
    {
        var bucket = objectLock ? await ceph.CreateObjectLockBucketAsync("audit-race") : await ceph.CreateBucketAsync("audit-race");
        var (signingKey, trust) = await KeysAsync();
        using var signer = ManifestSigner.Load(signingKey);
        var store = new S3ObjectStore(ceph.Client);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var writer = new AuditLogWriter(store, bucket, "", signer, $"worker-{w}");
            for (var i = 0; i < 10; i++)
                await writer.AppendAsync(new AuditEvent { Type = AuditEventTypes.RecordingStarted, Time = DateTimeOffset.UtcNow, RecordingId = $"rec-{w}-{i}" }, CancellationToken.None);
        })));
        await _fixtures.CheckpointAsync(bucket, signingKey);

        var check = await new AuditLogVerifier(store, bucket, "", Recorder.Pipeline.Audit.TrustedSigners.Load(trust)).CheckAsync();
        Assert.Empty(check.Findings);
        Assert.Equal(40, check.Entries);
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(w => Enumerable.Range(0, 10).Select(i => $"rec-{w}-{i}")).Order(), check.EventsByRecording.Keys.Order());
        Assert.All(check.EventsByRecording.Values, events => Assert.Single(events));
    }

    [Fact]
    public async Task An_object_lock_bucket_with_the_documented_policy_and_lifecycle_passes_what_ceph_can_report()
    {
        var bucket = await WellConfiguredBucketAsync("audit-settings");
        var (_, doc, _) = await AuditAsync(bucket, "--json");
        var settings = doc.GetProperty("settings").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("status").GetString()!);
        Assert.Equal(new Dictionary<string, string>
        {
            ["versioning"] = "pass",
            ["object-lock"] = "pass",
            ["policy-denies-non-tls"] = "pass",
            ["no-public-access"] = "cannot-verify",
            ["lifecycle-abort-incomplete-uploads"] = "pass",
            ["default-encryption"] = "cannot-verify",
        }, settings);

        // A plain bucket fails what it lacks.
        var plain = await ceph.CreateBucketAsync("audit-settings");
        (var code, doc, _) = await AuditAsync(plain, "--json");
        Assert.Equal(3, code);
        settings = doc.GetProperty("settings").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("status").GetString()!);
        Assert.Equal(["fail", "fail", "fail", "fail"], new[] { "versioning", "object-lock", "policy-denies-non-tls", "lifecycle-abort-incomplete-uploads" }.Select(n => settings[n]));
    }

    /// <summary>An Object Lock bucket (default retention) with the documented policy and lifecycle rule (docs/audit.md).</summary>
    private async Task<string> WellConfiguredBucketAsync(string purpose)
    {
        var bucket = await ceph.CreateObjectLockBucketAsync(purpose);
        // docs/bucket-policy.json, less its second statement: Ceph enforces "Null aws:SecureTransport" over the plain HTTP
        // these tests use (it would lock the test out), and accepts without enforcing the first (the note's table).
        using var template = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "bucket-policy.json")).Replace("BUCKET", bucket));
        var first = template.RootElement.GetProperty("Statement")[0];
        Assert.Equal("DenyPlainHttp", first.GetProperty("Sid").GetString());
        await ceph.Client.PutBucketPolicyAsync(bucket, $"{{\"Version\":\"2012-10-17\",\"Statement\":[{first.GetRawText()}]}}");
        await ceph.Client.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new LifecycleConfiguration
            {
                Rules = [new LifecycleRule { Id = "abort-incomplete-uploads", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "" } }, AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 7 } }],
            },
        });
        return bucket;
    }

    private async Task<(string Bucket, string SigningKey, string Trust, X25519Identity Host)> CleanRecordingAsync(string purpose, bool wellConfigured = false)
    {
        var bucket = wellConfigured ? await WellConfiguredBucketAsync(purpose) : await ceph.CreateBucketAsync(purpose);
        var (signingKey, trust) = await KeysAsync();
        var (_, host) = _fixtures.HostKey();
        var manifest = await _fixtures.RecordAsync(bucket, host, signingKey);
        await _fixtures.WriteEventsAsync(bucket, manifest, signingKey);
        Assert.Equal(5, await _fixtures.CheckpointAsync(bucket, signingKey)); // scheduled, started, 2 segments, ended
        return (bucket, signingKey, trust, host);
    }

    private async Task<(string SigningKey, string Trust)> KeysAsync()
    {
        var path = Path.Combine(_fixtures.Folder, "recorder");
        if (!File.Exists(path)) await _fixtures.SshKeygenAsync("recorder");
        return (path, path + ".pub");
    }

    private async Task<IReadOnlyList<string>> ListManifestsAsync(string bucket)
    {
        var listed = await ceph.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        return [.. listed.S3Objects.Where(o => o.Key.EndsWith("/manifest.json", StringComparison.Ordinal)).Select(o => $"s3://{bucket}/{o.Key}")];
    }

    private Task<(int Code, JsonElement Document, string Stderr)> AuditAsync(string bucket, params string[] args) =>
        _fixtures.RunJsonAsync(log, ["audit", "--bucket", bucket, .. args]);

    private static IEnumerable<JsonElement> Findings(JsonElement doc) => SignedRecordings.Findings(doc);

    private static IReadOnlyList<string> Codes(JsonElement doc) => SignedRecordings.Codes(doc);

    private Task PutAsync(string s3Uri, byte[] bytes) => _fixtures.PutAsync(s3Uri, bytes);

    public void Dispose() => _fixtures.Dispose();
}
