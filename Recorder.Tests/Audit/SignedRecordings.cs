using Microsoft.Extensions.Logging.Abstractions;
using Recorder.Crypto.Keys;
using Recorder.Crypto.Recipients;
using Recorder.Pipeline;
using Recorder.Pipeline.Audit.Log;
using Recorder.Pipeline.Encoder;
using Recorder.Pipeline.Signing;
using Recorder.Storage;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Audit;

/// <summary>
/// Fixtures for the auditor's tests: OpenSSH Ed25519 keys made by the stock ssh-keygen, and recordings made by the
/// real pipeline into the local Ceph (a synthetic meeting in virtual time, small and fast), signed or not.
/// </summary>
internal sealed class SignedRecordings : IDisposable
{
    private readonly CephFixture _ceph;

    public SignedRecordings(CephFixture ceph) => _ceph = ceph;

    public string Folder { get; } = Directory.CreateTempSubdirectory("recorder-audit-test-").FullName;

    /// <summary>A new key pair by <c>ssh-keygen -t ed25519 -N ''</c>: the private key file and the public key line.</summary>
    public async Task<(string KeyFile, string PublicKey)> SshKeygenAsync(string name)
    {
        var path = Path.Combine(Folder, name);
        var r = await ProcessRunner.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path], TimeSpan.FromSeconds(30));
        Assert.True(r.ExitCode == 0, r.StandardError);
        return (path, (await File.ReadAllTextAsync(path + ".pub")).Trim());
    }

    /// <summary>An age identity file for the host, and the identity itself.</summary>
    public (string KeyFile, X25519Identity Identity) HostKey(string name = "host.key")
    {
        var identity = X25519Identity.Generate();
        var path = Path.Combine(Folder, name);
        using (var writer = new StreamWriter(path)) AgeKeyFile.WriteIdentity(writer, identity, DateTimeOffset.UtcNow);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (path, identity);
    }

    /// <summary>Records <paramref name="seconds"/> s of a synthetic meeting in segments of <paramref name="segmentSeconds"/> s; returns the manifest's s3:// URI.</summary>
    public async Task<string> RecordAsync(string bucket, X25519Identity host, string? signingKey, int seconds = 6, int segmentSeconds = 3,
        string prefix = "")
    {
        using var signer = signingKey is null ? null : ManifestSigner.Load(signingKey);
        var request = new RecordingRequest
        {
            MeetingUri = $"synthetic://?participants=2&seconds={seconds}",
            Recipients = [host.Recipient],
            Bucket = bucket,
            Prefix = prefix,
            HostId = "host-audit",
            Encoder = new FfmpegEncoderOptions { Width = 320, Height = 180, Preset = "ultrafast" },
            MaxSegmentDuration = TimeSpan.FromSeconds(segmentSeconds),
            Signer = signer,
        };
        var session = new RecordingSession(request, new S3ObjectStore(_ceph.Client), NullLogger.Instance);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var manifest = await session.RunAsync(CancellationToken.None, timeout.Token);
        Assert.Equal("completed", manifest.State);
        return session.ManifestLocation;
    }

    /// <summary>
    /// The audit events the service writes for a recording (scheduled, started, each segment, ended), signed with
    /// <paramref name="signingKey"/>, as the service's <c>RecordingEventApplier</c> would append them.
    /// </summary>
    public async Task WriteEventsAsync(string bucket, string manifestUri, string signingKey, string prefix = "")
    {
        var manifest = RecordingManifest.Parse(await _ceph.ReadObjectAsync(manifestUri));
        using var signer = ManifestSigner.Load(signingKey);
        var writer = new AuditLogWriter(new S3ObjectStore(_ceph.Client), bucket, prefix, signer, "worker-test");
        AuditEvent Event(string type) => new() { Type = type, Time = manifest.StartedAt, HostId = manifest.HostId, RecordingId = manifest.RecordingId };
        await writer.AppendAsync(Event(AuditEventTypes.RecordingScheduled), CancellationToken.None);
        await writer.AppendAsync(Event(AuditEventTypes.RecordingStarted), CancellationToken.None);
        foreach (var s in manifest.Segments)
        {
            await writer.AppendAsync(Event(s.Truncated ? AuditEventTypes.SegmentTruncated : AuditEventTypes.SegmentCompleted) with
            {
                Segment = s.Number, Object = s.Location[(s.Location.IndexOf('/', 5) + 1)..], Bytes = s.Bytes, Sha256 = s.Sha256,
            }, CancellationToken.None);
        }
        await writer.AppendAsync(Event(AuditEventTypes.RecordingEnded) with { Detail = "completed" }, CancellationToken.None);
    }

    /// <summary>A checkpoint of the whole log, as the service's checkpoint service signs it.</summary>
    public async Task<long?> CheckpointAsync(string bucket, string signingKey, string prefix = "")
    {
        using var signer = ManifestSigner.Load(signingKey);
        return await new AuditCheckpointer(new S3ObjectStore(_ceph.Client), bucket, prefix, signer).CheckpointAsync(CancellationToken.None);
    }

    /// <summary>Runs a CLI verb that prints one JSON document (its stderr goes to the test's log).</summary>
    public async Task<(int Code, System.Text.Json.JsonElement Document, string Stderr)> RunJsonAsync(Xunit.Abstractions.ITestOutputHelper log, string[] args)
    {
        var run = await CliRunner.RunAsync(args, environment: CliRunner.CephEnvironment(_ceph.Options));
        log.WriteLine(run.StandardError);
        Assert.True(run.StandardOutput.Length > 0, $"exit {run.ExitCode}, no document: {run.StandardError}");
        return (run.ExitCode, System.Text.Json.JsonDocument.Parse(run.StandardOutput).RootElement.Clone(), run.StandardError);
    }

    public static IEnumerable<System.Text.Json.JsonElement> Findings(System.Text.Json.JsonElement doc) => doc.GetProperty("findings").EnumerateArray();

    /// <summary>"severity code" of every finding, sorted: the exact set a test expects.</summary>
    public static IReadOnlyList<string> Codes(System.Text.Json.JsonElement doc) =>
        [.. Findings(doc).Select(f => $"{f.GetProperty("severity").GetString()} {f.GetProperty("code").GetString()}").Order(StringComparer.Ordinal)];

    /// <summary>Replaces an object's bytes (tampering, as an intruder with write access would).</summary>
    public async Task PutAsync(string s3Uri, byte[] bytes)
    {
        var path = s3Uri["s3://".Length..];
        var slash = path.IndexOf('/');
        await _ceph.Client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = path[..slash], Key = path[(slash + 1)..], InputStream = new MemoryStream(bytes),
        });
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
