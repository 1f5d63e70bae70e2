using Recorder.Crypto.Format;
using Recorder.Crypto.Stream;

namespace Recorder.Crypto;

/// <summary>
/// Opens chosen chunks of an age file whose bytes the caller fetches itself (ranged
/// GETs of an object, positional reads of a file): the header was read and the file
/// key unwrapped once by <see cref="AgeDecryptor.OpenChunksAsync"/>; the caller asks
/// where chunks lie (<see cref="CiphertextRange"/>) and hands their ciphertext to
/// <see cref="Open"/>, which authenticates every chunk before returning any plaintext.
/// A chunk is opened as the final one exactly when it is the last chunk of a file of
/// the length given at open, so a file cut or extended is caught on the chunks that
/// changed, as by the other readers. The payload key is wiped on dispose.
/// </summary>
public sealed class AgeChunkOpener : IDisposable
{
    private readonly PayloadCipher _cipher;
    private readonly bool _allowTruncated;

    internal AgeChunkOpener(PayloadCipher cipher, long chunksStart, long fileLength, bool allowTruncated)
    {
        var chunksLength = fileLength - chunksStart;
        if (chunksLength <= 0) throw AgeDecryptionException.Chunk(0, "the file is truncated (no payload chunks)");
        _cipher = cipher;
        _allowTruncated = allowTruncated;
        ChunksStart = chunksStart;
        ChunkCount = (chunksLength + AgePayloadLayout.EncryptedChunkSize - 1) / AgePayloadLayout.EncryptedChunkSize;
        LastChunkLength = (int)(chunksLength - (ChunkCount - 1) * AgePayloadLayout.EncryptedChunkSize);
    }

    /// <summary>Offset of chunk 0 in the file (after the header and the 16-byte nonce).</summary>
    public long ChunksStart { get; }

    /// <summary>Chunks in the file, from its length.</summary>
    public long ChunkCount { get; }

    /// <summary>Ciphertext bytes of the last chunk (tag included).</summary>
    public int LastChunkLength { get; }

    /// <summary>The chunk that holds plaintext byte <paramref name="plaintextOffset"/>.</summary>
    public static long ChunkOf(long plaintextOffset) => plaintextOffset / AgePayloadLayout.ChunkSize;

    /// <summary>Where chunks <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 lie in the file.</summary>
    public (long Offset, int Length) CiphertextRange(long first, int count)
    {
        if (first < 0 || count <= 0 || first + count > ChunkCount)
            throw new ArgumentOutOfRangeException(nameof(count), $"chunks {first}+{count} are outside 0…{ChunkCount - 1}");
        var length = first + count == ChunkCount
            ? (long)(count - 1) * AgePayloadLayout.EncryptedChunkSize + LastChunkLength
            : (long)count * AgePayloadLayout.EncryptedChunkSize;
        return (ChunksStart + AgePayloadLayout.ChunkOffset(first), checked((int)length));
    }

    /// <summary>
    /// Authenticates and decrypts the consecutive chunks starting at <paramref name="first"/>
    /// whose ciphertext is <paramref name="ciphertext"/> (exactly as <see cref="CiphertextRange"/>
    /// located them) into <paramref name="plaintext"/>; returns the plaintext length. Throws
    /// <see cref="AgeDecryptionException"/> naming the first chunk that fails; nothing is
    /// returned from a batch with a failing chunk. A file opened to allow truncation ends
    /// without an error at a cut in its last chunk (the bytes of a partial chunk are dropped).
    /// </summary>
    public int Open(ReadOnlyMemory<byte> ciphertext, long first, Memory<byte> plaintext)
    {
        var count = (int)((ciphertext.Length + AgePayloadLayout.EncryptedChunkSize - 1) / AgePayloadLayout.EncryptedChunkSize);
        if (count == 0 || CiphertextRange(first, count).Length != ciphertext.Length)
            throw new ArgumentException($"not the ciphertext of whole chunks from {first}", nameof(ciphertext));
        if (plaintext.Length < (long)count * AgePayloadLayout.ChunkSize && first + count < ChunkCount)
            throw new ArgumentException("plaintext buffer too small", nameof(plaintext));
        var includesLast = first + count == ChunkCount;
        return FinalChunkRules.OpenBatch(_cipher, ciphertext, first, includesLast, LastChunkLength, ChunkCount - 1, plaintext,
            parallel: true, _allowTruncated, out _);
    }

    public void Dispose() => _cipher.Dispose();

    /// <summary>Reads the header and nonce from the front of <paramref name="header"/> (read sequentially), unwraps the file key.</summary>
    internal static async Task<AgeChunkOpener> OpenAsync(System.IO.Stream header, long fileLength, IReadOnlyList<IIdentity> identities,
        AgeDecryptOptions options, CancellationToken ct)
    {
        var (parsed, leftover) = await HeaderReader.ReadAsync(header, ct).ConfigureAwait(false);
        using var fileKey = await FileKeyUnwrapper.UnwrapAsync(parsed, identities, ct).ConfigureAwait(false);
        var nonce = new byte[AgePayloadLayout.NonceSize];
        var fromLeftover = Math.Min(nonce.Length, leftover.Length);
        leftover.Span[..fromLeftover].CopyTo(nonce);
        if (fromLeftover < nonce.Length &&
            await header.ReadAtLeastAsync(nonce.AsMemory(fromLeftover), nonce.Length - fromLeftover, throwOnEndOfStream: false, ct)
                .ConfigureAwait(false) < nonce.Length - fromLeftover)
            throw AgeDecryptionException.Header("the payload nonce is missing or short");
        var cipher = PayloadCipher.Derive(fileKey.Span, nonce, options.MaxDegreeOfParallelism);
        try
        {
            return new AgeChunkOpener(cipher, parsed.EncodedLength + AgePayloadLayout.NonceSize, fileLength, options.AllowTruncated);
        }
        catch
        {
            cipher.Dispose();
            throw;
        }
    }
}
