using Recorder.Crypto;
using Recorder.Crypto.Recipients;
using Recorder.Crypto.Stream;
using Recorder.Tests.Cli;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Crypto;

/// <summary>
/// <see cref="AgeDecryptOptions.AllowTruncated"/>: a file cut short (at a chunk boundary,
/// inside a chunk, inside a tag) ends cleanly after its last complete chunk, through both
/// whole-file decryptors (streaming and parallel file), and reports the truncation;
/// everything else (no complete chunk, a damaged chunk, trailing data, a cut header, the
/// wrong key) fails exactly as without the option; the option is refused where the
/// truncation could not be reported; and the stock age CLI prints the same prefix.
/// </summary>
public sealed class TruncatedDecryptionTests : IDisposable
{
    private const int Chunk = AgeTestData.Chunk;
    private const int Sealed = AgePayloadLayout.EncryptedChunkSize;
    private static readonly AgeDecryptOptions Allow = new() { AllowTruncated = true };
    private readonly X25519Identity _identity = X25519Identity.Generate();
    private readonly string _folder = Directory.CreateTempSubdirectory("recorder-truncated-").FullName;

    /// <summary>Six chunks: five full ones and a final one of 500 bytes.</summary>
    private async Task<(byte[] Plaintext, byte[] Ciphertext, int PayloadStart)> SixChunkFileAsync(int plaintextLength = 5 * Chunk + 500)
    {
        var plaintext = AgeTestData.Random(plaintextLength);
        var ciphertext = await AgeTestData.EncryptAsync(plaintext, [_identity.Recipient]);
        var info = await AgeInspector.InspectAsync(new MemoryStream(ciphertext));
        return (plaintext, ciphertext, info.HeaderLengthBytes + AgePayloadLayout.NonceSize);
    }

