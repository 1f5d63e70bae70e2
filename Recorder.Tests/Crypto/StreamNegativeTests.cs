using Recorder.Crypto;
using Recorder.Crypto.Recipients;
using Recorder.Crypto.Stream;

namespace Recorder.Tests.Crypto;

/// <summary>
/// Damaged files are refused with the right kind of error, by both decryptors:
/// truncation at and between chunk boundaries, a trailing byte, swapped chunks,
/// a flipped header byte; and the wrong key is "not my key", not "tampered".
/// </summary>
public sealed class StreamNegativeTests : IDisposable
{
    private const int Chunk = AgeTestData.Chunk;
    private const int Sealed = AgePayloadLayout.EncryptedChunkSize;
    private readonly X25519Identity _identity = X25519Identity.Generate();

    private async Task<(byte[] Ciphertext, int PayloadStart)> ThreeChunkFileAsync()
    {
        var ciphertext = await AgeTestData.EncryptAsync(AgeTestData.Random(2 * Chunk + 500), [_identity.Recipient]);
        var info = await AgeInspector.InspectAsync(new MemoryStream(ciphertext));
        return (ciphertext, info.HeaderLengthBytes + AgePayloadLayout.NonceSize);
    }

    public static TheoryData<string, bool> Damages()
    {
        var data = new TheoryData<string, bool>();
        foreach (var damage in new[] { "cut-at-boundary-1", "cut-at-boundary-2", "cut-mid-chunk-1", "cut-mid-final", "cut-in-tag", "trailing-byte", "swapped-chunks", "flipped-payload-bit" })
        foreach (var randomAccess in new[] { false, true })
            data.Add(damage, randomAccess);
        return data;
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task Damaged_payload_is_refused_naming_the_chunk(string damage, bool randomAccess)
    {
        var (c, p) = await ThreeChunkFileAsync();
        var (damaged, chunk) = damage switch
        {
            "cut-at-boundary-1" => (c[..(p + Sealed)], 0L),
            "cut-at-boundary-2" => (c[..(p + 2 * Sealed)], 1L),
            "cut-mid-chunk-1" => (c[..(p + Sealed + 1000)], 1L),
            "cut-mid-final" => (c[..^100], 2L),
            "cut-in-tag" => (c[..(p + 2 * Sealed + 5)], 2L),
            "trailing-byte" => ([.. c, 0], 2L),
            "swapped-chunks" => (Swap(c, p), 0L),
            "flipped-payload-bit" => (Flip(c, p + Sealed + 10), 1L),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        var e = await Assert.ThrowsAsync<AgeDecryptionException>(() => randomAccess
            ? AgeTestData.DecryptRangeAsync(damaged, [_identity], 0, 3 * Chunk)
            : AgeTestData.DecryptAsync(damaged, [_identity]));
        Assert.Equal(AgeFailureKind.Payload, e.Kind);
        Assert.Equal(chunk, e.ChunkIndex);
        Assert.StartsWith($"failed to decrypt and authenticate payload chunk {chunk}: ", e.Message);
    }

    [Fact]
    public async Task Streaming_decryptor_releases_no_plaintext_of_a_damaged_batch()
    {
        var (c, p) = await ThreeChunkFileAsync();
        await using var plain = await AgeDecryptor.OpenAsync(new MemoryStream(Flip(c, p + 2 * Sealed + 3)), [_identity]);
        var buffer = new byte[4 * Chunk];
        await Assert.ThrowsAsync<AgeDecryptionException>(async () => await plain.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false));
        Assert.All(buffer, b => Assert.Equal(0, b));
        // The failure is sticky: a retry does not go on past it.
        await Assert.ThrowsAsync<AgeDecryptionException>(async () => await plain.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Flipped_header_byte_is_a_header_mac_failure(bool randomAccess)
    {
        var (c, _) = await ThreeChunkFileAsync();
        var text = System.Text.Encoding.ASCII.GetString(c);
        // A byte inside the hint stanza's first fingerprint: still a well-formed header.
        var at = text.IndexOf("x25519:", StringComparison.Ordinal) + 8;
        var damaged = c.ToArray();
        damaged[at] = (byte)(damaged[at] == (byte)'a' ? 'b' : 'a');
        var e = await Assert.ThrowsAsync<AgeDecryptionException>(() => randomAccess
            ? AgeTestData.DecryptRangeAsync(damaged, [_identity], 0, 1)
            : AgeTestData.DecryptAsync(damaged, [_identity]));
        Assert.Equal(AgeFailureKind.HeaderMac, e.Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Wrong_identity_is_not_my_key(bool randomAccess)
    {
        var (c, _) = await ThreeChunkFileAsync();
        using var other = X25519Identity.Generate();
        var e = await Assert.ThrowsAsync<AgeNoIdentityMatchException>(() => randomAccess
            ? AgeTestData.DecryptRangeAsync(c, [other], 0, 1)
            : AgeTestData.DecryptAsync(c, [other]));
        Assert.Equal("no identity matched any of the file's recipients", e.Message);
    }

    [Fact]
    public async Task Second_identity_is_tried_after_the_first_does_not_match()
    {
        var (c, _) = await ThreeChunkFileAsync();
        using var other = X25519Identity.Generate();
        Assert.Equal(2 * Chunk + 500, (await AgeTestData.DecryptAsync(c, [other, _identity])).Length);
    }

    private static byte[] Swap(byte[] c, int p)
    {
        var d = c.ToArray();
        c.AsSpan(p, Sealed).CopyTo(d.AsSpan(p + Sealed));
        c.AsSpan(p + Sealed, Sealed).CopyTo(d.AsSpan(p));
        return d;
    }

    private static byte[] Flip(byte[] c, int at)
    {
        var d = c.ToArray();
        d[at] ^= 1;
        return d;
    }

    public void Dispose() => _identity.Dispose();
}
