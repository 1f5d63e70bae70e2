using Recorder.Crypto.Format;
using Recorder.Crypto.Recipients;
using Recorder.Crypto.Stream;

namespace Recorder.Crypto;

/// <summary>Header facts without a key, for <c>recorder inspect</c> and audits.</summary>
public static class AgeInspector
{
    /// <summary>
    /// Reads the header of <paramref name="ciphertext"/> and measures the rest: by
    /// <paramref name="totalLengthBytes"/> when given, by the stream's length when it
    /// seeks, otherwise by reading to the end. Throws <see cref="AgeDecryptionException"/>
    /// (<see cref="AgeFailureKind.Header"/>) for a malformed header.
    /// </summary>
    public static async Task<AgeFileInfo> InspectAsync(System.IO.Stream ciphertext, long? totalLengthBytes = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var start = ciphertext.CanSeek ? ciphertext.Position : 0;
        var (header, leftover) = await HeaderReader.ReadAsync(ciphertext, ct).ConfigureAwait(false);
        long total;
        if (totalLengthBytes is { } given) total = given;
        else if (ciphertext.CanSeek) total = ciphertext.Length - start;
        else total = header.EncodedLength + leftover.Length + await CountRemainingAsync(ciphertext, ct).ConfigureAwait(false);

        var kms = header.Stanzas.Where(s => s.Type == KmsStanza.Type).ToArray();
        var chunksLength = total - header.EncodedLength - AgePayloadLayout.NonceSize;
        var valid = AgePayloadLayout.TryGetPlaintextLength(chunksLength, out var plaintext, out var chunks);
        return new AgeFileInfo
        {
            Version = header.Version,
            HeaderLengthBytes = header.EncodedLength,
            StanzaTypes = header.Stanzas.Select(s => s.Type).ToArray(),
            RecipientFingerprints = RecipientHints.Read(header.Stanzas),
            KmsKeyIds = kms.Select(s => s.Arguments.Count > 0 ? s.Arguments[0] : "(malformed)").ToArray(),
            KmsEncryptionContexts = kms.Select(s => s.Arguments.Count > 1 ? KmsStanza.DecodeForDisplay(s.Arguments[1]) : "(malformed)").ToArray(),
            CiphertextLengthBytes = total,
            PlaintextLengthBytes = valid ? plaintext : null,
            ChunkCount = valid ? chunks : null,
        };
    }

    private static async Task<long> CountRemainingAsync(System.IO.Stream stream, CancellationToken ct)
    {
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0) total += n;
        return total;
    }
}
