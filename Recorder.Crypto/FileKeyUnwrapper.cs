using Recorder.Crypto.Format;
using Recorder.Crypto.Primitives;
using Recorder.Crypto.Recipients;

namespace Recorder.Crypto;

/// <summary>
/// Tries the identities in order, as age does: a stanza for another key moves on
/// to the next identity; a malformed stanza is fatal. Then checks the header MAC.
/// </summary>
internal static class FileKeyUnwrapper
{
    public static async Task<SecretBuffer> UnwrapAsync(AgeHeader header, IReadOnlyList<IIdentity> identities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identities);
        if (identities.Count == 0) throw new ArgumentException("at least one identity", nameof(identities));
        var reasons = new List<string>();
        foreach (var identity in identities)
        {
            ArgumentNullException.ThrowIfNull(identity, nameof(identities));
            var result = await identity.UnwrapAsync(header.Stanzas, cancellationToken).ConfigureAwait(false);
            if (result.FileKey is { } fileKey)
            {
                if (HeaderMac.Verify(fileKey.Span, header)) return fileKey;
                fileKey.Dispose();
                throw new AgeDecryptionException(AgeFailureKind.HeaderMac,
                    "header MAC mismatch: the header was changed after it was written (corrupted or tampered with)");
            }
            if (result.Reason is { } reason) reasons.Add(reason);
        }
        throw new AgeNoIdentityMatchException(reasons)
        {
            FileRecipients = Recipients(header.Stanzas),
            IdentityFingerprints = identities.OfType<X25519Identity>().Select(i => i.Recipient.Fingerprint).Distinct(StringComparer.Ordinal).ToArray(),
        };
    }

    /// <summary>The hint stanza's fingerprints and the KMS key ids; the bare stanza types when there is no hint.</summary>
    private static string[] Recipients(IReadOnlyList<AgeStanza> stanzas)
    {
        var kms = stanzas.Where(s => s.Type == KmsStanza.Type).Select(s => s.Arguments.Count > 0 ? $"kms:{s.Arguments[0]}" : "kms:(malformed)");
        var hints = RecipientHints.Read(stanzas);
        var others = hints.Count > 0
            ? hints
            : stanzas.Where(s => s.Type is not (KmsStanza.Type or RecipientHints.Type)).Select(s => $"{s.Type} (no fingerprint in the header)");
        return [.. others, .. kms];
    }
}
