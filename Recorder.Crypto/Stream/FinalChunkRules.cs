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
