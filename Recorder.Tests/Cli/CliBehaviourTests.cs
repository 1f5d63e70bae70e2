using System.Security.Cryptography;
using System.Text.Json;
using Recorder.Cli;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>What the verbs do beyond exit codes: outputs, stdout after a failure, KMS, grant, keygen interop.</summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CliBehaviourTests : IDisposable
{
    private const int Chunk = 65536;
    private readonly CliFiles _files = new();

    private static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    [Fact]
    public async Task Encrypt_decrypt_round_trip_through_files_and_stdin_stdout()
    {
        var (key, recipient) = _files.NewIdentity("key.txt");
        var plaintext = AgeTestDataForCli.Random(3 * Chunk + 17);
        var encrypted = await CliRunner.RunAsync(["encrypt", "-r", recipient], plaintext);
        Assert.Equal((0, ""), (encrypted.ExitCode, ProgressLines.Strip(encrypted.StandardError)));
        var file = _files.Write("x.age", encrypted.StandardOutput);

        var decrypted = await CliRunner.RunAsync(["decrypt", "-i", key, "-o", _files.PathOf("x.out"), file]);
        Assert.Equal((0, ""), (decrypted.ExitCode, ProgressLines.Strip(decrypted.StandardError)));
        Assert.Equal(Sha(plaintext), Sha(File.ReadAllBytes(_files.PathOf("x.out"))));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_files.PathOf("x.out")));

        var range = await CliRunner.RunAsync(["decrypt", "-i", key, "--offset", "65530", "--length", "20", file]);
        Assert.Equal(plaintext.AsSpan(65530, 20).ToArray(), range.StandardOutput);
    }

    [Fact]
    public async Task After_a_failure_stdout_holds_only_authenticated_plaintext_and_no_output_file_remains()
    {
        var (key, _) = _files.NewIdentity("key.txt");
        var plaintext = AgeTestDataForCli.Random(80 * Chunk);
        var ciphertext = await AgeTestDataForCli.EncryptForAsync(plaintext, key);
        ciphertext[^(30 * (Chunk + 16))] ^= 1; // inside chunk 50 of 80
        var file = _files.Write("bad.age", ciphertext);

        var toStdout = await CliRunner.RunAsync(["decrypt", "-i", key, file]);
        Assert.Equal(1, toStdout.ExitCode);
        Assert.Equal("recorder: error: failed to decrypt and authenticate payload chunk 50: the file may be corrupted or tampered with\n", toStdout.StandardError);
        // Whole authenticated batches (32 chunks) before the damaged one's batch, nothing after.
        Assert.Equal(new Recorder.Crypto.AgeDecryptOptions().ChunksPerBatch * Chunk, toStdout.StandardOutput.Length);
        Assert.Equal(Sha(plaintext[..toStdout.StandardOutput.Length]), Sha(toStdout.StandardOutput));

        var before = _files.Listing();
        var toFile = await CliRunner.RunAsync(["decrypt", "-i", key, "-o", _files.PathOf("out.bin"), file]);
        Assert.Equal(1, toFile.ExitCode);
        Assert.Equal(before, _files.Listing());
    }

    [Fact]
    public async Task Output_to_a_fifo_is_written_in_place_and_the_fifo_stays_a_fifo()
    {
        var (key, recipient) = _files.NewIdentity("key.txt");
        var plaintext = AgeTestDataForCli.Random(5 * Chunk + 3);
        var fifo = _files.PathOf("pipe");
        Assert.Equal(0, (await ProcessRunner.RunAsync("mkfifo", [fifo], TimeSpan.FromSeconds(10))).ExitCode);
        Assert.True(Recorder.Cli.IO.UnixFileKind.IsSpecialFile(fifo));

        // Opening a FIFO for reading waits for its writer: the reader runs beside the CLI.
        var reader = Task.Run(() => File.ReadAllBytes(fifo));
        var encrypted = await CliRunner.RunAsync(["encrypt", "-r", recipient, "-o", fifo], plaintext);
        Assert.Equal((0, ""), (encrypted.ExitCode, ProgressLines.Strip(encrypted.StandardError)));
        var ciphertext = await reader.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(Recorder.Cli.IO.UnixFileKind.IsSpecialFile(fifo), "the FIFO was replaced by a regular file");
        Assert.Equal(["key.txt", "pipe"], _files.Listing());
        var decrypted = await CliRunner.RunAsync(["decrypt", "-i", key, _files.Write("copy.age", ciphertext)]);
        Assert.Equal((0, "", Sha(plaintext)), (decrypted.ExitCode, decrypted.StandardError, Sha(decrypted.StandardOutput)));
    }

    [Fact]
    public void Dev_null_is_a_special_file_and_regular_files_directories_and_absent_paths_are_not()
    {
        var regular = _files.Write("regular.bin", [1]);
        Assert.Equal((true, false, false, false),
            (Recorder.Cli.IO.UnixFileKind.IsSpecialFile("/dev/null"), Recorder.Cli.IO.UnixFileKind.IsSpecialFile(regular),
                Recorder.Cli.IO.UnixFileKind.IsSpecialFile(_files.Folder), Recorder.Cli.IO.UnixFileKind.IsSpecialFile(_files.PathOf("absent"))));
    }

    [Fact]
    public async Task Output_through_a_symlink_replaces_the_file_it_points_to_and_keeps_the_link()
    {
        var (key, recipient) = _files.NewIdentity("key.txt");
        var plaintext = AgeTestDataForCli.Random(Chunk + 1);
        var target = _files.Write("target.age", [0]);
        var link = _files.PathOf("link.age");
        File.CreateSymbolicLink(link, target);

        var encrypted = await CliRunner.RunAsync(["encrypt", "-r", recipient, "-o", link], plaintext);
        Assert.Equal((0, ""), (encrypted.ExitCode, ProgressLines.Strip(encrypted.StandardError)));

        Assert.Equal(target, new FileInfo(link).LinkTarget);
        var decrypted = await CliRunner.RunAsync(["decrypt", "-i", key, target]);
        Assert.Equal((0, Sha(plaintext)), (decrypted.ExitCode, Sha(decrypted.StandardOutput)));
    }

    [Fact]
    public async Task Group_readable_identity_file_gets_a_warning_and_still_works()
    {
        var (key, recipient) = _files.NewIdentity("key.txt");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var file = _files.Write("x.age", await AgeTestDataForCli.EncryptForAsync([1, 2, 3], key));
        var result = await CliRunner.RunAsync(["decrypt", "-i", key, file]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"recorder: warning: identity file {key} is accessible by group or others\n", result.StandardError);
        Assert.Equal([1, 2, 3], result.StandardOutput);
        _ = recipient;
    }

    [Fact]
    public async Task Inspect_shows_the_recipient_hints_without_a_key()
    {
        var (key, recipient) = _files.NewIdentity("key.txt");
        var (_, second) = _files.NewIdentity("second.txt");
        var encrypted = await CliRunner.RunAsync(["encrypt", "-r", recipient, "-r", second, "-o", _files.PathOf("x.age")], new byte[70_000]);
        Assert.Equal(0, encrypted.ExitCode);

        var result = await CliRunner.RunAsync(["inspect", "--json", _files.PathOf("x.age")]);
        Assert.Equal((0, ""), (result.ExitCode, ProgressLines.Strip(result.StandardError)));
        using var json = JsonDocument.Parse(result.StandardOutput);
        var fingerprints = json.RootElement.GetProperty("recipients").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal([Recorder.Crypto.Recipients.X25519Recipient.Parse(recipient).Fingerprint,
            Recorder.Crypto.Recipients.X25519Recipient.Parse(second).Fingerprint], fingerprints);
        Assert.Equal(70_000, json.RootElement.GetProperty("plaintextBytes").GetInt64());
        Assert.Equal(2, json.RootElement.GetProperty("chunks").GetInt64());

        var text = await CliRunner.RunAsync(["inspect", _files.PathOf("x.age")]);
        Assert.Contains($"recipients  {fingerprints[0]}, {fingerprints[1]}\n", text.StandardOutputText);
        _ = key;
    }

    [Fact]
    public async Task Keygen_interoperates_with_age_keygen_both_ways()
    {
        var ours = await CliRunner.RunAsync(["keygen", "-o", _files.PathOf("ours.key")]);
        Assert.Equal(0, ours.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_files.PathOf("ours.key")));
        var publicKey = ours.StandardError.Trim()["Public key: ".Length..];
        var derived = await ProcessRunner.RunAsync("age-keygen", ["-y", _files.PathOf("ours.key")], TimeSpan.FromSeconds(30));
        Assert.Equal(publicKey, derived.StandardOutput.Trim());

        var theirs = await ProcessRunner.RunAsync("age-keygen", ["-o", _files.PathOf("theirs.key")], TimeSpan.FromSeconds(30));
        Assert.Equal(0, theirs.ExitCode);
        var theirPublic = theirs.StandardError.Trim()["Public key: ".Length..];
        var plaintext = AgeTestDataForCli.Random(1000);
        var encrypted = await CliRunner.RunAsync(["encrypt", "-r", theirPublic, "-o", _files.PathOf("x.age")], plaintext);
        Assert.Equal(0, encrypted.ExitCode);
        var decrypted = await CliRunner.RunAsync(["decrypt", "-i", _files.PathOf("theirs.key"), _files.PathOf("x.age")]);
        Assert.Equal(plaintext, decrypted.StandardOutput);
    }

    [Fact]
    public async Task Grant_rewraps_for_a_new_key_that_age_opens_and_keeps_the_payload_bytes()
    {
        var (host, hostRecipient) = _files.NewIdentity("host.key");
        var (archivist, archivistRecipient) = _files.NewIdentity("archivist.key");
        var plaintext = AgeTestDataForCli.Random(5 * Chunk + 3);
        var original = _files.Write("x.age", await AgeTestDataForCli.EncryptForAsync(plaintext, host));

        var grant = await CliRunner.RunAsync(["grant", "-i", host, "-r", archivistRecipient, "-o", _files.PathOf("granted.age"), original]);
        Assert.Equal((0, ""), (grant.ExitCode, ProgressLines.Strip(grant.StandardError)));

        var age = await ProcessRunner.RunAsync("age", ["-d", "-i", archivist, "-o", _files.PathOf("granted.out"), _files.PathOf("granted.age")], TimeSpan.FromSeconds(30));
        Assert.Equal((0, ""), (age.ExitCode, age.StandardError));
        Assert.Equal(Sha(plaintext), Sha(File.ReadAllBytes(_files.PathOf("granted.out"))));
        await AgeTestDataForCli.AssertSamePayloadAsync(File.ReadAllBytes(original), File.ReadAllBytes(_files.PathOf("granted.age")));
        // The host keeps access.
        var hostOpens = await CliRunner.RunAsync(["decrypt", "-i", host, _files.PathOf("granted.age")]);
        Assert.Equal(Sha(plaintext), Sha(hostOpens.StandardOutput));
        _ = hostRecipient;
    }

    [Fact]
    public async Task Kms_recipient_round_trip_through_the_cli_and_the_recorder_cannot_decrypt()
    {
        await using var kms = await KmsTestDouble.StartAsync();
        var keyArn = kms.CreateKey();
        var plaintext = AgeTestDataForCli.Random(100_000);
        var encrypted = await CliRunner.RunAsync(["encrypt", "-r", $"kms:{keyArn}", "-o", _files.PathOf("k.age")], plaintext,
            kms.Environment(KmsTestDouble.RecorderAccessKeyId));
        Assert.Equal((0, ""), (encrypted.ExitCode, ProgressLines.Strip(encrypted.StandardError)));

        var refused = await CliRunner.RunAsync(["decrypt", _files.PathOf("k.age")], null, kms.Environment(KmsTestDouble.RecorderAccessKeyId));
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith($"recorder: error: no identity matched any of the file's recipients (kms key {keyArn}: AccessDeniedException)\n", refused.StandardError);
        Assert.Empty(refused.StandardOutput);

        var opened = await CliRunner.RunAsync(["decrypt", _files.PathOf("k.age")], null, kms.Environment(KmsTestDouble.ArchivistAccessKeyId));
        Assert.Equal((0, ""), (opened.ExitCode, ProgressLines.Strip(opened.StandardError)));
        Assert.Equal(Sha(plaintext), Sha(opened.StandardOutput));
        Assert.Equal(["Encrypt", "Decrypt", "Decrypt"], kms.Calls.Select(c => c.Operation));
        Assert.Equal(KmsTestDouble.RecorderAccessKeyId, kms.Calls.First().AccessKeyId);
    }

    [Fact]
    public async Task The_built_recorder_program_keeps_the_exit_code_and_stderr_contract()
    {
        var dll = Path.ChangeExtension(typeof(RecorderCli).Assembly.Location, ".dll");
        var result = await ProcessRunner.RunAsync("dotnet", [dll, "inspect"], TimeSpan.FromSeconds(60));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("recorder: error: required argument missing for command: 'inspect'\nrecorder: hint: run 'recorder inspect --help' for usage\n", result.StandardError);
    }

    public void Dispose() => _files.Dispose();
}
