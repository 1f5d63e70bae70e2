using System.Text.Json;
using Recorder.Tests.Crypto;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// The CLI as it is installed — compiled ahead of time (README, "CLI"), started
/// through its launcher as a separate process — against the stock age CLI, the
/// local Ceph S3 and the KMS test double. The in-process CLI tests cover the
/// contract in depth; these prove the native program behaves the same where
/// ahead-of-time compilation could differ: JSON (source-generated), the AWS SDK,
/// BouncyCastle, OpenSSL. <c>record</c> under the native program is covered by
/// NoDiskTests and JanusNoDiskTests.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NativeCliTests(CephFixture ceph) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly CliFiles _files = new();

    private static string Sha(byte[] data) => AgeTestData.Sha256(data);

    private static string FileSha(string path) => Sha(File.ReadAllBytes(path));

    [SkippableFact]
    public async Task Keygen_encrypt_decrypt_inspect_and_grant_interoperate_with_stock_age()
    {
        var recorder = RepositoryPaths.NativeLauncherOrSkip();
        var plaintext = _files.Write("plain.bin", AgeTestDataForCli.Random(3 * 65536 + 1));

        var keygen = await ProcessRunner.RunAsync(recorder, ["keygen", "-o", _files.PathOf("host.key")], Timeout);
        Assert.Equal(0, keygen.ExitCode);
        var recipient = keygen.StandardError.Trim()["Public key: ".Length..];
        Assert.StartsWith("age1", recipient);

        // Native encrypt, stock age decrypts.
        var encrypt = await ProcessRunner.RunAsync(recorder, ["encrypt", "-r", recipient, "-o", _files.PathOf("a.age"), plaintext], Timeout);
        Assert.Equal((0, ""), (encrypt.ExitCode, ProgressLines.Strip(encrypt.StandardError)));
        await AgeAsync(["-d", "-i", _files.PathOf("host.key"), "-o", _files.PathOf("a.out"), _files.PathOf("a.age")]);
        Assert.Equal(FileSha(plaintext), FileSha(_files.PathOf("a.out")));

        // Stock age encrypts, native decrypts.
        await AgeAsync(["-r", recipient, "-o", _files.PathOf("b.age"), plaintext]);
        var decrypt = await ProcessRunner.RunAsync(recorder, ["decrypt", "-i", _files.PathOf("host.key"), "-o", _files.PathOf("b.out"), _files.PathOf("b.age")], Timeout);
        Assert.Equal((0, ""), (decrypt.ExitCode, ProgressLines.Strip(decrypt.StandardError)));
        Assert.Equal(FileSha(plaintext), FileSha(_files.PathOf("b.out")));

        // inspect --json: the source-generated document, with its names and values.
        var inspect = await ProcessRunner.RunAsync(recorder, ["inspect", "--json", _files.PathOf("a.age")], Timeout);
        Assert.Equal((0, ""), (inspect.ExitCode, inspect.StandardError));
        using (var json = JsonDocument.Parse(inspect.StandardOutput))
        {
            var root = json.RootElement;
            Assert.Equal("age-encryption.org/v1", root.GetProperty("version").GetString());
            Assert.Equal(["X25519", "recorder-recipients"], root.GetProperty("stanzas").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(3 * 65536 + 1, root.GetProperty("plaintextBytes").GetInt64());
            Assert.Equal(4, root.GetProperty("chunks").GetInt64());
            Assert.Equal(new FileInfo(_files.PathOf("a.age")).Length, root.GetProperty("ciphertextBytes").GetInt64());
        }

        // grant: a new header for the archivist over the same payload; stock age opens it with the archivist's key.
        var (archivistKey, archivist) = _files.NewIdentity("archivist.key");
        var grant = await ProcessRunner.RunAsync(recorder,
            ["grant", "-i", _files.PathOf("host.key"), "-r", archivist, "-o", _files.PathOf("g.age"), _files.PathOf("a.age")], Timeout);
        Assert.Equal((0, ""), (grant.ExitCode, ProgressLines.Strip(grant.StandardError)));
        await AgeAsync(["-d", "-i", archivistKey, "-o", _files.PathOf("g.out"), _files.PathOf("g.age")]);
        Assert.Equal(FileSha(plaintext), FileSha(_files.PathOf("g.out")));

        // A flipped payload byte: "tampered", exit 1, no output file left.
        var tampered = File.ReadAllBytes(_files.PathOf("a.age"));
        tampered[^70_000] ^= 1;
        _files.Write("t.age", tampered);
        var refused = await ProcessRunner.RunAsync(recorder, ["decrypt", "-i", _files.PathOf("host.key"), "-o", _files.PathOf("t.out"), _files.PathOf("t.age")], Timeout);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("recorder: error: ", refused.StandardError);
        Assert.Contains("tampered", refused.StandardError);
        Assert.False(File.Exists(_files.PathOf("t.out")));
    }

    [SkippableFact]
    public async Task Encrypts_from_stdin_into_S3_and_decrypts_a_range_back_from_S3()
    {
        var recorder = RepositoryPaths.NativeLauncherOrSkip();
        var bucket = await ceph.CreateBucketAsync("native");
        var (key, recipient) = _files.NewIdentity("key.txt");
        var plaintext = AgeTestDataForCli.Random(9 * 1024 * 1024 + 5); // more than one 8 MiB upload part
        var env = CliRunner.CephEnvironment(ceph.Options);

        var encrypt = await ProcessRunner.RunAsync(recorder, ["encrypt", "-r", recipient, "-o", $"s3://{bucket}/n.age"], Timeout, env, plaintext);
        Assert.Equal((0, ""), (encrypt.ExitCode, ProgressLines.Strip(encrypt.StandardError)));

        var range = await ProcessRunner.RunAsync(recorder,
            ["decrypt", "-i", key, "--offset", "8388600", "--length", "70000", "-o", _files.PathOf("range.out"), $"s3://{bucket}/n.age"], Timeout, env);
        Assert.Equal((0, ""), (range.ExitCode, ProgressLines.Strip(range.StandardError)));
        Assert.Equal(Sha(plaintext.AsSpan(8388600, 70000).ToArray()), FileSha(_files.PathOf("range.out")));

        var missing = await ProcessRunner.RunAsync(recorder, ["inspect", $"s3://{bucket}/no-such.age"], Timeout, env);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"s3://{bucket}/no-such.age", missing.StandardError);
    }

    [SkippableFact]
    public async Task Kms_recipient_round_trip_and_the_recorders_credentials_cannot_decrypt()
    {
        var recorder = RepositoryPaths.NativeLauncherOrSkip();
        await using var kms = await KmsTestDouble.StartAsync();
        var keyArn = kms.CreateKey();
        var plaintext = _files.Write("plain.bin", AgeTestDataForCli.Random(100_000));

        var encrypt = await ProcessRunner.RunAsync(recorder, ["encrypt", "-r", $"kms:{keyArn}", "-o", _files.PathOf("k.age"), plaintext], Timeout,
            kms.Environment(KmsTestDouble.RecorderAccessKeyId));
        Assert.Equal((0, ""), (encrypt.ExitCode, ProgressLines.Strip(encrypt.StandardError)));

        var refused = await ProcessRunner.RunAsync(recorder, ["decrypt", "-o", _files.PathOf("r.out"), _files.PathOf("k.age")], Timeout,
            kms.Environment(KmsTestDouble.RecorderAccessKeyId));
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith($"recorder: error: no identity matched any of the file's recipients (kms key {keyArn}: AccessDeniedException)\n", refused.StandardError);
        Assert.False(File.Exists(_files.PathOf("r.out")));

        var opened = await ProcessRunner.RunAsync(recorder, ["decrypt", "-o", _files.PathOf("k.out"), _files.PathOf("k.age")], Timeout,
            kms.Environment(KmsTestDouble.ArchivistAccessKeyId));
        Assert.Equal((0, ""), (opened.ExitCode, ProgressLines.Strip(opened.StandardError)));
        Assert.Equal(FileSha(plaintext), FileSha(_files.PathOf("k.out")));
        Assert.Equal(["Encrypt", "Decrypt", "Decrypt"], kms.Calls.Select(c => c.Operation));
    }

    [SkippableFact]
    public async Task Usage_errors_keep_the_exit_code_and_stderr_contract()
    {
        var recorder = RepositoryPaths.NativeLauncherOrSkip();
        var result = await ProcessRunner.RunAsync(recorder, ["inspect"], Timeout);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("recorder: error: required argument missing for command: 'inspect'\nrecorder: hint: run 'recorder inspect --help' for usage\n", result.StandardError);
    }

    private static async Task AgeAsync(string[] arguments)
    {
        var age = await ProcessRunner.RunAsync("age", arguments, Timeout);
        Assert.True(age.ExitCode == 0, age.StandardError);
    }

    public void Dispose() => _files.Dispose();
}
