using Recorder.Crypto;
using Recorder.Crypto.Recipients;
using Recorder.Crypto.Stream;

namespace Recorder.Tests.Crypto;

/// <summary>
/// The whole-file paths (<see cref="AgeEncryptor.EncryptFileAsync"/>,
/// <see cref="AgeDecryptor.DecryptFileAsync"/>) that seal and open batches on
/// several cores: the same bytes as the streaming paths across chunk and batch
/// boundaries, the streaming decryptor's exact failures on damaged files with
/// only the batches before the damage released, and a file that changes while
/// it is read refused.
/// </summary>
public sealed class FilePayloadTests : IDisposable
{
    private const int Chunk = AgeTestData.Chunk;
    private const int Sealed = AgePayloadLayout.EncryptedChunkSize;
    private readonly X25519Identity _identity = X25519Identity.Generate();
    private readonly string _folder = Directory.CreateTempSubdirectory("recorder-filepayload-").FullName;

    public static TheoryData<int, int, int> Grid()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var length in new[] { 0, 1, Chunk - 1, Chunk, Chunk + 1, 2 * Chunk + 500, 6 * Chunk, 6 * Chunk + 1 })
        foreach (var batch in new[] { 1, 2, 3 })
        foreach (var cores in new[] { 1, 2 })
            data.Add(length, batch, cores);
        return data;
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public async Task File_paths_give_the_streaming_paths_bytes(int length, int chunksPerBatch, int cores)
    {
        var plaintext = AgeTestData.Random(length);
        var source = Write("plain.bin", plaintext);

        using var sealedOutput = new MemoryStream();
        using (var handle = File.OpenHandle(source))
        {
            var encrypted = await AgeEncryptor.EncryptFileAsync(handle, sealedOutput, [_identity.Recipient],
                new AgeEncryptOptions { ChunksPerBatch = chunksPerBatch, MaxDegreeOfParallelism = cores });
            Assert.Equal(length, encrypted);
        }
        var ciphertext = sealedOutput.ToArray();
        var info = await AgeInspector.InspectAsync(new MemoryStream(ciphertext));
        Assert.Equal(info.HeaderLengthBytes + AgePayloadLayout.NonceSize + AgePayloadLayout.ChunksLength(length), ciphertext.Length);
        Assert.Equal(AgeTestData.Sha256(plaintext), AgeTestData.Sha256(await AgeTestData.DecryptAsync(ciphertext, [_identity])));

        // Both ways round: the file decryptor opens its own output and the streaming encryptor's.
        var streamed = await AgeTestData.EncryptAsync(plaintext, [_identity.Recipient]);
        foreach (var file in new[] { ciphertext, streamed })
        {
            var (plain, failure) = await DecryptFileAsync(file, chunksPerBatch, cores);
            Assert.Null(failure);
            Assert.Equal(AgeTestData.Sha256(plaintext), AgeTestData.Sha256(plain));
        }
    }

    public static TheoryData<string> Damages() =>
        ["cut-at-boundary-1", "cut-at-boundary-5", "cut-mid-chunk-3", "cut-mid-final", "cut-in-tag", "trailing-byte", "swapped-chunks-2-3",
            "flipped-payload-bit-5", "nothing-after-nonce"];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task Damaged_files_fail_as_the_streaming_decryptor_does_releasing_only_earlier_batches(string damage)
    {
        // Seven chunks in batches of two, on two cores: several batches are in flight when one fails.
        var plaintext = AgeTestData.Random(6 * Chunk + 500);
        var c = await AgeTestData.EncryptAsync(plaintext, [_identity.Recipient]);
        var p = (await AgeInspector.InspectAsync(new MemoryStream(c))).HeaderLengthBytes + AgePayloadLayout.NonceSize;
        var damaged = damage switch
        {
            "cut-at-boundary-1" => c[..(p + Sealed)],
            "cut-at-boundary-5" => c[..(p + 5 * Sealed)],
            "cut-mid-chunk-3" => c[..(p + 3 * Sealed + 1000)],
            "cut-mid-final" => c[..^100],
            "cut-in-tag" => c[..(p + 6 * Sealed + 5)],
            "trailing-byte" => [.. c, 0],
            "swapped-chunks-2-3" => Swap(c, p + 2 * Sealed, p + 3 * Sealed),
            "flipped-payload-bit-5" => Flip(c, p + 5 * Sealed + 10),
            "nothing-after-nonce" => c[..p],
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };

        var streaming = await Assert.ThrowsAsync<AgeDecryptionException>(() => AgeTestData.DecryptAsync(damaged, [_identity]));
        var (released, failure) = await DecryptFileAsync(damaged, chunksPerBatch: 2, cores: 2);

        var e = Assert.IsType<AgeDecryptionException>(failure);
        Assert.Equal((streaming.Kind, streaming.ChunkIndex, streaming.Message), (e.Kind, e.ChunkIndex, e.Message));
        // Exactly the whole batches before the failing chunk's batch, and they are the plaintext.
        Assert.Equal(e.ChunkIndex!.Value / 2 * 2 * Chunk, released.Length);
        Assert.Equal(AgeTestData.Sha256(plaintext[..released.Length]), AgeTestData.Sha256(released));
    }

    [Fact]
    public async Task Wrong_identity_is_not_my_key_and_a_flipped_header_byte_a_mac_failure()
    {
        var c = await AgeTestData.EncryptAsync(AgeTestData.Random(3 * Chunk), [_identity.Recipient]);
        using var other = X25519Identity.Generate();
        var path = Write("c.age", c);
        using (var handle = File.OpenHandle(path))
        {
            var e = await Assert.ThrowsAsync<AgeNoIdentityMatchException>(() => AgeDecryptor.DecryptFileAsync(handle, Stream.Null, [other]));
            Assert.Equal("no identity matched any of the file's recipients", e.Message);
        }

        var at = System.Text.Encoding.ASCII.GetString(c).IndexOf("x25519:", StringComparison.Ordinal) + 8;
        var damaged = c.ToArray();
        damaged[at] = (byte)(damaged[at] == (byte)'a' ? 'b' : 'a');
        var (_, failure) = await DecryptFileAsync(damaged, 32, 2);
        Assert.Equal(AgeFailureKind.HeaderMac, Assert.IsType<AgeDecryptionException>(failure).Kind);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_file_that_changes_while_it_is_encrypted_is_refused(bool grow)
    {
        // Five chunks in batches of two on one core: two batches in flight, so the last
        // batch is read only after the first one is written, which changes the file.
        var length = 5 * Chunk;
        var source = Write("plain.bin", AgeTestData.Random(length));
        var destination = new HookStream(onFirstBatch: () =>
        {
            using var file = new FileStream(source, FileMode.Open, FileAccess.Write);
            file.SetLength(grow ? length + 1 : length - 10);
        });
        using var handle = File.OpenHandle(source);
        var e = await Assert.ThrowsAsync<IOException>(() => AgeEncryptor.EncryptFileAsync(handle, destination, [_identity.Recipient],
            new AgeEncryptOptions { ChunksPerBatch = 2, MaxDegreeOfParallelism = 1 }));
        Assert.Equal($"the input {(grow ? "grew" : "shrank")} while it was being encrypted (expected {length} bytes)", e.Message);
    }

    private async Task<(byte[] Released, Exception? Failure)> DecryptFileAsync(byte[] ciphertext, int chunksPerBatch, int cores)
    {
        var path = Write("c.age", ciphertext);
        using var handle = File.OpenHandle(path);
        using var output = new MemoryStream();
        try
        {
            var length = await AgeDecryptor.DecryptFileAsync(handle, output, [_identity],
                new AgeDecryptOptions { ChunksPerBatch = chunksPerBatch, MaxDegreeOfParallelism = cores });
            Assert.Equal(output.Length, length);
            return (output.ToArray(), null);
        }
        catch (Exception e)
        {
            return (output.ToArray(), e);
        }
    }

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] Swap(byte[] c, int a, int b)
    {
        var d = c.ToArray();
        c.AsSpan(a, Sealed).CopyTo(d.AsSpan(b));
        c.AsSpan(b, Sealed).CopyTo(d.AsSpan(a));
        return d;
    }

    private static byte[] Flip(byte[] c, int at)
    {
        var d = c.ToArray();
        d[at] ^= 1;
        return d;
    }

    /// <summary>Discards what is written; runs a hook on the first write of a whole batch (after the header and nonce).</summary>
    private sealed class HookStream(Action onFirstBatch) : MemoryStream
    {
        private bool _fired;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_fired && buffer.Length >= Chunk)
            {
                _fired = true;
                onFirstBatch();
            }
            return ValueTask.CompletedTask;
        }
    }

    public void Dispose()
    {
        _identity.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
