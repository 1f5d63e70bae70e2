using System.Text.RegularExpressions;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// The error vocabulary, verb by verb, without any server: (arguments, environment,
/// exit code, stderr pattern). Usage errors are exit 2 and come before anything
/// connects or records; every failure says what failed and what to do. Placeholders:
/// {key}/{recipient} the file's identity and key, {other} someone else's identity,
/// {file} an age file for {key}, {cut} that file cut inside its payload, {cutHeader}
/// cut inside its header, {plain} a plain file, {dir} the folder, {port} a loopback
/// port nothing listens on. Environments: "none" (no variables), "endpoint" (an S3
/// endpoint and no credentials), "dead" (an S3 endpoint nothing listens on, with
/// credentials), "service" (RECORDER_URL at {port} and a token).
/// </summary>
public sealed class CliErrorTableTests : IDisposable
{
    private const string BucketRule = @"recorder: hint: bucket names are 3-63 characters of lowercase letters, digits, '-' and '\.', starting and ending with a letter or digit\n";
    private const string NoCredentials = @"recorder: error: no AWS credentials for the S3 server at http://127\.0\.0\.1:{port}\n"
        + @"recorder: hint: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \(and AWS_SESSION_TOKEN for temporary credentials\), or AWS_PROFILE\n";
    private const string NoServer = @"recorder: error: cannot connect to S3 at http://127\.0\.0\.1:{port}: connection refused \(\d+ attempts in 10 s\)\n"
        + @"recorder: hint: check AWS_ENDPOINT_URL_S3 and that the S3 server is running\n";
    private const string WrongKey = @"recorder: error: no identity matched any of the file's recipients\n"
        + @"recorder: error: the file is encrypted for: x25519:{fingerprint}\n"
        + @"recorder: error: the identities given are: x25519:{otherFingerprint}\n"
        + @"recorder: hint: decrypt with an identity of one of the file's recipients \('recorder inspect' lists them\)\n";
    private const string Refused = @"recorder: error: cannot connect to the service at http://127\.0\.0\.1:{port}: connection refused\n"
        + @"recorder: hint: is 'recorder serve' running there\? \(the URL came from RECORDER_URL\)\n";

    private readonly CliFiles _files = new();

