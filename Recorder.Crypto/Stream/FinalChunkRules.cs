using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Stream;

/// <summary>
/// The decryptor's side of STREAM's final-chunk rules, shared by the streaming
/// and the random-access decryptor, with age's failure messages; and where a file
/// cut short may end instead (<see cref="AgeDecryptOptions.AllowTruncated"/>).
/// </summary>
internal static class FinalChunkRules
{
    /// <summary>What the chunk that ends the payload turned out to be.</summary>
    /// <param name="PlaintextLength">Authenticated plaintext written (0 for a cut inside the chunk).</param>
    /// <param name="Authenticated">The chunk opened (as final, or as non-final before a cut at its end).</param>
    /// <param name="IsFinal">It opened as final: the payload is complete.</param>
    public readonly record struct LastChunk(int PlaintextLength, bool Authenticated, bool IsFinal);

    /// <summary>
    /// Opens the chunk that ends the payload. It must be marked final; it may be
    /// short, but empty only when it is the only chunk. A full-size chunk that only
    /// opens as non-final means the file was cut at a chunk boundary.
    /// Returns the plaintext length written to <paramref name="plaintext"/>.
    /// </summary>
    public static int OpenLast(PayloadCipher cipher, ReadOnlySpan<byte> chunk, long index, Span<byte> plaintext) =>
        OpenLast(cipher, chunk, index, plaintext, allowTruncated: false).PlaintextLength;

    /// <summary>
    /// <see cref="OpenLast(PayloadCipher, ReadOnlySpan{byte}, long, Span{byte})"/>, and with
    /// <paramref name="allowTruncated"/> a cut ends the payload instead of failing it: a
    /// full-size chunk that opens as non-final is released (cut at its end); a shorter piece
    /// after at least one whole chunk that does not open as final is taken for a chunk whose
    /// bytes are missing (cut inside it), and nothing of it is released. (Damaged bytes, or
    /// data after a short final chunk, look the same there; whoever could damage the chunk
    /// could as well have cut the file before it.) A full-size chunk that opens neither way
    /// is damage, with or without the option.
    /// </summary>
    public static LastChunk OpenLast(PayloadCipher cipher, ReadOnlySpan<byte> chunk, long index, Span<byte> plaintext, bool allowTruncated)
    {
        // A first chunk cut short leaves nothing authenticated: that stays a failure.
        var mayBeCutInside = allowTruncated && index > 0 && chunk.Length < AgePayloadLayout.EncryptedChunkSize;
        var cutInside = new LastChunk(0, Authenticated: false, IsFinal: false);
        if (chunk.Length < AgePayloadLayout.TagSize)
            return mayBeCutInside ? cutInside : throw AgeDecryptionException.Chunk(index, "the file is truncated (a chunk shorter than its tag)");
        var length = chunk.Length - AgePayloadLayout.TagSize;
        using var aead = cipher.CreateAead();
        if (chunk.Length == AgePayloadLayout.TagSize && index > 0)
        {
            // An empty final chunk is a malformed file, not a cut; 16 bytes that do not open as one may be a cut.
            if (mayBeCutInside && !PayloadCipher.TryOpenChunk(aead, chunk, index, final: true, [])) return cutInside;
            throw AgeDecryptionException.Chunk(index, "the final chunk is empty, which only an empty file may have");
        }
        if (PayloadCipher.TryOpenChunk(aead, chunk, index, final: true, plaintext[..length])) return new LastChunk(length, true, true);
        if (chunk.Length == AgePayloadLayout.EncryptedChunkSize &&
            PayloadCipher.TryOpenChunk(aead, chunk, index, final: false, plaintext[..length]))
        {
            if (allowTruncated) return new LastChunk(length, Authenticated: true, IsFinal: false);
            plaintext[..length].Clear();
            throw AgeDecryptionException.Chunk(index, "the file is truncated (the last chunk is not marked final)");
        }
        if (mayBeCutInside)
        {
            plaintext[..length].Clear();
            return cutInside;
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
        int lastChunkLength, long lastIndex, Memory<byte> plaintext, bool parallel) =>
        OpenBatch(cipher, ciphertext, first, includesLast, lastChunkLength, lastIndex, plaintext, parallel, allowTruncated: false, out _);

    /// <summary>
    /// <see cref="OpenBatch(PayloadCipher, ReadOnlyMemory{byte}, long, bool, int, long, Memory{byte}, bool)"/>
    /// with the last chunk opened by <see cref="OpenLast(PayloadCipher, ReadOnlySpan{byte}, long, Span{byte}, bool)"/>;
    /// <paramref name="last"/> is what it turned out to be (null when the batch does not include it).
    /// </summary>
    public static int OpenBatch(PayloadCipher cipher, ReadOnlyMemory<byte> ciphertext, long first, bool includesLast,
        int lastChunkLength, long lastIndex, Memory<byte> plaintext, bool parallel, bool allowTruncated, out LastChunk? last)
    {
        last = null;
        var fullBytes = includesLast ? ciphertext.Length - lastChunkLength : ciphertext.Length;
        if (fullBytes > 0 && cipher.OpenFullChunks(ciphertext[..fullBytes], first, plaintext, parallel) is { } failed)
        {
            var at = (int)(failed - first) * AgePayloadLayout.EncryptedChunkSize;
            throw NonFinalFailure(cipher, ciphertext.Span.Slice(at, AgePayloadLayout.EncryptedChunkSize), failed);
        }
        var plainBytes = fullBytes / AgePayloadLayout.EncryptedChunkSize * AgePayloadLayout.ChunkSize;
        if (includesLast)
        {
            var opened = OpenLast(cipher, ciphertext.Span.Slice(fullBytes, lastChunkLength), lastIndex, plaintext.Span[plainBytes..], allowTruncated);
            plainBytes += opened.PlaintextLength;
            last = opened;
        }
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
