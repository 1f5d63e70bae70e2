using System.Security.Cryptography;
using Amazon.S3.Model;
using Recorder.Cli;
using Recorder.Crypto;
using Recorder.Crypto.Stream;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// <c>recorder decrypt</c> of a file cut short (a segment whose worker died): the
/// authenticated prefix is written and committed, a warning and a hint say so, and the
/// exit status is 4 (<see cref="CliExitCodes.Partial"/>); any other damage is exit 1 with
/// no output, as before. A table of (what it guards, cut, exit code, stderr, plaintext
/// expected), run from a regular file (the parallel decryptor) and from stdin (the
/// streaming one), to a file and to stdout.
/// </summary>
public sealed class DecryptTruncatedTests : IDisposable
{
    private const int Chunk = AgePayloadLayout.ChunkSize;
    private const int Sealed = AgePayloadLayout.EncryptedChunkSize;
    internal const string Hint = "recorder: hint: a recording segment cut short when its worker died ends like this; the manifest marks it \"truncated\": true\n";
    private readonly CliFiles _files = new();

    internal static string Warning(long bytes, long chunks) =>
        $"recorder: warning: truncated after {bytes} bytes of plaintext ({chunks} complete chunks); the rest of the file is missing\n";

    private static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>The rows; {chunk N} in stderr is the failing chunk. Plaintext: the bytes expected, -1 when there is no output.</summary>
    private static readonly (string Guards, string Cut, int ExitCode, string Stderr, int Plaintext)[] Rows =
    [
        ("a cut at a chunk boundary writes the chunks before it", "boundary-3", 4, Warning(3 * Chunk, 3) + Hint, 3 * Chunk),
        ("a cut inside a chunk drops that chunk's bytes", "mid-chunk-3", 4, Warning(3 * Chunk, 3) + Hint, 3 * Chunk),
        ("a cut inside the first chunk leaves nothing authenticated: a failure", "first-chunk", 1,
            "recorder: error: failed to decrypt and authenticate payload chunk 0: the file may be corrupted or tampered with\n", -1),
        ("a damaged chunk before the cut is damage, not truncation", "flipped-then-cut", 1,
            "recorder: error: failed to decrypt and authenticate payload chunk 1: the file may be corrupted or tampered with\n", -1),
        ("a complete file is unchanged", "complete", 0, "", 5 * Chunk + 500),
    ];