    public static TheoryData<string, string, string, int, string> Table() => new()
    {
        // encrypt
        { "encrypt: a bad bucket name is a usage error before any request", "encrypt -r {recipient} -o s3://Bad_Bucket/x.age {plain}", "endpoint", 2,
            @"recorder: error: s3://Bad_Bucket/x\.age: 'Bad_Bucket' is not a valid S3 bucket name: it has upper-case letters\n" + BucketRule },
        { "encrypt: a mistyped s3 URI is a usage error, not a local file", "encrypt -r {recipient} -o s3:/recordings/x.age {plain}", "endpoint", 2,
            @"recorder: error: 's3:/recordings/x\.age' is not an s3://bucket/key location\nrecorder: hint: e\.g\. s3://recordings/host-1/talk\.mp4\.age\n" },
        { "encrypt: no credentials names the variables", "encrypt -r {recipient} -o s3://recordings/x.age {plain}", "endpoint", 1, NoCredentials },
        // decrypt (DecryptCommand itself is not changed here: these guard what any decrypt reports)
        { "decrypt: the wrong key names the file's recipients and the identities tried", "decrypt -i {other} {file}", "none", 1, WrongKey },
        { "decrypt: a bad URI", "decrypt -i {key} s3:x.age", "endpoint", 2, @"recorder: error: 's3:x\.age' is not an s3://bucket/key location\n.*" },
        { "decrypt: a bucket name too short", "decrypt -i {key} s3://ab/x.age", "endpoint", 2,
            @"recorder: error: s3://ab/x\.age: 'ab' is not a valid S3 bucket name: it has 2 characters\n" + BucketRule },
        { "decrypt: no credentials", "decrypt -i {key} s3://recordings/x.age", "endpoint", 1, NoCredentials },
        // no S3 server where AWS_ENDPOINT_URL_S3 points: said after 10 s of retries, not the 2-minute outage window
        { "decrypt: no S3 server there", "decrypt -i {key} -o {dir}/out.bin s3://recordings/x.age", "dead", 1, NoServer },
        { "decrypt --from/--to: no S3 server there", "decrypt -i {key} --from 10s --to 20s -o {dir}/out.mp4 s3://recordings/r/manifest.json", "dead", 1, NoServer },
        { "decrypt: a file cut inside its header", "decrypt -i {key} -o {dir}/out.bin {cutHeader}", "none", 1,
            @"recorder: error: invalid age header: .*\nrecorder: hint: is it an age file\? it may be cut short inside its header, or another format \('recorder inspect' shows what it can read\)\n" },
        { "decrypt: a file cut inside its payload is a partial result", "decrypt -i {key} -o {dir}/out.bin {cut}", "none", 4,
            @"recorder: warning: truncated after 65536 bytes of plaintext \(1 complete chunks\); the rest of the file is missing\nrecorder: hint: .*\n" },
        { "decrypt: --quiet leaves out the truncation warning, not the exit code", "decrypt --quiet -i {key} -o {dir}/out.bin {cut}", "none", 4, @"recorder: hint: .*\n" },
        // inspect
        { "inspect: a bad bucket name", "inspect s3://-recordings/x.age", "endpoint", 2,
            @"recorder: error: s3://-recordings/x\.age: '-recordings' is not a valid S3 bucket name: it must start and end with a letter or digit\n" + BucketRule },
        { "inspect: no credentials", "inspect s3://recordings/x.age", "endpoint", 1, NoCredentials },
        { "inspect: a file cut inside its header", "inspect {cutHeader}", "none", 1, @"recorder: error: invalid age header: .*\nrecorder: hint: is it an age file\?.*\n" },
        // grant
        { "grant: the wrong key names the recipients", "grant -i {other} -r {recipient} -o {dir}/g.age {file}", "none", 1, WrongKey },
        { "grant: a bad destination bucket", "grant -i {key} -r {recipient} -o s3://a..b/x.age {file}", "endpoint", 2,
            @"recorder: error: s3://a\.\.b/x\.age: 'a\.\.b' is not a valid S3 bucket name: it has two periods in a row\n" + BucketRule },
        // verify and audit
        { "verify: a bad bucket name", "verify s3://192.168.1.1/h/m/r/manifest.json", "endpoint", 2,
            @"recorder: error: s3://192\.168\.1\.1/h/m/r/manifest\.json: '192\.168\.1\.1' is not a valid S3 bucket name: it is written as an IP address\n" + BucketRule },
        { "verify: no credentials", "verify s3://recordings/h/m/r/manifest.json", "endpoint", 1, NoCredentials },
        { "audit: a bad bucket name", "audit --bucket Recordings", "endpoint", 2,
            @"recorder: error: --bucket: 'Recordings' is not a valid S3 bucket name: it has upper-case letters\n" + BucketRule },
        { "audit: no credentials", "audit --bucket recordings", "endpoint", 1, NoCredentials },
        // record: every usage error before the recording starts (nothing is printed about a recording)
        { "record: a bad bucket name before recording", "record --meeting synthetic://?seconds=1 -r {recipient} --bucket my_bucket", "endpoint", 2,
            @"recorder: error: --bucket: 'my_bucket' is not a valid S3 bucket name: '_' is not allowed\n" + BucketRule },
        { "record: a bad size before recording", "record --meeting synthetic://?seconds=1 -r {recipient} --bucket recordings --size 12", "endpoint", 2,
            @"recorder: error: --size 12: expected .*\nrecorder: hint: e\.g\. --size 1280x720\n" },
        { "record: a bad meeting URI before recording", "record --meeting zoom://meeting/1 -r {recipient} --bucket recordings", "endpoint", 2,
            @"recorder: error: --meeting: unknown meeting URI scheme 'zoom' \(known: synthetic, janus\)\nrecorder: hint: .*\n" },
        { "record: a segment too short before recording", "record --meeting synthetic://?seconds=1 -r {recipient} --bucket recordings --segment 5s", "endpoint", 2,
            @"recorder: error: --segment 5s: a segment lasts 10s to 24h\nrecorder: hint: e\.g\. --segment 10m\n" },
        { "record: a segment that is not a duration", "record --meeting synthetic://?seconds=1 -r {recipient} --bucket recordings --segment soon", "endpoint", 2,
            @"recorder: error: --segment soon: not a duration\nrecorder: hint: write durations as .*\n" },
        { "record: no credentials before recording", "record --meeting synthetic://?seconds=1 -r {recipient} --bucket recordings", "endpoint", 1, NoCredentials },
        // keygen
        { "keygen: into a folder that does not exist", "keygen -o {dir}/no/such/dir/k.txt", "none", 1, @"recorder: error: no such directory for {dir}/no/such/dir/k\.txt\nrecorder: hint: create the folder first, or give a path in one that exists\n" },
        // the API client verbs against a service that is not running
        { "status: no service", "status rec-1", "service", 1, Refused },
        { "list: no service", "list", "service", 1, Refused },
        { "stop: no service", "stop rec-1", "service", 1, Refused },
        { "schedule: no service", "schedule --meeting synthetic://?seconds=1", "service", 1, Refused },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Exit_code_and_stderr_follow_the_vocabulary(string guards, string arguments, string environment, int exitCode, string stderr)
    {
        var (key, recipient) = _files.NewIdentity("key.txt");
        var (other, otherRecipient) = _files.NewIdentity("other.txt");
        var plain = _files.Write("plain.txt", "hello, not an age file\n"u8.ToArray());
        var sealedBytes = await AgeTestDataForCli.EncryptForAsync(AgeTestDataForCli.Random(140_000), key);
        var file = _files.Write("file.age", sealedBytes);
        var cut = _files.Write("cut.age", sealedBytes[..100_000]);
        var cutHeader = _files.Write("cut-header.age", sealedBytes[..40]);
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Fill(string s) => s.Replace("{key}", key).Replace("{other}", other).Replace("{recipient}", recipient).Replace("{file}", file)
            .Replace("{cutHeader}", cutHeader).Replace("{cut}", cut).Replace("{plain}", plain).Replace("{dir}", _files.Folder).Replace("{port}", port);
        var env = environment switch
        {
            "none" => new Dictionary<string, string?>(),
            "endpoint" => new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_S3"] = $"http://127.0.0.1:{port}" },
            "dead" => new Dictionary<string, string?>
            {
                ["AWS_ENDPOINT_URL_S3"] = $"http://127.0.0.1:{port}", ["AWS_ACCESS_KEY_ID"] = "test-key-id", ["AWS_SECRET_ACCESS_KEY"] = "test-secret", ["AWS_REGION"] = "us-east-1",
            },
            "service" => new Dictionary<string, string?> { ["RECORDER_URL"] = $"http://127.0.0.1:{port}", ["RECORDER_TOKEN"] = "rec_tokenvalue_0123456789abcdef" },
            _ => throw new ArgumentOutOfRangeException(nameof(environment)),
        };
        var pattern = Fill(stderr)
            .Replace("{fingerprint}", Fingerprint(recipient)).Replace("{otherFingerprint}", Fingerprint(otherRecipient));
        var before = _files.Listing();

        var result = await CliRunner.RunAsync(Fill(arguments).Split(' ', StringSplitOptions.RemoveEmptyEntries), environment: env);

        Assert.True(exitCode == result.ExitCode, $"{guards}: exit {result.ExitCode}, stderr: {result.StandardError}");
        Assert.Matches(new Regex("^" + pattern + "$"), result.StandardError);
        Assert.DoesNotContain("Exception", result.StandardError);
        Assert.DoesNotContain("AGE-SECRET-KEY", result.StandardError);
        if (exitCode is 1 or 2) Assert.Equal(before, _files.Listing()); // a failure leaves no file behind
    }

    private static string Fingerprint(string recipient) =>
        Recorder.Crypto.Recipients.X25519Recipient.Parse(recipient).Fingerprint["x25519:".Length..];

    public void Dispose() => _files.Dispose();
}
