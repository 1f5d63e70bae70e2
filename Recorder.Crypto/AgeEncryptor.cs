using System.Security.Cryptography;
using Recorder.Crypto.Format;
using Recorder.Crypto.Primitives;
using Recorder.Crypto.Recipients;
using Recorder.Crypto.Stream;

namespace Recorder.Crypto;

/// <summary>Entry point for writing age v1 files.</summary>
public static class AgeEncryptor
{
    /// <summary>
    /// Generates a fresh 16-byte file key, wraps it for every recipient (KMS
    /// <c>Encrypt</c> happens here), writes the header (with the recipient-hint
    /// stanza unless disabled) and the payload nonce to <paramref name="destination"/>,
    /// and returns the stream that seals the plaintext written to it. Call
    /// <see cref="AgeEncryptingStream.FinishAsync"/> (or dispose it) to seal the final chunk.
    /// </summary>
    public static async Task<AgeEncryptingStream> CreateAsync(
        System.IO.Stream destination, IReadOnlyList<IRecipient> recipients,
        AgeEncryptOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AgeEncryptOptions();
        var cipher = await BeginAsync(destination, recipients, options, cancellationToken).ConfigureAwait(false);
        return new AgeEncryptingStream(destination, cipher, options);
    }

    /// <summary>
    /// Encrypts the whole regular file behind <paramref name="source"/> (its length is
    /// read first) to <paramref name="destination"/>, reading and sealing batches on
    /// every core at once. The output is the same age file that <see cref="CreateAsync"/>
    /// writes. Throws <see cref="IOException"/> if the file grows or shrinks meanwhile.
    /// Returns the plaintext length.
    /// </summary>
    public static async Task<long> EncryptFileAsync(
        Microsoft.Win32.SafeHandles.SafeFileHandle source, System.IO.Stream destination, IReadOnlyList<IRecipient> recipients,
        AgeEncryptOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new AgeEncryptOptions();
        using var cipher = await BeginAsync(destination, recipients, options, cancellationToken).ConfigureAwait(false);
        var length = await FilePayload.SealAsync(source, cipher, options.ChunksPerBatch, destination, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return length;
    }

    /// <summary>
    /// Checks the arguments, generates the file key, wraps it for every recipient and
    /// writes the header and the payload nonce; returns the payload cipher.
    /// </summary>
    private static async Task<PayloadCipher> BeginAsync(
        System.IO.Stream destination, IReadOnlyList<IRecipient> recipients, AgeEncryptOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0) throw new ArgumentException("at least one recipient", nameof(recipients));
        if (!destination.CanWrite) throw new ArgumentException("the destination must be writable", nameof(destination));
        if (options.ChunksPerBatch < 1) throw new ArgumentException("ChunksPerBatch must be at least 1", nameof(options));

        using var fileKey = FileKey.Generate();
        var header = await WriteHeaderAsync(fileKey, recipients, options, cancellationToken).ConfigureAwait(false);

        var nonce = RandomNumberGenerator.GetBytes(AgePayloadLayout.NonceSize);
        var cipher = PayloadCipher.Derive(fileKey.Span, nonce, options.MaxDegreeOfParallelism, options.ForceBouncyCastle);
        try
        {
            await destination.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            await destination.WriteAsync(nonce, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            cipher.Dispose();
            throw;
        }
        return cipher;
    }

    /// <summary>The encoded header (stanzas, hints, MAC) for <paramref name="fileKey"/>.</summary>
    internal static async Task<byte[]> WriteHeaderAsync(
        SecretBuffer fileKey, IReadOnlyList<IRecipient> recipients, AgeEncryptOptions options,
        CancellationToken cancellationToken, IEnumerable<AgeStanza>? keptStanzas = null)
    {
        var stanzas = new List<AgeStanza>(keptStanzas?.Where(s => s.Type != RecipientHints.Type) ?? []);
        var hints = new List<string>(keptStanzas is null ? [] : RecipientHints.Read(keptStanzas));
        foreach (var recipient in recipients)
        {
            ArgumentNullException.ThrowIfNull(recipient, nameof(recipients));
            stanzas.Add(await recipient.WrapAsync(fileKey, options, cancellationToken).ConfigureAwait(false));
            hints.Add(recipient.Fingerprint);
        }
        if (options.IncludeRecipientHints) stanzas.Add(RecipientHints.Create(hints));
        if (stanzas.Count > AgeHeader.MaxStanzaCount) throw new ArgumentException("too many recipients", nameof(recipients));
        return HeaderMac.Seal(fileKey.Span, stanzas);
    }
}
