namespace Recorder.Crypto.Stream;

/// <summary>
/// Where things are in an age v1 payload: a 16-byte nonce, then STREAM chunks of
/// 64 KiB plaintext plus a 16-byte tag each; only the final chunk may be short,
/// and it is empty only when the whole plaintext is. Offsets here are relative
/// to the first chunk (just after the nonce).
/// </summary>
public static class AgePayloadLayout
{
    public const int NonceSize = 16;
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;
    public const int EncryptedChunkSize = ChunkSize + TagSize;

    /// <summary>Chunks needed for <paramref name="plaintextLength"/> bytes (at least one).</summary>
    public static long ChunkCount(long plaintextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        return plaintextLength == 0 ? 1 : (plaintextLength + ChunkSize - 1) / ChunkSize;
    }

    /// <summary>Bytes of chunks (nonce excluded) that <paramref name="plaintextLength"/> bytes encrypt to.</summary>
    public static long ChunksLength(long plaintextLength) => plaintextLength + ChunkCount(plaintextLength) * TagSize;

    /// <summary>Offset of chunk <paramref name="chunkIndex"/> from the first chunk.</summary>
    public static long ChunkOffset(long chunkIndex) => checked(chunkIndex * EncryptedChunkSize);

    /// <summary>
    /// The plaintext length and chunk count that <paramref name="chunksLength"/> bytes
    /// of chunks imply; false when no valid payload has that length (no chunk, a final
    /// chunk shorter than its tag, or an empty final chunk after others).
    /// </summary>
    public static bool TryGetPlaintextLength(long chunksLength, out long plaintextLength, out long chunkCount)
    {
        plaintextLength = 0;
        chunkCount = 0;
        if (chunksLength <= 0) return false;
        chunkCount = (chunksLength + EncryptedChunkSize - 1) / EncryptedChunkSize;
        var last = chunksLength - (chunkCount - 1) * EncryptedChunkSize;
        if (last < TagSize || (last == TagSize && chunkCount > 1)) return false;
        plaintextLength = (chunkCount - 1) * ChunkSize + (last - TagSize);
        return true;
    }
}
