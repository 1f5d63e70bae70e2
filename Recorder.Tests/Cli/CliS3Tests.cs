using Recorder.Storage;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Recorder.Cli.S3;
using Recorder.Crypto;
using Recorder.Crypto.Keys;
using Recorder.Crypto.Recipients;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// s3:// sources and destinations against the real local Ceph gateway: encrypt
/// into a bucket, random-access decrypt from it, and grant with UploadPartCopy
/// (only the first part travels) or streaming, checked with the age CLI.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CliS3Tests(CephFixture ceph) : IDisposable
{
    private readonly CliFiles _files = new();

    private IReadOnlyDictionary<string, string?> Env => CliRunner.CephEnvironment(ceph.Options);

    private static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private Task<byte[]> GetAsync(string bucket, string key) => ceph.ReadObjectAsync($"s3://{bucket}/{key}");

    [Fact]
    public async Task Encrypt_to_s3_then_decrypt_a_range_from_s3()
    {
        var bucket = await ceph.CreateBucketAsync("enc");
        var (key, recipient) = _files.NewIdentity("key.txt");
        var plaintext = AgeTestDataForCli.Random(9 * 1024 * 1024 + 5); // more than one 8 MiB upload part
        var encrypted = await CliRunner.RunAsync(["encrypt", "-r", recipient, "-o", $"s3://{bucket}/a/b.age"], plaintext, Env);
        Assert.Equal((0, ""), (encrypted.ExitCode, ProgressLines.Strip(encrypted.StandardError)));

        var range = await CliRunner.RunAsync(["decrypt", "-i", key, "--offset", "8388600", "--length", "70000", $"s3://{bucket}/a/b.age"], null, Env);
        Assert.Equal((0, ""), (range.ExitCode, ProgressLines.Strip(range.StandardError)));
        Assert.Equal(Sha(plaintext.AsSpan(8388600, 70000).ToArray()), Sha(range.StandardOutput));

        var whole = await CliRunner.RunAsync(["decrypt", "-i", key, $"s3://{bucket}/a/b.age"], null, Env);
        Assert.Equal(Sha(plaintext), Sha(whole.StandardOutput));
    }

    [Fact]
    public async Task Failed_decrypt_to_s3_leaves_no_object()
    {
        var bucket = await ceph.CreateBucketAsync("fail");
        var (key, _) = _files.NewIdentity("key.txt");
        var ciphertext = await AgeTestDataForCli.EncryptForAsync(AgeTestDataForCli.Random(20 * 65536), key);
        ciphertext[^100] ^= 1;
        var file = _files.Write("bad.age", ciphertext);
        var result = await CliRunner.RunAsync(["decrypt", "-i", key, "-o", $"s3://{bucket}/out.bin", file], null, Env);
        Assert.Equal(1, result.ExitCode);
        var listing = await ceph.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Empty(listing.S3Objects ?? []);
        Assert.Empty((await ceph.Client.ListMultipartUploadsAsync(bucket)).MultipartUploads ?? []);
    }

    [Fact]
    public async Task Grant_between_s3_objects_copies_the_payload_in_the_store_and_age_opens_it()
    {
        var bucket = await ceph.CreateBucketAsync("grant");
        var (host, _) = _files.NewIdentity("host.key");
        var (archivist, archivistRecipient) = _files.NewIdentity("archivist.key");
        var plaintext = AgeTestDataForCli.Random(12 * 1024 * 1024 + 321);
        var original = await AgeTestDataForCli.EncryptForAsync(plaintext, host);
        await ceph.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "seg.age", InputStream = new MemoryStream(original) });

        // The library path reports how the object was built.
        var identities = AgeKeyFile.ReadIdentities(host);
        AgeRewrapResult rewrap;
        await using (var source = await S3SeekableReadStream.OpenAsync(new S3ObjectStore(ceph.Client), bucket, "seg.age"))
            rewrap = await AgeRewrapper.RewrapHeaderAsync(source, identities.ToArray(), [X25519Recipient.Parse(archivistRecipient)]);
        foreach (var i in identities) i.Dispose();
        var outcome = await S3Rewrap.TryCopyAsync(ceph.Client, new S3Uri(bucket, "seg.age"), new S3Uri(bucket, "lib.age"), rewrap, default);
        Assert.NotNull(outcome);
        Assert.True(outcome.UsedPartCopy);
        Assert.Equal(rewrap.Header.Length + S3Rewrap.FirstPartPayloadBytes, outcome.BytesTransferred);
        Assert.Equal(original.Length - rewrap.PayloadOffset - S3Rewrap.FirstPartPayloadBytes, outcome.BytesCopiedInStore);

        // And the CLI verb, from s3:// to s3://.
        var grant = await CliRunner.RunAsync(["grant", "-i", host, "-r", archivistRecipient, "-o", $"s3://{bucket}/granted.age", $"s3://{bucket}/seg.age"], null, Env);
        Assert.Equal((0, ""), (grant.ExitCode, ProgressLines.Strip(grant.StandardError)));

        foreach (var key in new[] { "lib.age", "granted.age" })
        {
            var granted = _files.Write(key, await GetAsync(bucket, key));
            await AgeTestDataForCli.AssertSamePayloadAsync(original, File.ReadAllBytes(granted));
            var output = _files.PathOf(key + ".out");
            var age = await ProcessRunner.RunAsync("age", ["-d", "-i", archivist, "-o", output, granted], TimeSpan.FromSeconds(60));
            Assert.Equal((0, ""), (age.ExitCode, age.StandardError));
            Assert.Equal(Sha(plaintext), Sha(File.ReadAllBytes(output)));
        }
    }

    [Fact]
    public async Task Grant_of_a_small_s3_object_streams_and_age_opens_it()
    {
        var bucket = await ceph.CreateBucketAsync("small");
        var (host, _) = _files.NewIdentity("host.key");
        var (archivist, archivistRecipient) = _files.NewIdentity("archivist.key");
        var plaintext = AgeTestDataForCli.Random(300_000);
        var original = await AgeTestDataForCli.EncryptForAsync(plaintext, host);
        await ceph.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "seg.age", InputStream = new MemoryStream(original) });

        var grant = await CliRunner.RunAsync(["grant", "-i", host, "-r", archivistRecipient, "-o", $"s3://{bucket}/granted.age", $"s3://{bucket}/seg.age"], null, Env);
        Assert.Equal((0, ""), (grant.ExitCode, ProgressLines.Strip(grant.StandardError)));
        var granted = _files.Write("granted.age", await GetAsync(bucket, "granted.age"));
        await AgeTestDataForCli.AssertSamePayloadAsync(original, File.ReadAllBytes(granted));
        var output = _files.PathOf("granted.out");
        var age = await ProcessRunner.RunAsync("age", ["-d", "-i", archivist, "-o", output, granted], TimeSpan.FromSeconds(60));
        Assert.Equal((0, ""), (age.ExitCode, age.StandardError));
        Assert.Equal(Sha(plaintext), Sha(File.ReadAllBytes(output)));
    }

    public void Dispose() => _files.Dispose();
}
