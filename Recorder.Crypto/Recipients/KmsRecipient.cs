using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Recorder.Crypto.Format;
using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Recipients;

/// <summary>
/// An AWS KMS key: the file key is wrapped with KMS <c>Encrypt</c> under the
/// encryption context of <see cref="AgeEncryptOptions.KmsEncryptionContext"/>.
/// Encrypting needs <c>kms:Encrypt</c> only; the recorder never calls Decrypt.
/// </summary>
public sealed class KmsRecipient : IRecipient
{
    internal const string Prefix = "kms:";

    private readonly KmsRecipientOptions _options;

    public KmsRecipient(string keyId, KmsRecipientOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(options);
        if (!AgeStanza.IsValidArgument(keyId)) throw new ArgumentException("a KMS key id has no spaces or control characters", nameof(keyId));
        KeyId = keyId;
        _options = options;
    }

    /// <summary>The key ARN, key id or alias as given.</summary>
    public string KeyId { get; }

    public string Fingerprint => Prefix + KeyId;

    async ValueTask<AgeStanza> IRecipient.WrapAsync(SecretBuffer fileKey, AgeEncryptOptions options, CancellationToken cancellationToken)
    {
        var context = options.KmsEncryptionContext is { Count: > 0 } c
            ? c
            : throw new ArgumentException("a KMS recipient needs AgeEncryptOptions.KmsEncryptionContext (recording id, segment, host id)", nameof(options));
        var plaintext = fileKey.Span.ToArray();
        try
        {
            var response = await _options.Client.EncryptAsync(new EncryptRequest
            {
                KeyId = KeyId,
                Plaintext = new MemoryStream(plaintext, writable: false),
                EncryptionContext = context.ToDictionary(),
                EncryptionAlgorithm = EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT,
            }, cancellationToken).ConfigureAwait(false);
            // The stanza names the key KMS used (an ARN even when an alias was given).
            var keyArn = string.IsNullOrEmpty(response.KeyId) ? KeyId : response.KeyId;
            return KmsStanza.Create(keyArn, context, response.CiphertextBlob.ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    public override string ToString() => Fingerprint;
}
