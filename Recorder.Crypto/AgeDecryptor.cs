using Recorder.Crypto.Format;
using Recorder.Crypto.Primitives;
using Recorder.Crypto.Stream;

namespace Recorder.Crypto;

/// <summary>Entry point for reading age v1 files.</summary>
public static class AgeDecryptor
{
    /// <summary>
    /// Reads the header, unwraps the file key with the first identity that can,
    /// checks the header MAC, and returns the plaintext as a read-only stream that
    /// authenticates every chunk before releasing it and fails at the end of a
    /// truncated file. Throws <see cref="AgeNoIdentityMatchException"/> ("not my key")
    /// or <see cref="AgeDecryptionException"/> (corrupted or tampered with).
    /// <see cref="AgeDecryptOptions.AllowTruncated"/> is refused here (the stream could
    /// not say that it ended at a cut): use DecryptAsync.
    /// </summary>
    public static Task<System.IO.Stream> OpenAsync(System.IO.Stream ciphertext, IReadOnlyList<IIdentity> identities, CancellationToken ct = default) =>
        OpenAsync(ciphertext, identities, new AgeDecryptOptions(), ct);

    public static async Task<System.IO.Stream> OpenAsync(
        System.IO.Stream ciphertext, IReadOnlyList<IIdentity> identities, AgeDecryptOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(options);
        RefuseAllowTruncated(options);
        return await OpenStreamAsync(ciphertext, identities, options, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Decrypts the whole age file read from <paramref name="ciphertext"/> (any readable
    /// stream, from its current position) to <paramref name="destination"/>: what
    /// <see cref="OpenAsync(System.IO.Stream, IReadOnlyList{IIdentity}, AgeDecryptOptions, CancellationToken)"/>
    /// would release, with the same exceptions. With <see cref="AgeDecryptOptions.AllowTruncated"/>
    /// a file cut short ends without an exception and the result says it was truncated.
    /// The ciphertext stream is disposed unless <see cref="AgeDecryptOptions.LeaveOpen"/>.
    /// </summary>
    public static async Task<AgeDecryptResult> DecryptAsync(
        System.IO.Stream ciphertext, System.IO.Stream destination, IReadOnlyList<IIdentity> identities,
        AgeDecryptOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new AgeDecryptOptions();
        await using var plain = await OpenStreamAsync(ciphertext, identities, options, ct).ConfigureAwait(false);
        await plain.CopyToAsync(destination, ct).ConfigureAwait(false);
        await destination.FlushAsync(ct).ConfigureAwait(false);
        return plain.Result ?? throw new InvalidOperationException("the plaintext stream ended before the payload did");
    }

    /// <summary>
    /// Decrypts the whole age file behind <paramref name="source"/> (a regular file,
    /// from offset 0) to <paramref name="destination"/>, reading and opening batches
    /// on every core at once. What reaches the destination is what the streaming
    /// decryptor would release: authenticated batches, in order, nothing from the
    /// first failing batch on; the failures are the same exceptions, and so is the
    /// end of a file cut short with <see cref="AgeDecryptOptions.AllowTruncated"/>.
    /// </summary>
    public static async Task<AgeDecryptResult> DecryptAsync(
        Microsoft.Win32.SafeHandles.SafeFileHandle source, System.IO.Stream destination, IReadOnlyList<IIdentity> identities,
        AgeDecryptOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new AgeDecryptOptions();
        var (cipher, chunksStart) = await OpenSeekableAsync(new RandomAccessReadStream(source), identities, options, ct).ConfigureAwait(false);
        using (cipher)
        {
            var result = await FilePayload.OpenAsync(source, chunksStart, cipher, Math.Max(1, options.ChunksPerBatch), options.AllowTruncated,
                destination, ct).ConfigureAwait(false);
            await destination.FlushAsync(ct).ConfigureAwait(false);
            return result;
        }
    }

    /// <summary>
    /// <see cref="DecryptAsync(Microsoft.Win32.SafeHandles.SafeFileHandle, System.IO.Stream, IReadOnlyList{IIdentity}, AgeDecryptOptions?, CancellationToken)"/>
    /// for a complete file; returns the plaintext length.
    /// </summary>
    public static async Task<long> DecryptFileAsync(
        Microsoft.Win32.SafeHandles.SafeFileHandle source, System.IO.Stream destination, IReadOnlyList<IIdentity> identities,
        AgeDecryptOptions? options = null, CancellationToken ct = default)
    {
        options ??= new AgeDecryptOptions();
        RefuseAllowTruncated(options);
        return (await DecryptAsync(source, destination, identities, options, ct).ConfigureAwait(false)).PlaintextLengthBytes;
    }

    /// <summary>
    /// Opens a seekable age file (from its current position) for random access to
    /// plaintext byte ranges. The final chunk is checked first, so the plaintext
    /// length is authenticated before any read; each read authenticates the chunks
    /// it touches. Reading the whole stream authenticates the whole file.
    /// </summary>
    public static async Task<AgeRandomAccessStream> OpenRandomAccessAsync(
        System.IO.Stream ciphertext, IReadOnlyList<IIdentity> identities, AgeDecryptOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        if (!ciphertext.CanSeek) throw new ArgumentException("random access needs a seekable stream", nameof(ciphertext));
        options ??= new AgeDecryptOptions();
        RefuseAllowTruncated(options);
        var (cipher, chunksStart) = await OpenSeekableAsync(ciphertext, identities, options, ct).ConfigureAwait(false);
        try
        {
            return await AgeRandomAccessStream.OpenAsync(ciphertext, chunksStart, cipher, options, ct).ConfigureAwait(false);
        }
        catch
        {
            cipher.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the header of an age file of <paramref name="fileLength"/> bytes from the front of
    /// <paramref name="header"/> (read sequentially, only as far as the header and nonce), unwraps
    /// the file key with the first identity that can, checks the header MAC, and returns an opener
    /// for chosen chunks whose ciphertext the caller fetches (ranged reads of an object).
    /// <see cref="AgeDecryptOptions.AllowTruncated"/> lets a cut last chunk end the payload.
    /// </summary>
    public static Task<AgeChunkOpener> OpenChunksAsync(System.IO.Stream header, long fileLength, IReadOnlyList<IIdentity> identities,
        AgeDecryptOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(header);
        return AgeChunkOpener.OpenAsync(header, fileLength, identities, options ?? new AgeDecryptOptions(), ct);
    }

    /// <summary>
    /// A truncated file may only be accepted where the caller learns that it was (the
    /// <see cref="AgeDecryptResult"/> of DecryptAsync); a plain stream would end silently.
    /// </summary>
    private static void RefuseAllowTruncated(AgeDecryptOptions options)
    {
        if (options.AllowTruncated)
            throw new ArgumentException("AllowTruncated needs AgeDecryptor.DecryptAsync, which reports the truncation", nameof(options));
    }

    private static async Task<AgeDecryptingStream> OpenStreamAsync(
        System.IO.Stream ciphertext, IReadOnlyList<IIdentity> identities, AgeDecryptOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var (header, leftover) = await HeaderReader.ReadAsync(ciphertext, ct).ConfigureAwait(false);
        using var fileKey = await FileKeyUnwrapper.UnwrapAsync(header, identities, ct).ConfigureAwait(false);

        var nonce = new byte[AgePayloadLayout.NonceSize];
        var fromLeftover = Math.Min(nonce.Length, leftover.Length);
        leftover.Span[..fromLeftover].CopyTo(nonce);
        if (fromLeftover < nonce.Length)
        {
            var read = await ciphertext.ReadAtLeastAsync(nonce.AsMemory(fromLeftover), nonce.Length - fromLeftover, throwOnEndOfStream: false, ct)
                .ConfigureAwait(false);
            if (fromLeftover + read < nonce.Length) throw AgeDecryptionException.Header("the payload nonce is missing or short");
        }
        var cipher = PayloadCipher.Derive(fileKey.Span, nonce, options.MaxDegreeOfParallelism);
        return new AgeDecryptingStream(ciphertext, cipher, leftover[fromLeftover..], options.ChunksPerBatch, options.LeaveOpen,
            options.AllowTruncated);
    }

    /// <summary>
    /// Reads the header of a seekable age file from its current position, unwraps the
    /// file key and reads the nonce after the header; returns the payload cipher and
    /// where the first chunk starts.
    /// </summary>
    private static async Task<(PayloadCipher Cipher, long ChunksStart)> OpenSeekableAsync(
        System.IO.Stream ciphertext, IReadOnlyList<IIdentity> identities, AgeDecryptOptions options, CancellationToken ct)
    {
        var start = ciphertext.Position;
        var (header, _) = await HeaderReader.ReadAsync(ciphertext, ct).ConfigureAwait(false);
        using var fileKey = await FileKeyUnwrapper.UnwrapAsync(header, identities, ct).ConfigureAwait(false);

        var nonceOffset = start + header.EncodedLength;
        var nonce = new byte[AgePayloadLayout.NonceSize];
        ciphertext.Position = nonceOffset;
        var read = await ciphertext.ReadAtLeastAsync(nonce, nonce.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (read < nonce.Length) throw AgeDecryptionException.Header("the payload nonce is missing or short");
        return (PayloadCipher.Derive(fileKey.Span, nonce, options.MaxDegreeOfParallelism), nonceOffset + nonce.Length);
    }
}
