using System.Security.Cryptography;
using Amazon.S3.Model;
using Recorder.Crypto.Recipients;
using Recorder.Pipeline.Output;
using Recorder.Pipeline;
using Recorder.Storage;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// The real recording output for a media test: segments age-encrypted for a
/// host key made by <c>age-keygen</c>, multipart-uploaded to the local Ceph S3;
/// and the archivist's way back: download, compare the ciphertext's SHA-256
/// with the manifest, decrypt with the stock <c>age</c> CLI into a file of the
/// test that can be probed and decoded.
/// </summary>
public sealed class EncryptedTestOutput : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly CephFixture _ceph;
    private readonly string _folder = Directory.CreateTempSubdirectory("recorder-encrypted-").FullName;

    private EncryptedTestOutput(CephFixture ceph, string bucket, string recipient)
    {
        _ceph = ceph;
        Recipient = recipient;
        Output = new EncryptedRecordingOutput(new S3ObjectStore(ceph.Client),
            new RecordingLocation(bucket, "", "host-test", "meeting-test", RecordingLocation.NewRecordingId()),
            [X25519Recipient.Parse(recipient)], new MultipartUploadOptions());
    }

    public EncryptedRecordingOutput Output { get; }
    public string Recipient { get; }
    private string IdentityPath => Path.Combine(_folder, "host.key");

    public static async Task<EncryptedTestOutput> CreateAsync(CephFixture ceph)
    {
        var bucket = await ceph.CreateBucketAsync("janus");
        var folder = Directory.CreateTempSubdirectory("recorder-hostkey-").FullName;
        try
        {
            var keyPath = Path.Combine(folder, "host.key");
            var keygen = await ProcessRunner.RunAsync("age-keygen", ["-o", keyPath], Timeout);
            Assert.True(keygen.ExitCode == 0, keygen.StandardError);
            var output = new EncryptedTestOutput(ceph, bucket, keygen.StandardError.Trim()["Public key: ".Length..]);
            File.Move(keyPath, output.IdentityPath);
            return output;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Downloads a segment, checks its hash against the manifest, and decrypts it with <c>age -d</c>; returns the MP4's path.</summary>
    public async Task<string> DecryptAsync(ManifestSegment segment)
    {
        var location = new Uri(segment.Location);
        using var response = await _ceph.Client.GetObjectAsync(new GetObjectRequest { BucketName = location.Host, Key = location.AbsolutePath.TrimStart('/') });
        var encrypted = Path.Combine(_folder, $"segment-{segment.Number}.mp4.age");
        await response.WriteResponseStreamToFileAsync(encrypted, false, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(encrypted);
        Assert.Equal(segment.Bytes, bytes.Length);
        Assert.Equal(segment.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.StartsWith("age-encryption.org/v1\n", System.Text.Encoding.ASCII.GetString(bytes, 0, 22));

        var plain = Path.Combine(_folder, $"segment-{segment.Number}.mp4");
        var age = await ProcessRunner.RunAsync("age", ["-d", "-i", IdentityPath, "-o", plain, encrypted], Timeout);
        Assert.True(age.ExitCode == 0, $"age -d failed: {age.StandardError}");
        Assert.Equal(segment.PlaintextBytes, new FileInfo(plain).Length);
        return plain;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
