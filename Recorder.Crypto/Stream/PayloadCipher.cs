using System.Buffers.Binary;
using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Stream;

/// <summary>
/// The STREAM construction over ChaCha20-Poly1305: chunk i is sealed under the
/// payload key with nonce = 11-byte big-endian i || last-chunk flag. Chunks are
/// independent, so batches are sealed and opened on several cores.
/// </summary>
internal sealed class PayloadCipher : IDisposable
{
    /// <summary>Below this many chunks a batch stays on the calling thread.</summary>
    private const int ParallelThresholdChunks = 2;

    private readonly SecretBuffer _key;
    private readonly int _maxDegreeOfParallelism;
    private readonly bool _forceBouncyCastle;

    private PayloadCipher(SecretBuffer key, int maxDegreeOfParallelism, bool forceBouncyCastle)
    {
        _key = key;
        _maxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        _forceBouncyCastle = forceBouncyCastle;
    }

    /// <summary>payload key = HKDF-SHA256(file key, salt = nonce, info = "payload").</summary>
    public static PayloadCipher Derive(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> nonce, int maxDegreeOfParallelism = 0, bool forceBouncyCastle = false)
    {
        if (nonce.Length != AgePayloadLayout.NonceSize) throw new ArgumentException("the payload nonce is 16 bytes", nameof(nonce));
        var key = new SecretBuffer(ChunkAead.KeySize);
        Hkdf.DeriveKey(fileKey, nonce, "payload"u8, key.Span);
        return new PayloadCipher(key, maxDegreeOfParallelism, forceBouncyCastle);
    }

    public ChunkAead CreateAead() => new(_key.Span, _forceBouncyCastle);

    public static void ChunkNonce(long index, bool final, Span<byte> nonce)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce[3..11], index);
        nonce[11] = final ? (byte)1 : (byte)0;
    }

    public static bool TryOpenChunk(ChunkAead aead, ReadOnlySpan<byte> chunk, long index, bool final, Span<byte> plaintext)
    {
        Span<byte> nonce = stackalloc byte[ChunkAead.NonceSize];
        ChunkNonce(index, final, nonce);
        return aead.TryOpen(nonce, chunk, plaintext);
    }

    /// <summary>
    /// Seals <paramref name="plaintext"/> as consecutive chunks from <paramref name="firstIndex"/>;
    /// only the last may be short, and it is marked final when <paramref name="lastIsFinal"/>.
    /// Returns the ciphertext length written.
    /// </summary>
    public int SealChunks(ReadOnlyMemory<byte> plaintext, long firstIndex, bool lastIsFinal, Memory<byte> output, bool parallel = true)
    {
        var count = plaintext.Length == 0 ? 1 : (plaintext.Length + AgePayloadLayout.ChunkSize - 1) / AgePayloadLayout.ChunkSize;
        if (!lastIsFinal && plaintext.Length % AgePayloadLayout.ChunkSize != 0)
            throw new ArgumentException("only a final chunk may be short", nameof(plaintext));
        var total = plaintext.Length + count * AgePayloadLayout.TagSize;
        if (output.Length < total) throw new ArgumentException("output too small", nameof(output));

        void SealOne(ChunkAead aead, int i)
        {
            var start = i * AgePayloadLayout.ChunkSize;
            var length = Math.Min(AgePayloadLayout.ChunkSize, plaintext.Length - start);
            Span<byte> nonce = stackalloc byte[ChunkAead.NonceSize];
            ChunkNonce(firstIndex + i, lastIsFinal && i == count - 1, nonce);
            aead.Seal(nonce, plaintext.Span.Slice(start, length),
                output.Span.Slice(i * AgePayloadLayout.EncryptedChunkSize, length + AgePayloadLayout.TagSize));
        }

        ForEachChunk(count, (aead, i) => { SealOne(aead, i); return true; }, parallel);
        return total;
    }

    /// <summary>
    /// Opens full-size, non-final chunks; returns the index (absolute) of the first
    /// chunk that does not authenticate, or null when all do.
    /// </summary>
    public long? OpenFullChunks(ReadOnlyMemory<byte> ciphertext, long firstIndex, Memory<byte> output, bool parallel = true)
    {
        if (ciphertext.Length % AgePayloadLayout.EncryptedChunkSize != 0)
            throw new ArgumentException("whole chunks only", nameof(ciphertext));
        var count = ciphertext.Length / AgePayloadLayout.EncryptedChunkSize;
        var firstFailure = int.MaxValue;
        ForEachChunk(count, (aead, i) =>
        {
            var ok = TryOpenChunk(aead,
                ciphertext.Span.Slice(i * AgePayloadLayout.EncryptedChunkSize, AgePayloadLayout.EncryptedChunkSize),
                firstIndex + i, final: false, output.Span.Slice(i * AgePayloadLayout.ChunkSize, AgePayloadLayout.ChunkSize));
            if (!ok) InterlockedMin(ref firstFailure, i);
            return ok;
        }, parallel);
        return firstFailure == int.MaxValue ? null : firstIndex + firstFailure;
    }

    /// <summary>
    /// Runs <paramref name="body"/> for every chunk of a batch: on several cores, or on
    /// the calling thread when the batch is small, parallelism is capped at 1, or the
    /// caller already runs batches side by side (<paramref name="parallel"/> false).
    /// </summary>
    private void ForEachChunk(int count, Func<ChunkAead, int, bool> body, bool parallel)
    {
        if (!parallel || count < ParallelThresholdChunks || _maxDegreeOfParallelism == 1)
        {
            using var aead = CreateAead();
            for (var i = 0; i < count; i++) body(aead, i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _maxDegreeOfParallelism },
            CreateAead,
            (i, _, aead) => { body(aead, i); return aead; },
            aead => aead.Dispose());
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int current;
        while (value < (current = Volatile.Read(ref target)))
            if (Interlocked.CompareExchange(ref target, value, current) == current) return;
    }

    /// <summary>Cores this cipher may use (the option, or all processors).</summary>
    public int MaxDegreeOfParallelism => _maxDegreeOfParallelism;

    public void Dispose() => _key.Dispose();
}