    public static TheoryData<string, string, int, string, int, string, string> Table()
    {
        var data = new TheoryData<string, string, int, string, int, string, string>();
        foreach (var row in Rows)
        foreach (var source in new[] { "file", "stdin" })
        foreach (var destination in new[] { "file", "stdout" })
            data.Add(row.Guards, row.Cut, row.ExitCode, row.Stderr, row.Plaintext, source, destination);
        return data;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Exit_code_stderr_and_output_follow_the_contract(
        string guards, string cut, int exitCode, string stderr, int plaintextBytes, string source, string destination)
    {
        var (key, _) = _files.NewIdentity("key.txt");
        var plaintext = AgeTestDataForCli.Random(5 * Chunk + 500);
        var (c, p) = await EncryptAsync(plaintext, key);
        var damaged = cut switch
        {
            "boundary-3" => c[..(p + 3 * Sealed)],
            "mid-chunk-3" => c[..(p + 3 * Sealed + 1000)],
            "first-chunk" => c[..(p + 1000)],
            "flipped-then-cut" => Flip(c[..(p + 3 * Sealed + 1000)], p + Sealed + 10),
            "complete" => c,
            _ => throw new ArgumentOutOfRangeException(nameof(cut)),
        };
        var file = _files.Write("in.age", damaged);
        var output = _files.PathOf("out.bin");
        var before = _files.Listing();

        string[] args = ["decrypt", "-i", key, .. destination == "file" ? new[] { "-o", output } : [], source == "file" ? file : "-"];
        var result = await CliRunner.RunAsync(args, source == "stdin" ? damaged : null);

        Assert.True(exitCode == result.ExitCode, $"{guards}: exit {result.ExitCode}, stderr: {result.StandardError}");
        Assert.Equal(stderr, ProgressLines.Strip(result.StandardError));
        if (destination == "file")
        {
            if (plaintextBytes < 0)
            {
                Assert.Equal(before, _files.Listing());
                return;
            }
            Assert.Equal([.. before, "out.bin"], _files.Listing().ToArray());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
            Assert.Equal(Sha(plaintext[..plaintextBytes]), Sha(File.ReadAllBytes(output)));
        }
        else
        {
            // Six chunks are one batch: a failure releases none of them.
            Assert.Equal(Sha(plaintext[..Math.Max(0, plaintextBytes)]), Sha(result.StandardOutput));
        }
    }

    /// <summary>Many batches (32 chunks each) before the cut: all of them are written, from a file (parallel) and from stdin.</summary>
    [Theory]
    [InlineData("file")]
    [InlineData("stdin")]
    public async Task A_long_file_cut_short_writes_every_batch_before_the_cut(string source)
    {
        var (key, _) = _files.NewIdentity("key.txt");
        var plaintext = AgeTestDataForCli.Random(80 * Chunk);
        var (c, p) = await EncryptAsync(plaintext, key);
        var cut = c[..(p + 70 * Sealed + 7)];
        var file = _files.Write("in.age", cut);

        var result = await CliRunner.RunAsync(["decrypt", "-i", key, "-o", _files.PathOf("out.bin"), source == "file" ? file : "-"],
            source == "stdin" ? cut : null);
        Assert.Equal((CliExitCodes.Partial, Warning(70L * Chunk, 70) + Hint), (result.ExitCode, ProgressLines.Strip(result.StandardError)));
        Assert.Equal(Sha(plaintext[..(70 * Chunk)]), Sha(File.ReadAllBytes(_files.PathOf("out.bin"))));
    }

    /// <summary>Random access keeps its error: it authenticates the final chunk first, and a cut file has none.</summary>
    [Theory]
    [InlineData("boundary-3", "failed to decrypt and authenticate payload chunk 2: the file is truncated (the last chunk is not marked final)")]
    [InlineData("mid-chunk-3", "failed to decrypt and authenticate payload chunk 3: the file may be corrupted or tampered with")]
    public async Task A_range_of_a_cut_file_still_fails(string cut, string error)
    {
        var (key, _) = _files.NewIdentity("key.txt");
        var (c, p) = await EncryptAsync(AgeTestDataForCli.Random(5 * Chunk + 500), key);
        var file = _files.Write("in.age", cut == "boundary-3" ? c[..(p + 3 * Sealed)] : c[..(p + 3 * Sealed + 1000)]);
        var before = _files.Listing();

        var result = await CliRunner.RunAsync(["decrypt", "-i", key, "--offset", "0", "--length", "10", "-o", _files.PathOf("out.bin"), file]);
        Assert.Equal((CliExitCodes.Failure, $"recorder: error: {error}\n"), (result.ExitCode, ProgressLines.Strip(result.StandardError)));
        Assert.Equal(before, _files.Listing());
    }

    internal static async Task<(byte[] Ciphertext, int PayloadStart)> EncryptAsync(byte[] plaintext, string key)
    {
        var c = await AgeTestDataForCli.EncryptForAsync(plaintext, key);
        var info = await AgeInspector.InspectAsync(new MemoryStream(c));
        return (c, info.HeaderLengthBytes + AgePayloadLayout.NonceSize);
    }

    internal static byte[] Flip(byte[] c, int at)
    {
        var d = c.ToArray();
        d[at] ^= 1;
        return d;
    }

    public void Dispose() => _files.Dispose();
}

/// <summary>The same contract for s3:// destinations and sources, against the real local Ceph gateway.</summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DecryptTruncatedS3Tests(CephFixture ceph) : IDisposable
{
    private const int Chunk = AgePayloadLayout.ChunkSize;
    private const int Sealed = AgePayloadLayout.EncryptedChunkSize;
    private readonly CliFiles _files = new();

    private IReadOnlyDictionary<string, string?> Env => CliRunner.CephEnvironment(ceph.Options);

    private static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    [Fact]
    public async Task A_cut_file_decrypted_to_s3_completes_the_upload_with_the_prefix()
    {
        var bucket = await ceph.CreateBucketAsync("cut");
        var (key, _) = _files.NewIdentity("key.txt");
        var plaintext = AgeTestDataForCli.Random(40 * Chunk);
        var (c, p) = await DecryptTruncatedTests.EncryptAsync(plaintext, key);
        var file = _files.Write("cut.age", c[..(p + 35 * Sealed + 100)]);

        var result = await CliRunner.RunAsync(["decrypt", "-i", key, "-o", $"s3://{bucket}/out.bin", file], null, Env);
        Assert.Equal((CliExitCodes.Partial, DecryptTruncatedTests.Warning(35L * Chunk, 35) + DecryptTruncatedTests.Hint),
            (result.ExitCode, ProgressLines.Strip(result.StandardError)));
        Assert.Equal(Sha(plaintext[..(35 * Chunk)]), Sha(await ceph.ReadObjectAsync($"s3://{bucket}/out.bin")));
    }

    [Fact]
    public async Task A_damaged_cut_file_decrypted_to_s3_leaves_no_object()
    {
        var bucket = await ceph.CreateBucketAsync("cutbad");
        var (key, _) = _files.NewIdentity("key.txt");
        var (c, p) = await DecryptTruncatedTests.EncryptAsync(AgeTestDataForCli.Random(40 * Chunk), key);
        var file = _files.Write("bad.age", DecryptTruncatedTests.Flip(c[..(p + 35 * Sealed + 100)], p + 34 * Sealed + 10));

        var result = await CliRunner.RunAsync(["decrypt", "-i", key, "-o", $"s3://{bucket}/out.bin", file], null, Env);
        Assert.Equal((CliExitCodes.Failure, "recorder: error: failed to decrypt and authenticate payload chunk 34: the file may be corrupted or tampered with\n"),
            (result.ExitCode, ProgressLines.Strip(result.StandardError)));
        var listing = await ceph.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Empty(listing.S3Objects ?? []);
        Assert.Empty((await ceph.Client.ListMultipartUploadsAsync(bucket)).MultipartUploads ?? []);
    }

    /// <summary>An s3:// SOURCE is read as a stream for a whole-file decrypt: the streaming decryptor ends at the cut too.</summary>
    [Fact]
    public async Task A_cut_object_decrypted_from_s3_to_stdout_gives_the_prefix()
    {
        var bucket = await ceph.CreateBucketAsync("cutsrc");
        var (key, _) = _files.NewIdentity("key.txt");
        var plaintext = AgeTestDataForCli.Random(40 * Chunk);
        var (c, p) = await DecryptTruncatedTests.EncryptAsync(plaintext, key);
        await ceph.Client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "seg.age", InputStream = new MemoryStream(c[..(p + 33 * Sealed)]),
        });

        var result = await CliRunner.RunAsync(["decrypt", "-i", key, $"s3://{bucket}/seg.age"], null, Env);
        Assert.Equal((CliExitCodes.Partial, DecryptTruncatedTests.Warning(33L * Chunk, 33) + DecryptTruncatedTests.Hint),
            (result.ExitCode, ProgressLines.Strip(result.StandardError)));
        Assert.Equal(Sha(plaintext[..(33 * Chunk)]), Sha(result.StandardOutput));
    }

    public void Dispose() => _files.Dispose();
}
