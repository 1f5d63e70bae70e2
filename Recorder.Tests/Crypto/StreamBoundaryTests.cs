using Recorder.Crypto;
using Recorder.Crypto.Recipients;
using Recorder.Crypto.Stream;

namespace Recorder.Tests.Crypto;

/// <summary>
/// Round trips across the chunk boundaries: lengths {0, 1, chunk−1, chunk,
/// chunk+1, 2·chunk+500} × write sizes × batch sizes, through both decryptors;
/// the ciphertext has exactly the length the layout predicts.
/// </summary>
public sealed class StreamBoundaryTests : IDisposable
{
    private const int Chunk = AgeTestData.Chunk;
    private readonly X25519Identity _identity = X25519Identity.Generate();

    public static TheoryData<int, int, int> Grid()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var length in new[] { 0, 1, Chunk - 1, Chunk, Chunk + 1, 2 * Chunk + 500 })
        foreach (var writeSize in new[] { 1000, Chunk, Chunk + 7, 3 * Chunk })
        foreach (var batch in new[] { 1, 2, 16 })
            data.Add(length, writeSize, batch);
        // Byte-by-byte writes on the lengths around one chunk.
        foreach (var length in new[] { Chunk - 1, Chunk, Chunk + 1 })
            data.Add(length, 1, 2);
        return data;
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public async Task Round_trip_is_exact_through_both_decryptors(int length, int writeSize, int chunksPerBatch)
    {
        var plaintext = AgeTestData.Random(length);
        var ciphertext = await AgeTestData.EncryptAsync(plaintext, [_identity.Recipient], writeSize,
            new AgeEncryptOptions { ChunksPerBatch = chunksPerBatch, IncludeRecipientHints = false });

        var info = await AgeInspector.InspectAsync(new MemoryStream(ciphertext));
        Assert.Equal(info.HeaderLengthBytes + AgePayloadLayout.NonceSize + AgePayloadLayout.ChunksLength(length), ciphertext.Length);
        Assert.Equal(length, info.PlaintextLengthBytes);

        var decryptOptions = new AgeDecryptOptions { ChunksPerBatch = chunksPerBatch };
        Assert.Equal(AgeTestData.Sha256(plaintext), AgeTestData.Sha256(await AgeTestData.DecryptAsync(ciphertext, [_identity], decryptOptions)));
        Assert.Equal(AgeTestData.Sha256(plaintext), AgeTestData.Sha256(await AgeTestData.DecryptRangeAsync(ciphertext, [_identity], 0, length + 10, decryptOptions)));
    }

    [Fact]
    public async Task Synchronous_writes_and_reads_give_the_same_bytes()
    {
        var plaintext = AgeTestData.Random(3 * Chunk + 11);
        using var output = new MemoryStream();
        using (var age = await AgeEncryptor.CreateAsync(output, [_identity.Recipient], new AgeEncryptOptions { LeaveOpen = true, ChunksPerBatch = 2 }))
        {
            for (var offset = 0; offset < plaintext.Length; offset += 5000)
                age.Write(plaintext, offset, Math.Min(5000, plaintext.Length - offset));
        }
        using var plain = await AgeDecryptor.OpenAsync(new MemoryStream(output.ToArray()), [_identity], new AgeDecryptOptions { ChunksPerBatch = 2 });
        using var copy = new MemoryStream();
        plain.CopyTo(copy);
        Assert.Equal(AgeTestData.Sha256(plaintext), AgeTestData.Sha256(copy.ToArray()));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(Chunk - 5, 10)]
    [InlineData(Chunk, Chunk)]
    [InlineData(2 * Chunk + 499, 1)]
    [InlineData(5 * Chunk + 3, 2 * Chunk + 120)]
    public async Task Random_access_returns_exactly_the_requested_range(int offset, int length)
    {
        var plaintext = AgeTestData.Random(7 * Chunk + 123);
        var ciphertext = await AgeTestData.EncryptAsync(plaintext, [_identity.Recipient]);
        var range = await AgeTestData.DecryptRangeAsync(ciphertext, [_identity], offset, length, new AgeDecryptOptions { ChunksPerBatch = 2 });
        Assert.Equal(plaintext.AsSpan(offset, length).ToArray(), range);
    }

    [Fact]
    public async Task Bouncy_castle_and_dotnet_chacha20_poly1305_agree()
    {
        var plaintext = AgeTestData.Random(2 * Chunk + 500);
        var ciphertext = await AgeTestData.EncryptAsync(plaintext, [_identity.Recipient], options: new AgeEncryptOptions { ForceBouncyCastle = true });
        Assert.Equal(plaintext, await AgeTestData.DecryptAsync(ciphertext, [_identity]));
    }

    [Fact]
    public async Task Abort_leaves_a_file_no_decryptor_accepts()
    {
        var plaintext = AgeTestData.Random(3 * Chunk);
        using var output = new MemoryStream();
        var age = await AgeEncryptor.CreateAsync(output, [_identity.Recipient], new AgeEncryptOptions { LeaveOpen = true, ChunksPerBatch = 1 });
        await age.WriteAsync(plaintext);
        age.Abort();
        Assert.Throws<InvalidOperationException>(() => age.Write(new byte[1]));
        await age.DisposeAsync();
        var e = await Assert.ThrowsAsync<AgeDecryptionException>(() => AgeTestData.DecryptAsync(output.ToArray(), [_identity]));
        Assert.Equal(AgeFailureKind.Payload, e.Kind);
    }

    public void Dispose() => _identity.Dispose();
}