    public static TheoryData<string, int, bool> Cuts()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var cut in new[] { "boundary-1", "boundary-3", "boundary-5", "mid-chunk-3", "in-tag-3", "tag-only-3", "mid-final" })
        foreach (var chunksPerBatch in new[] { 1, 2, 32 })
        foreach (var file in new[] { false, true })
            data.Add(cut, chunksPerBatch, file);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cuts))]
    public async Task A_cut_file_yields_its_complete_chunks_and_says_it_was_truncated(string cut, int chunksPerBatch, bool file)
    {
        var (plaintext, c, p) = await SixChunkFileAsync();
        var (cutFile, complete) = cut switch
        {
            "boundary-1" => (c[..(p + Sealed)], 1),
            "boundary-3" => (c[..(p + 3 * Sealed)], 3),
            "boundary-5" => (c[..(p + 5 * Sealed)], 5),
            "mid-chunk-3" => (c[..(p + 3 * Sealed + 1000)], 3),
            "in-tag-3" => (c[..(p + 3 * Sealed + 5)], 3),
            "tag-only-3" => (c[..(p + 3 * Sealed + AgePayloadLayout.TagSize)], 3),
            "mid-final" => (c[..^100], 5),
            _ => throw new ArgumentOutOfRangeException(nameof(cut)),
        };
        var (result, released) = await DecryptAsync(cutFile, Allow with { ChunksPerBatch = chunksPerBatch }, file);

        Assert.Equal(new AgeDecryptResult { PlaintextLengthBytes = complete * Chunk, ChunkCount = complete, IsTruncated = true }, result);
        Assert.Equal(AgeTestData.Sha256(plaintext[..(complete * Chunk)]), AgeTestData.Sha256(released));
    }

    [Theory]
    [InlineData(5 * Chunk + 500, 6, false)]
    [InlineData(5 * Chunk + 500, 6, true)]
    [InlineData(4 * Chunk, 4, false)]
    [InlineData(4 * Chunk, 4, true)]
    [InlineData(0, 1, false)]
    [InlineData(0, 1, true)]
    public async Task A_complete_file_is_not_truncated(int length, int chunks, bool file)
    {
        var (plaintext, c, _) = await SixChunkFileAsync(length);
        var (result, released) = await DecryptAsync(c, Allow, file);
        Assert.Equal(new AgeDecryptResult { PlaintextLengthBytes = length, ChunkCount = chunks, IsTruncated = false }, result);
        Assert.Equal(AgeTestData.Sha256(plaintext), AgeTestData.Sha256(released));
    }

    public static TheoryData<string, bool> Damages()
    {
        var data = new TheoryData<string, bool>();
        foreach (var damage in new[] { "no-payload", "first-chunk-cut", "first-chunk-tag-cut", "flipped-before-cut", "flipped-last-full-chunk", "data-after-final" })
        foreach (var file in new[] { false, true })
            data.Add(damage, file);
        return data;
    }

    /// <summary>Everything but a plain cut fails as it does without the option, and releases nothing of the failing batch.</summary>
    [Theory]
    [MemberData(nameof(Damages))]
    public async Task Other_damage_still_fails_with_the_same_error(string damage, bool file)
    {
        var (_, c, p) = await SixChunkFileAsync(damage == "data-after-final" ? 6 * Chunk : 5 * Chunk + 500);
        var (damaged, chunk, what) = damage switch
        {
            "no-payload" => (c[..p], 0L, "the file is truncated (no payload chunks)"),
            "first-chunk-cut" => (c[..(p + 1000)], 0L, "the file may be corrupted or tampered with"),
            "first-chunk-tag-cut" => (c[..(p + 5)], 0L, "the file is truncated (a chunk shorter than its tag)"),
            "flipped-before-cut" => (Flip(c[..(p + 3 * Sealed + 1000)], p + Sealed + 10), 1L, "the file may be corrupted or tampered with"),
            "flipped-last-full-chunk" => (Flip(c[..(p + 3 * Sealed)], p + 2 * Sealed + 10), 2L, "the file may be corrupted or tampered with"),
            // A full-size final chunk followed by more data (six full chunks, the last one final).
            "data-after-final" => ([.. c, 0], 5L, "data follows the final chunk (trailing data or a spliced file)"),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        using var output = new MemoryStream();
        var e = await Assert.ThrowsAsync<AgeDecryptionException>(() => DecryptToAsync(damaged, output, Allow, file));
        Assert.Equal((AgeFailureKind.Payload, chunk), (e.Kind, e.ChunkIndex));
        Assert.Equal($"failed to decrypt and authenticate payload chunk {chunk}: {what}", e.Message);
        // One batch of 32 holds all six chunks: nothing was released.
        Assert.Equal(0, output.Length);

        var without = await Assert.ThrowsAsync<AgeDecryptionException>(() => DecryptToAsync(damaged, Stream.Null, new AgeDecryptOptions(), file));
        Assert.Equal(e.Message, without.Message);
    }

    /// <summary>
    /// The bytes of a short last chunk that does not open are either missing (a cut) or
    /// damaged, or a short final chunk has data after it: the three look the same. The
    /// chunk is dropped and the file reported as truncated, never released; whoever could
    /// damage it could as well have cut it at the chunk boundary before it.
    /// </summary>
    [Theory]
    [InlineData("flipped-short-final", false)]
    [InlineData("flipped-short-final", true)]
    [InlineData("byte-after-short-final", false)]
    [InlineData("byte-after-short-final", true)]
    public async Task A_short_last_chunk_that_does_not_open_is_taken_for_a_cut(string damage, bool file)
    {
        var (plaintext, c, _) = await SixChunkFileAsync();
        var damaged = damage == "flipped-short-final" ? Flip(c, c.Length - 20) : [.. c, 0];
        var (result, released) = await DecryptAsync(damaged, Allow, file);
        Assert.Equal(new AgeDecryptResult { PlaintextLengthBytes = 5 * Chunk, ChunkCount = 5, IsTruncated = true }, result);
        Assert.Equal(AgeTestData.Sha256(plaintext[..(5 * Chunk)]), AgeTestData.Sha256(released));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Without_the_option_a_cut_file_fails_as_before(bool file)
    {
        var (_, c, p) = await SixChunkFileAsync();
        var e = await Assert.ThrowsAsync<AgeDecryptionException>(() => DecryptToAsync(c[..(p + 3 * Sealed)], Stream.Null, new AgeDecryptOptions(), file));
        Assert.Equal("failed to decrypt and authenticate payload chunk 2: the file is truncated (the last chunk is not marked final)", e.Message);
    }

    [Theory]
    [InlineData("in-header", false)]
    [InlineData("in-header", true)]
    [InlineData("in-nonce", false)]
    [InlineData("in-nonce", true)]
    public async Task A_cut_before_the_payload_stays_a_header_error(string cut, bool file)
    {
        var (_, c, p) = await SixChunkFileAsync();
        var damaged = cut == "in-header" ? c[..(p - AgePayloadLayout.NonceSize - 10)] : c[..(p - 3)];
        var e = await Assert.ThrowsAsync<AgeDecryptionException>(() => DecryptToAsync(damaged, Stream.Null, Allow, file));
        Assert.Equal(AgeFailureKind.Header, e.Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_wrong_key_and_a_changed_header_fail_as_before_on_a_cut_file(bool file)
    {
        var (_, c, p) = await SixChunkFileAsync();
        var cut = c[..(p + 3 * Sealed + 1000)];
        using var other = X25519Identity.Generate();
        await Assert.ThrowsAsync<AgeNoIdentityMatchException>(() => DecryptToAsync(cut, Stream.Null, Allow, file, other));

        var text = System.Text.Encoding.ASCII.GetString(cut);
        var at = text.IndexOf("x25519:", StringComparison.Ordinal) + 8;
        cut[at] = (byte)(cut[at] == (byte)'a' ? 'b' : 'a');
        var e = await Assert.ThrowsAsync<AgeDecryptionException>(() => DecryptToAsync(cut, Stream.Null, Allow, file));
        Assert.Equal(AgeFailureKind.HeaderMac, e.Kind);
    }

    /// <summary>A stream that just ended at the cut would hide the truncation: the option is refused where it could not be reported.</summary>
    [Fact]
    public async Task The_option_is_refused_where_the_truncation_could_not_be_reported()
    {
        var (_, c, _) = await SixChunkFileAsync();
        var path = Write(c);
        using var handle = File.OpenHandle(path);
        foreach (var call in new Func<Task>[]
        {
            () => AgeDecryptor.OpenAsync(new MemoryStream(c), [_identity], Allow),
            () => AgeDecryptor.OpenRandomAccessAsync(new MemoryStream(c), [_identity], Allow),
            () => AgeDecryptor.DecryptFileAsync(handle, Stream.Null, [_identity], Allow),
        })
        {
            var e = await Assert.ThrowsAsync<ArgumentException>(call);
            Assert.Equal("options", e.ParamName);
        }
    }

    /// <summary>What README says of the stock age CLI: it prints the same authenticated prefix, then fails.</summary>
    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("boundary")]
    [InlineData("mid-chunk")]
    public async Task Stock_age_prints_the_same_prefix_and_fails(string cut)
    {
        using var files = new CliFiles();
        var (key, _) = files.NewIdentity("key.txt");
        var plaintext = AgeTestData.Random(5 * Chunk + 500);
        var c = await AgeTestDataForCli.EncryptForAsync(plaintext, key);
        var p = (await AgeInspector.InspectAsync(new MemoryStream(c))).HeaderLengthBytes + AgePayloadLayout.NonceSize;
        var cutFile = files.Write("cut.age", cut == "boundary" ? c[..(p + 3 * Sealed)] : c[..(p + 3 * Sealed + 1000)]);
        var output = files.PathOf("age.out");

        var age = await ProcessRunner.RunAsync("age", ["-d", "-i", key, "-o", output, cutFile], TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, age.ExitCode);
        Assert.StartsWith("age: error: ", age.StandardError);
        Assert.Equal(AgeTestData.Sha256(plaintext[..(3 * Chunk)]), AgeTestData.Sha256(File.ReadAllBytes(output)));

        var identities = Recorder.Crypto.Keys.AgeKeyFile.ReadIdentities(key);
        try
        {
            using var ours = new MemoryStream();
            var result = await AgeDecryptor.DecryptAsync(new MemoryStream(File.ReadAllBytes(cutFile)), ours, identities.ToArray(), Allow);
            Assert.True(result.IsTruncated);
            Assert.Equal(File.ReadAllBytes(output), ours.ToArray());
        }
        finally
        {
            foreach (var i in identities) i.Dispose();
        }
    }

    private async Task<(AgeDecryptResult Result, byte[] Released)> DecryptAsync(byte[] ciphertext, AgeDecryptOptions options, bool file)
    {
        using var output = new MemoryStream();
        var result = await DecryptToAsync(ciphertext, output, options, file);
        Assert.Equal(output.Length, result.PlaintextLengthBytes);
        return (result, output.ToArray());
    }

    /// <summary>Through the parallel file decryptor (<paramref name="file"/>) or the streaming one.</summary>
    private async Task<AgeDecryptResult> DecryptToAsync(byte[] ciphertext, Stream output, AgeDecryptOptions options, bool file, IIdentity? identity = null)
    {
        IIdentity[] identities = [identity ?? _identity];
        if (!file) return await AgeDecryptor.DecryptAsync(new MemoryStream(ciphertext), output, identities, options with { MaxDegreeOfParallelism = 2 });
        using var handle = File.OpenHandle(Write(ciphertext));
        return await AgeDecryptor.DecryptAsync(handle, output, identities, options with { MaxDegreeOfParallelism = 2 });
    }

    private string Write(byte[] content)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.age");
        File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] Flip(byte[] c, int at)
    {
        var d = c.ToArray();
        d[at] ^= 1;
        return d;
    }

    public void Dispose()
    {
        _identity.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
