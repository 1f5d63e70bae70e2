using Recorder.Crypto.Format;

namespace Recorder.Crypto;

/// <summary>
/// Re-wrapping (<c>recorder grant</c>): a new header for the same file key over
/// the unchanged payload. The payload nonce and chunks stay byte for byte; only
/// the header changes, so the new file is the new header followed by the old
/// file from <see cref="AgeRewrapResult.PayloadOffset"/> on.
/// </summary>
public static class AgeRewrapper
{
    /// <summary>
    /// Reads the header of <paramref name="ciphertext"/>, unwraps the file key with
    /// <paramref name="identities"/> (checking the header MAC), and encodes a new header
    /// that keeps the existing recipient stanzas (unless <paramref name="keepExistingRecipients"/>
    /// is false) and adds <paramref name="newRecipients"/>, with an updated hint stanza (none
    /// when existing recipients are kept but the file had no hint stanza to extend).
    /// Leaves the stream just past the old header.
    /// </summary>
    public static async Task<AgeRewrapResult> RewrapHeaderAsync(
        System.IO.Stream ciphertext, IReadOnlyList<IIdentity> identities, IReadOnlyList<IRecipient> newRecipients,
        bool keepExistingRecipients = true, AgeEncryptOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(newRecipients);
        if (newRecipients.Count == 0) throw new ArgumentException("at least one new recipient", nameof(newRecipients));
        options ??= new AgeEncryptOptions();
        var (header, leftover) = await HeaderReader.ReadAsync(ciphertext, ct).ConfigureAwait(false);
        using var fileKey = await FileKeyUnwrapper.UnwrapAsync(header, identities, ct).ConfigureAwait(false);
        var kept = keepExistingRecipients ? header.Stanzas : [];
        // A hint stanza must list every recipient: without hints for the kept
        // stanzas (a file from another age tool), the new header gets none either.
        if (keepExistingRecipients && !header.Stanzas.Any(s => s.Type == Recipients.RecipientHints.Type))
            options = options with { IncludeRecipientHints = false };
        var newHeader = await AgeEncryptor.WriteHeaderAsync(fileKey, newRecipients, options, ct, kept).ConfigureAwait(false);
        return new AgeRewrapResult(newHeader, header.EncodedLength, leftover.ToArray());
    }
}
