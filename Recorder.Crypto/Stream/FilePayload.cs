using Microsoft.Win32.SafeHandles;

namespace Recorder.Crypto.Stream;

/// <summary>
/// The payload of a regular file sealed or opened batch by batch on every core:
/// each worker reads its own batch with a positional read (so reading is
/// spread over the cores too), seals or opens it, and the batches are written
/// in order (<see cref="OrderedBatches"/>). The file's length is known up
/// front, so the final chunk is known without holding one back; a file that
/// grows or shrinks meanwhile is an error, not a silently different result.
/// </summary>
internal static class FilePayload
{
    /// <summary>Seals the whole of <paramref name="source"/> (from offset 0) into <paramref name="destination"/>; returns the plaintext length.</summary>
    public static async Task<long> SealAsync(SafeFileHandle source, PayloadCipher cipher, int chunksPerBatch,
        System.IO.Stream destination, CancellationToken cancellationToken)
    {
        var length = RandomAccess.GetLength(source);
        var batchPlain = chunksPerBatch * AgePayloadLayout.ChunkSize;
        var chunks = AgePayloadLayout.ChunkCount(length);
        var batches = (chunks + chunksPerBatch - 1) / chunksPerBatch;

        int Seal(long batch, byte[] plain, byte[] sealedBatch)
        {
            var offset = batch * batchPlain;
            var last = batch == batches - 1;
            var size = (int)Math.Min(batchPlain, length - offset);
            ReadBatch(source, plain, offset, size, last, length, "encrypted");
            return cipher.SealChunks(plain.AsMemory(0, size), batch * chunksPerBatch, lastIsFinal: last, sealedBatch, parallel: false);
        }

        await OrderedBatches.RunAsync(batches, cipher.MaxDegreeOfParallelism, batchPlain + 1, chunksPerBatch * AgePayloadLayout.EncryptedChunkSize,
            Seal, destination.WriteAsync, cancellationToken).ConfigureAwait(false);
        return length;
    }

    /// <summary>
    /// Opens the chunks that start at <paramref name="chunksStart"/> and run to the end of
    /// <paramref name="source"/>, writing only authenticated plaintext, a batch at a time
    /// and in order. The failures and their messages are the streaming decryptor's, and so
    /// is the end of a file cut short when <paramref name="allowTruncated"/>.
    /// </summary>
    public static async Task<AgeDecryptResult> OpenAsync(SafeFileHandle source, long chunksStart, PayloadCipher cipher, int chunksPerBatch,
        bool allowTruncated, System.IO.Stream destination, CancellationToken cancellationToken)
    {
        var fileLength = RandomAccess.GetLength(source);
        var chunksLength = fileLength - chunksStart;
        if (chunksLength <= 0) throw AgeDecryptionException.Chunk(0, "the file is truncated (no payload chunks)");
        var chunkCount = (chunksLength + AgePayloadLayout.EncryptedChunkSize - 1) / AgePayloadLayout.EncryptedChunkSize;
        var lastChunkLength = (int)(chunksLength - (chunkCount - 1) * AgePayloadLayout.EncryptedChunkSize);
        var batchCipher = chunksPerBatch * AgePayloadLayout.EncryptedChunkSize;
        var batches = (chunkCount + chunksPerBatch - 1) / chunksPerBatch;
        // Set by the last batch's worker; read after the run awaited it.
        FinalChunkRules.LastChunk? lastChunk = null;

        int Open(long batch, byte[] sealedBatch, byte[] plain)
        {
            var first = batch * chunksPerBatch;
            var offset = chunksStart + AgePayloadLayout.ChunkOffset(first);
            var last = batch == batches - 1;
            var size = (int)Math.Min(batchCipher, fileLength - offset);
            ReadBatch(source, sealedBatch, offset, size, last, fileLength, "decrypted");
            var plainBytes = FinalChunkRules.OpenBatch(cipher, sealedBatch.AsMemory(0, size), first, last, lastChunkLength, chunkCount - 1, plain,
                parallel: false, allowTruncated, out var opened);
            if (last) lastChunk = opened;
            return plainBytes;
        }

        await OrderedBatches.RunAsync(batches, cipher.MaxDegreeOfParallelism, batchCipher + 1, chunksPerBatch * AgePayloadLayout.ChunkSize,
            Open, destination.WriteAsync, cancellationToken).ConfigureAwait(false);
        var final = lastChunk ?? throw new InvalidOperationException("the last batch did not report its last chunk");
        return new AgeDecryptResult
        {
            PlaintextLengthBytes = (chunkCount - 1) * AgePayloadLayout.ChunkSize + final.PlaintextLength,
            ChunkCount = final.Authenticated ? chunkCount : chunkCount - 1,
            IsTruncated = !final.IsFinal,
        };
    }

    /// <summary>
    /// Reads exactly <paramref name="size"/> bytes at <paramref name="offset"/>. The last
    /// batch asks for one byte more: getting it means the file grew since its length was read.
    /// </summary>
    private static void ReadBatch(SafeFileHandle source, byte[] buffer, long offset, int size, bool last, long expectedLength, string doing)
    {
        var read = ReadFully(source, buffer.AsSpan(0, last ? size + 1 : size), offset);
        if (read < size) throw new IOException($"the input shrank while it was being {doing} (expected {expectedLength} bytes)");
        if (read > size) throw new IOException($"the input grew while it was being {doing} (expected {expectedLength} bytes)");
    }

    private static int ReadFully(SafeFileHandle source, Span<byte> buffer, long offset)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = RandomAccess.Read(source, buffer[total..], offset + total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
