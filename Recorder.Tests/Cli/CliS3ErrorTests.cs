using System.Text.RegularExpressions;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// The error vocabulary against the real local S3 (Ceph): a missing object, a missing
/// bucket, a wrong secret, the wrong key and a truncated object, per verb. {bucket} is
/// a fresh bucket holding {bucket}/file.age (for {key}) and {bucket}/cut.age (the same
/// cut inside its second chunk); {endpoint} the gateway's URL.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CliS3ErrorTests(CephFixture ceph) : IDisposable
{
    private const string NoObject = @"recorder: error: s3://{bucket}/missing\.age: no such object\n"
        + @"recorder: hint: check the key: 'aws s3 ls s3://BUCKET/PREFIX/' lists what is there\n";
    private const string NoBucket = @"recorder: hint: check the bucket name, and that AWS_ENDPOINT_URL_S3 \({endpoint}\) is the server that has it\n";

    private readonly CliFiles _files = new();

    public static TheoryData<string, string, string?, int, string> Table() => new()
    {
        { "decrypt: a missing object", "decrypt -i {key} s3://{bucket}/missing.age", null, 1, NoObject },
        { "inspect: a missing object", "inspect s3://{bucket}/missing.age", null, 1, NoObject },
        { "grant: a missing object", "grant -i {key} -r {recipient} -o {dir}/g.age s3://{bucket}/missing.age", null, 1, NoObject },
        { "encrypt: a missing bucket", "encrypt -r {recipient} -o s3://{bucket}-gone/x.age {plain}", null, 1,
            @"recorder: error: s3://{bucket}-gone/x\.age: CreateMultipartUpload failed: NoSuchBucket \(404\): the bucket does not exist.*\n" + NoBucket },
        { "audit: a missing bucket", "audit --bucket {bucket}-gone", null, 1, @"recorder: error: s3://{bucket}-gone/.*NoSuchBucket \(404\).*\n" + NoBucket },
        { "encrypt: a wrong secret", "encrypt -r {recipient} -o s3://{bucket}/y.age {plain}", "wrong-secret", 1,
            @"recorder: error: s3://{bucket}/y\.age: CreateMultipartUpload failed: SignatureDoesNotMatch \(403\).*\n"
            + @"recorder: hint: AWS_SECRET_ACCESS_KEY does not belong to AWS_ACCESS_KEY_ID\n" },
        { "inspect: a wrong secret (HEAD: a 403 without a reason)", "inspect s3://{bucket}/file.age", "wrong-secret", 1,
            @"recorder: error: s3://{bucket}/file\.age: HeadObject failed: Forbidden \(403\): the server refused the request\n"
            + @"recorder: hint: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and that they may access this bucket \({endpoint} gave no reason\)\n" },
        { "decrypt: the wrong key names the recipients", "decrypt -i {other} s3://{bucket}/file.age", null, 1,
            @"recorder: error: no identity matched any of the file's recipients\nrecorder: error: the file is encrypted for: x25519:[0-9a-f]{32}\n"
            + @"recorder: error: the identities given are: x25519:[0-9a-f]{32}\nrecorder: hint: .*'recorder inspect' lists them\)\n" },
        { "decrypt: a truncated object is a partial result (exit 4)", "decrypt -i {key} -o {dir}/out.bin s3://{bucket}/cut.age", null, 4,
            @"recorder: warning: truncated after 65536 bytes of plaintext \(1 complete chunks\); the rest of the file is missing\nrecorder: hint: .*\n" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Exit_code_and_stderr_follow_the_vocabulary(string guards, string arguments, string? environment, int exitCode, string stderr)
    {
        var bucket = await ceph.CreateBucketAsync("errors");
        var (key, recipient) = _files.NewIdentity("key.txt");
        var (other, _) = _files.NewIdentity("other.txt");
        var plain = _files.Write("plain.txt", "hello\n"u8.ToArray());
        var sealedBytes = await AgeTestDataForCli.EncryptForAsync(AgeTestDataForCli.Random(140_000), key);
        await ceph.Client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = "file.age", InputStream = new MemoryStream(sealedBytes) });
        await ceph.Client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = "cut.age", InputStream = new MemoryStream(sealedBytes[..100_000]) });
        var env = new Dictionary<string, string?>(CliRunner.CephEnvironment(ceph.Options));
        if (environment == "wrong-secret") env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-0123456789";
        string Fill(string s) => s.Replace("{bucket}", bucket).Replace("{key}", key).Replace("{other}", other).Replace("{recipient}", recipient)
            .Replace("{plain}", plain).Replace("{dir}", _files.Folder);
        var pattern = Fill(stderr).Replace("{endpoint}", Regex.Escape(ceph.Options.ServiceUrl!));

        var result = await CliRunner.RunAsync(Fill(arguments).Split(' '), environment: env);

        Assert.True(exitCode == result.ExitCode, $"{guards}: exit {result.ExitCode}, stderr: {result.StandardError}");
        Assert.Matches(new Regex("^" + pattern + "$"), result.StandardError);
        Assert.DoesNotContain("not-the-secret", result.StandardError);
        Assert.DoesNotContain("Exception", result.StandardError);
    }

    public void Dispose() => _files.Dispose();
}
