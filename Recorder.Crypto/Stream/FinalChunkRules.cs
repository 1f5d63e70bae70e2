using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Stream;

/// <summary>
/// The decryptor's side of STREAM's final-chunk rules, shared by the streaming
/// and the random-access decryptor, with age's failure messages.
/// </summary>
internal static class FinalChunkRules
{
    /// <summary>
    /// Opens the chunk that ends the payload. It must be marked final; it may be
    /// short, but empty only when it is the only chunk. A full-size chunk that only
    /// opens as non-final means the file was cut at a chunk boundary.
    /// Returns the plaintext length written to <paramref name="plaintext"/>.
    /// </summary>
    public static int OpenLast(PayloadCipher cipher, ReadOnlySpan<byte> chunk, long index, Span<byte> plaintext)
    {
        if (chunk.Length < AgePayloadLayout.TagSize)
            throw AgeDecryptionException.Chunk(index, "the file is truncated (a chunk shorter than its tag)");
        if (chunk.Length == AgePayloadLayout.TagSize && index > 0)
            throw AgeDecryptionException.Chunk(index, "the final chunk is empty, which only an empty file may have");
        var length = chunk.Length - AgePayloadLayout.TagSize;
        using var aead = cipher.CreateAead();
        if (PayloadCipher.TryOpenChunk(aead, chunk, index, final: true, plaintext[..length])) return length;
        if (chunk.Length == AgePayloadLayout.EncryptedChunkSize &&
            PayloadCipher.TryOpenChunk(aead, chunk, index, final: false, plaintext[..length]))
        {
            plaintext[..length].Clear();
            throw AgeDecryptionException.Chunk(index, "the file is truncated (the last chunk is not marked final)");
        }
        throw AgeDecryptionException.Chunk(index, "the file may be corrupted or tampered with");
    }

    /// <summary>
    /// Opens a batch of consecutive chunks starting at chunk <paramref name="first"/>: full
    /// non-final chunks, and when <paramref name="includesLast"/> the payload's last chunk
    /// (<paramref name="lastChunkLength"/> bytes, index <paramref name="lastIndex"/>) by the
    /// final-chunk rules. Throws at the first chunk that fails; returns the plaintext length.
    /// </summary>
    public static int OpenBatch(PayloadCipher cipher, ReadOnlyMemory<byte> ciphertext, long first, bool includesLast,
        int lastChunkLength, long lastIndex, Memory<byte> plaintext, bool parallel)
    {
        var fullBytes = includesLast ? ciphertext.Length - lastChunkLength : ciphertext.Length;
        if (fullBytes > 0 && cipher.OpenFullChunks(ciphertext[..fullBytes], first, plaintext, parallel) is { } failed)
        {
            var at = (int)(failed - first) * AgePayloadLayout.EncryptedChunkSize;
            throw NonFinalFailure(cipher, ciphertext.Span.Slice(at, AgePayloadLayout.EncryptedChunkSize), failed);
        }
        var plainBytes = fullBytes / AgePayloadLayout.EncryptedChunkSize * AgePayloadLayout.ChunkSize;
        if (includesLast)
            plainBytes += OpenLast(cipher, ciphertext.Span.Slice(fullBytes, lastChunkLength), lastIndex, plaintext.Span[plainBytes..]);
        return plainBytes;
    }

    /// <summary>The error for a chunk followed by more data that did not open as non-final.</summary>
    public static AgeDecryptionException NonFinalFailure(PayloadCipher cipher, ReadOnlySpan<byte> chunk, long index)
    {
        using var aead = cipher.CreateAead();
        var scratch = new byte[Math.Max(0, chunk.Length - AgePayloadLayout.TagSize)];
        return PayloadCipher.TryOpenChunk(aead, chunk, index, final: true, scratch)
            ? AgeDecryptionException.Chunk(index, "data follows the final chunk (trailing data or a spliced file)")
            : AgeDecryptionException.Chunk(index, "the file may be corrupted or tampered with");
    }
}
