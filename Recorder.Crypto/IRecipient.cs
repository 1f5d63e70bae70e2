using Recorder.Crypto.Format;
using Recorder.Crypto.Primitives;

namespace Recorder.Crypto;

/// <summary>
/// Someone a file key can be wrapped for. Implemented in this library only
/// (<see cref="Recipients.X25519Recipient"/>, <see cref="Recipients.KmsRecipient"/>);
/// create them with <see cref="AgeRecipients.Parse"/>.
/// </summary>
public interface IRecipient
{
    /// <summary>
    /// Stable text shown to auditors and listed in the recipient-hint stanza:
    /// <c>x25519:&lt;32 hex digits&gt;</c> or <c>kms:&lt;key id&gt;</c>. Never secret.
    /// </summary>
    string Fingerprint { get; }

    /// <summary>Wraps the 16-byte file key into one stanza.</summary>
    internal ValueTask<AgeStanza> WrapAsync(SecretBuffer fileKey, AgeEncryptOptions options, CancellationToken cancellationToken);
}
