using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// The CLI contract as a table: arguments, exit code, and the exact stderr.
/// Each row names what it guards. Placeholders: {key} an identity of the file,
/// {other} an identity of someone else, {file} an age file for {key}, {tampered}
/// the same file with one payload bit flipped, {plain} a plain file, {dir} the folder.
/// </summary>
public sealed class CliContractTests : IDisposable
{
    private readonly CliFiles _files = new();

    public static TheoryData<string, string, int, string> Table() => new()
    {
        { "no verb is a usage error", "", 2,
            "recorder: error: required command was not provided\nrecorder: hint: run 'recorder --help' for usage\n" },
        { "an unknown verb is a usage error", "frobnicate", 2,
            "recorder: error: unrecognized command or argument 'frobnicate'\nrecorder: hint: run 'recorder --help' for usage\n" },
        { "decrypt without SOURCE reads stdin, like age (here empty)", "decrypt -i {key}", 1,
            "recorder: error: invalid age header: empty file\nrecorder: hint: is it an age file? it may be cut short inside its header, or another format ('recorder inspect' shows what it can read)\n" },
        { "inspect needs SOURCE", "inspect", 2,
            "recorder: error: required argument missing for command: 'inspect'\nrecorder: hint: run 'recorder inspect --help' for usage\n" },
        { "encrypt needs -r", "encrypt {plain}", 2,
            "recorder: error: option '--recipient' is required\nrecorder: hint: run 'recorder encrypt --help' for usage\n" },
        { "an unparseable recipient is a usage error, not a crash", "encrypt -r ssh-rsa {plain}", 2,
            "recorder: error: -r ssh-rsa: unknown recipient type: expected age1… or kms:KEY-ARN\nrecorder: hint: -r age1… or -r kms:KEY-ARN\n" },
        { "a damaged age1 key says so", "encrypt -r age1qqqqqqqqqqqq {plain}", 2,
            "recorder: error: -r age1qqqqqqqqqqqq: not a valid age X25519 recipient: the age1… key is damaged or mistyped\nrecorder: hint: -r age1… or -r kms:KEY-ARN\n" },
        { "a negative offset is a usage error", "decrypt -i {key} --offset -1 {file}", 2,
            "recorder: error: --offset and --length must not be negative\n" },
        { "a range needs a seekable source", "decrypt -i {key} --offset 1 -", 2,
            "recorder: error: --offset and --length need a seekable SOURCE\nrecorder: hint: give a file or s3://bucket/key, not stdin\n" },
        { "a missing identity file fails before reading", "decrypt -i {dir}/nope.key {file}", 1,
            "recorder: error: no such identity file: {dir}/nope.key\n" },
        { "a missing source fails", "decrypt -i {key} {dir}/nope.age", 1,
            "recorder: error: no such file: {dir}/nope.age\n" },
        { "the wrong key is 'not my key', naming the file's recipients and the identities tried", "decrypt -i {other} {file}", 1,
            "recorder: error: no identity matched any of the file's recipients\nrecorder: error: the file is encrypted for: {keyFingerprint}\n"
            + "recorder: error: the identities given are: {otherFingerprint}\n"
            + "recorder: hint: decrypt with an identity of one of the file's recipients ('recorder inspect' lists them)\n" },
        { "a tampered payload names the chunk", "decrypt -i {key} -o {dir}/out.bin {tampered}", 1,
            "recorder: error: failed to decrypt and authenticate payload chunk 1: the file may be corrupted or tampered with\n" },
        { "inspect refuses a file that is not age", "inspect {plain}", 1,
            "recorder: error: invalid age header: not an age file (missing the age-encryption.org/v1 line)\n"
            + "recorder: hint: is it an age file? it may be cut short inside its header, or another format ('recorder inspect' shows what it can read)\n" },
        { "an offset past the end fails", "decrypt -i {key} --offset 999999 {file}", 1,
            "recorder: error: --offset 999999 is past the end of the plaintext (140000 bytes)\n" },
        { "keygen never overwrites a key", "keygen -o {key}", 1,
            "recorder: error: {key} already exists\nrecorder: hint: choose another name; keygen never overwrites a key\n" },
        { "a grant needs an identity that opens the file", "grant -i {other} -r {otherRecipient} {file}", 1,
            "recorder: error: no identity matched any of the file's recipients\nrecorder: error: the file is encrypted for: {keyFingerprint}\n"
            + "recorder: error: the identities given are: {otherFingerprint}\n"
            + "recorder: hint: decrypt with an identity of one of the file's recipients ('recorder inspect' lists them)\n" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Exit_code_and_stderr_follow_the_contract(string guards, string arguments, int exitCode, string stderr)
    {
        var (key, keyRecipient) = _files.NewIdentity("key.txt");
        var (other, otherRecipient) = _files.NewIdentity("other.txt");
        var plain = _files.Write("plain.txt", "hello, not an age file\n"u8.ToArray());
        var plaintext = AgeTestDataForCli.Random(140_000);
        var file = _files.Write("file.age", await AgeTestDataForCli.EncryptForAsync(plaintext, key));
        var damaged = File.ReadAllBytes(file);
        damaged[^70_000] ^= 1;
        var tampered = _files.Write("tampered.age", damaged);
        string Fill(string s) => s.Replace("{keyFingerprint}", Fingerprint(keyRecipient)).Replace("{otherFingerprint}", Fingerprint(otherRecipient))
            .Replace("{key}", key).Replace("{otherRecipient}", otherRecipient).Replace("{other}", other)
            .Replace("{file}", file).Replace("{tampered}", tampered).Replace("{plain}", plain).Replace("{dir}", _files.Folder);
        var args = Fill(arguments).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var before = _files.Listing();

        var result = await CliRunner.RunAsync(args);

        Assert.True(exitCode == result.ExitCode, $"{guards}: exit {result.ExitCode}, stderr: {result.StandardError}");
        Assert.Equal(Fill(stderr), result.StandardError);
        if (exitCode != 0) Assert.Equal(before, _files.Listing()); // a failure leaves no file behind
    }

    private static string Fingerprint(string recipient) => Recorder.Crypto.Recipients.X25519Recipient.Parse(recipient).Fingerprint;

    public void Dispose() => _files.Dispose();
}
