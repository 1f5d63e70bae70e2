using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using Recorder.Pipeline.Signing;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Audit;

/// <summary>
/// <c>recorder verify</c> against recordings the real pipeline stored in the local Ceph: a clean one holds (exit 0),
/// and each kind of tampering is named exactly (exit 3) — nothing more, nothing less.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class VerifyCommandTests(CephFixture ceph, ITestOutputHelper log) : IDisposable
{
    private readonly SignedRecordings _fixtures = new(ceph);

    [Fact]
    public async Task A_signed_recording_holds_with_the_trusted_key_and_the_stock_ssh_keygen_agrees_with_the_signature()
    {
        var (_, manifest, trust, hostKeyFile) = await SignedRecordingAsync();
        var publicKey = (await File.ReadAllTextAsync(trust)).Trim();

        var (code, doc, stderr) = await VerifyAsync("--trust", trust, "--json", manifest);
        Assert.True(code == 0, stderr);
        Assert.True(doc.GetProperty("holds").GetBoolean());
        Assert.Equal(("signed", "trusted"), (doc.GetProperty("signature").GetProperty("status").GetString(), doc.GetProperty("signature").GetProperty("trust").GetString()));
        Assert.Equal(2, doc.GetProperty("segments").GetArrayLength());
        Assert.All(doc.GetProperty("segments").EnumerateArray(), s => Assert.True(s.GetProperty("hashMatches").GetBoolean()));
        Assert.Empty(Codes(doc));

        // With the host's key: every segment decrypted and probed, durations as the manifest says.
        (code, doc, stderr) = await VerifyAsync("--trust", trust, "-i", hostKeyFile, "--json", manifest);
        Assert.True(code == 0, stderr);
        Assert.All(doc.GetProperty("segments").EnumerateArray(), s =>
        {
            Assert.True(s.GetProperty("decrypted").GetBoolean());
            Assert.InRange(s.GetProperty("mediaSeconds").GetDouble(), 2.5, 3.5);
            Assert.Equal(["video:h264", "audio:aac"], s.GetProperty("streams").EnumerateArray().Select(e => e.GetString()).Order().Reverse());
        });

        // The stock tool, exactly as docs/audit.md says.
        var m = Path.Combine(_fixtures.Folder, "manifest.json");
        await File.WriteAllBytesAsync(m, await ceph.ReadObjectAsync(manifest));
        await File.WriteAllBytesAsync(m + ".sig", await ceph.ReadObjectAsync(manifest + ".sig"));
        var allowed = Path.Combine(_fixtures.Folder, "allowed_signers");
        await File.WriteAllTextAsync(allowed, $"recorder {publicKey}\n");
        var stock = await ProcessRunner.RunAsync("ssh-keygen", ["-Y", "verify", "-f", allowed, "-I", "recorder", "-n", "recorder-manifest", "-s", m + ".sig"],
            TimeSpan.FromSeconds(30), standardInput: await File.ReadAllBytesAsync(m));
        Assert.True(stock.ExitCode == 0, stock.StandardError);
        Assert.StartsWith("Good \"recorder-manifest\" signature for recorder with ED25519 key SHA256:", stock.StandardOutput);
    }

    [Fact]
    public async Task Without_trust_a_key_published_only_in_the_bucket_is_reported_as_such_and_an_unsigned_recording_as_unsigned()
    {
        var bucket = await ceph.CreateBucketAsync("verify");
        var (signingKey, _) = await _fixtures.SshKeygenAsync("recorder");
        var (_, host) = _fixtures.HostKey();
        var signed = await _fixtures.RecordAsync(bucket, host, signingKey);
        var (code, doc, stderr) = await VerifyAsync("--json", signed);
        Assert.True(code == 0, stderr);
        Assert.Equal(["notice signer-only-in-bucket"], Codes(doc));
        Assert.Equal("bucket-only", doc.GetProperty("signature").GetProperty("trust").GetString());

        var unsigned = await _fixtures.RecordAsync(bucket, host, signingKey: null);
        (code, doc, _) = await VerifyAsync("--json", unsigned);
        Assert.Equal(3, code);
        Assert.Equal(["violation manifest-unsigned"], Codes(doc));
    }

    [Fact]
    public async Task One_changed_byte_in_a_segment_is_a_hash_mismatch_and_fails_authenticated_decryption()
    {
        var (_, manifest, trust, hostKeyFile) = await SignedRecordingAsync();
        var segment = manifest.Replace("manifest.json", "segment-0001.mp4.age");
        var bytes = await ceph.ReadObjectAsync(segment);
        bytes[bytes.Length / 2] ^= 0x01;
        await PutAsync(segment, bytes);

        var (code, doc, _) = await VerifyAsync("--trust", trust, "--json", manifest);
        Assert.Equal(3, code);
        Assert.Equal(["violation segment-hash-mismatch"], Codes(doc));
        Assert.Equal(segment, Findings(doc).Single().GetProperty("subject").GetString());

        (code, doc, _) = await VerifyAsync("--trust", trust, "-i", hostKeyFile, "--json", manifest);
        Assert.Equal(3, code);
        Assert.Equal(["violation decryption-failed", "violation segment-hash-mismatch"], Codes(doc));
        Assert.Contains("chunk", Findings(doc).First(f => f.GetProperty("code").GetString() == "decryption-failed").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Two_swapped_segments_are_both_named()
    {
        var (_, manifest, trust, _) = await SignedRecordingAsync();
        var first = manifest.Replace("manifest.json", "segment-0001.mp4.age");
        var second = manifest.Replace("manifest.json", "segment-0002.mp4.age");
        var (a, b) = (await ceph.ReadObjectAsync(first), await ceph.ReadObjectAsync(second));
        await PutAsync(first, b);
        await PutAsync(second, a);

        var (code, doc, _) = await VerifyAsync("--trust", trust, "--json", manifest);
        Assert.Equal(3, code);
        Assert.Equal([first, second], Findings(doc).Select(f => f.GetProperty("subject").GetString()));
        Assert.Equal(["violation segment-hash-mismatch", "violation segment-hash-mismatch"], Codes(doc));
    }

    [Fact]
    public async Task A_manifest_resigned_with_another_key_is_untrusted_and_an_edited_manifest_fails_its_signature()
    {
        var (_, manifest, trust, _) = await SignedRecordingAsync();
        var (otherKey, _) = await _fixtures.SshKeygenAsync("intruder");
        var original = await ceph.ReadObjectAsync(manifest);
        using (var intruder = ManifestSigner.Load(otherKey)) await PutAsync(manifest + ".sig", intruder.Sign(original));
        var (code, doc, _) = await VerifyAsync("--trust", trust, "--json", manifest);
        Assert.Equal(3, code);
        Assert.Equal(["violation signer-untrusted"], Codes(doc));
        Assert.Contains("is not among the trusted keys", Findings(doc).Single().GetProperty("message").GetString());

        // Back to the recorder's signature, but the manifest edited (a segment's recorded hash changed).
        using (var recorder = ManifestSigner.Load(Path.Combine(_fixtures.Folder, "recorder"))) await PutAsync(manifest + ".sig", recorder.Sign(original));
        var text = Encoding.UTF8.GetString(original);
        var sha = JsonDocument.Parse(original).RootElement.GetProperty("segments")[0].GetProperty("sha256").GetString()!;
        await PutAsync(manifest, Encoding.UTF8.GetBytes(text.Replace(sha, new string('0', 64))));
        (code, doc, _) = await VerifyAsync("--trust", trust, "--json", manifest);
        Assert.Equal(3, code);
        Assert.Equal(["violation segment-hash-mismatch", "violation signature-invalid"], Codes(doc));
    }

    [Fact]
    public async Task A_rotated_key_is_trusted_only_for_its_period()
    {
        var (_, manifest, trust, _) = await SignedRecordingAsync();
        var publicKey = (await File.ReadAllTextAsync(trust)).Trim();
        var allowed = Path.Combine(_fixtures.Folder, "allowed_signers");
        await File.WriteAllTextAsync(allowed, $"# rotated out in 2025\nrecorder valid-before=\"20250101\" {publicKey}\n");
        var (code, doc, _) = await VerifyAsync("--trust", allowed, "--json", manifest);
        Assert.Equal(3, code);
        Assert.Equal(["violation signer-untrusted"], Codes(doc));
        Assert.Contains("is trusted only before 2025-01-01 00:00:00Z", Findings(doc).Single().GetProperty("message").GetString());

        await File.WriteAllTextAsync(allowed, $"recorder valid-after=\"20250101\" {publicKey}\n");
        (code, _, var stderr) = await VerifyAsync("--trust", allowed, "--json", manifest);
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public async Task The_recordings_events_in_the_audit_log_are_shown_and_checked_against_the_manifest()
    {
        var (bucket, manifest, trust, _) = await SignedRecordingAsync();
        var signingKey = Path.Combine(_fixtures.Folder, "recorder");
        await _fixtures.WriteEventsAsync(bucket, manifest, signingKey);
        var (code, doc, stderr) = await VerifyAsync("--trust", trust, "--json", manifest);
        Assert.True(code == 0, stderr);
        Assert.Equal(["recording.scheduled", "recording.started", "segment.completed", "segment.completed", "recording.ended"],
            doc.GetProperty("auditEvents").EnumerateArray().Select(e => e.GetProperty("type").GetString()));

        // Another recording's events wrongly claiming this one's id, with another hash for segment 2.
        using (var signer = ManifestSigner.Load(signingKey))
        {
            var writer = new Recorder.Pipeline.Audit.Log.AuditLogWriter(new Recorder.Storage.S3ObjectStore(ceph.Client), bucket, "", signer, "worker-x");
            var id = doc.GetProperty("recordingId").GetString();
            await writer.AppendAsync(new Recorder.Pipeline.Audit.Log.AuditEvent
            {
                Type = "segment.completed", Time = DateTimeOffset.UtcNow, RecordingId = id, Segment = 2, Sha256 = new string('a', 64),
            }, CancellationToken.None);
        }
        (code, doc, _) = await VerifyAsync("--trust", trust, "--json", manifest);
        Assert.Equal(3, code);
        var finding = Assert.Single(Findings(doc));
        Assert.Equal(("log-events-mismatch", manifest.Replace("manifest.json", "segment-0002.mp4.age")),
            (finding.GetProperty("code").GetString(), finding.GetProperty("subject").GetString()));
        Assert.Contains($"with SHA-256 {new string('a', 64)}; the manifest says ", finding.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("/tmp/manifest.json", "recorder: error: verify checks stored recordings: '/tmp/manifest.json' is not an s3:// manifest.json or segment-NNNN.mp4.age")]
    [InlineData("s3://b/x/notes.txt", "recorder: error: verify checks stored recordings: 's3://b/x/notes.txt' is not an s3:// manifest.json or segment-NNNN.mp4.age")]
    public async Task A_source_that_is_not_a_stored_recording_is_a_usage_error(string source, string error)
    {
        var run = await CliRunner.RunAsync(["verify", source], environment: CliRunner.CephEnvironment(ceph.Options));
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(error + "\n", run.StandardError);
    }

    [Fact]
    public async Task A_trust_file_without_a_key_is_a_usage_error()
    {
        var trust = Path.Combine(_fixtures.Folder, "empty.pub");
        await File.WriteAllTextAsync(trust, "# nothing here\n");
        var run = await CliRunner.RunAsync(["verify", "--trust", trust, "s3://no-such-bucket/h/m/r/manifest.json"], environment: CliRunner.CephEnvironment(ceph.Options));
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"recorder: error: --trust {trust}: {trust} names no key (expected an ssh-ed25519 public key line, or allowed_signers lines)\n", run.StandardError);
    }

    private async Task<(string Bucket, string Manifest, string Trust, string HostKeyFile)> SignedRecordingAsync()
    {
        var bucket = await ceph.CreateBucketAsync("verify");
        var (signingKey, publicKey) = await _fixtures.SshKeygenAsync("recorder");
        var (hostKeyFile, host) = _fixtures.HostKey();
        var manifest = await _fixtures.RecordAsync(bucket, host, signingKey);
        var trust = Path.Combine(_fixtures.Folder, "recorder.pub");
        await File.WriteAllTextAsync(trust, publicKey + "\n");
        return (bucket, manifest, trust, hostKeyFile);
    }

    private Task<(int Code, JsonElement Document, string Stderr)> VerifyAsync(params string[] args) => _fixtures.RunJsonAsync(log, ["verify", .. args]);

    private static IEnumerable<JsonElement> Findings(JsonElement doc) => SignedRecordings.Findings(doc);

    private static IReadOnlyList<string> Codes(JsonElement doc) => SignedRecordings.Codes(doc);

    private Task PutAsync(string s3Uri, byte[] bytes) => _fixtures.PutAsync(s3Uri, bytes);

    public void Dispose() => _fixtures.Dispose();
}
