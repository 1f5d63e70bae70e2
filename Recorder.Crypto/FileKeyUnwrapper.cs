using Recorder.Crypto.Format;
using Recorder.Crypto.Primitives;

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
        throw new AgeNoIdentityMatchException(reasons);
    }
}
