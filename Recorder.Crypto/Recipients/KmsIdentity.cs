using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Recorder.Crypto.Format;
using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Recipients;

/// <summary>
/// Unwraps <c>recorder-aws-kms</c> stanzas with KMS <c>Decrypt</c> and the
/// caller's own credentials. A refusal or a failed decryption is "not my key"
/// with a reason (see <see cref="AgeNoIdentityMatchException.Reasons"/>).
/// </summary>
public sealed class KmsIdentity(IAmazonKeyManagementService client) : IIdentity
{
    async ValueTask<UnwrapResult> IIdentity.UnwrapAsync(IReadOnlyList<AgeStanza> stanzas, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != KmsStanza.Type) continue;
            var (keyId, context) = KmsStanza.Read(stanza);
            DecryptResponse response;
            try
            {
                response = await client.DecryptAsync(new DecryptRequest
                {
                    KeyId = keyId,
                    CiphertextBlob = new MemoryStream(stanza.Body.ToArray(), writable: false),
                    EncryptionContext = context,
                    EncryptionAlgorithm = EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonKeyManagementServiceException e) when (e.ErrorCode is
                "AccessDeniedException" or "InvalidCiphertextException" or "IncorrectKeyException" or
                "NotFoundException" or "DisabledException" or "KMSInvalidStateException")
            {
                reasons.Add($"kms key {keyId}: {e.ErrorCode}");
                continue;
            }
            return new UnwrapResult(TakePlaintext(response.Plaintext), null);
        }
        return reasons.Count == 0 ? UnwrapResult.NotMine : new UnwrapResult(null, string.Join("; ", reasons));
    }

    private static SecretBuffer TakePlaintext(MemoryStream plaintext)
    {
        var bytes = plaintext.ToArray();
        try
        {
            if (plaintext.TryGetBuffer(out var segment)) CryptographicOperations.ZeroMemory(segment);
            if (bytes.Length != FileKey.Size) throw AgeDecryptionException.Header("recorder-aws-kms stanza does not wrap a 16-byte file key");
            return new SecretBuffer(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public override string ToString() => "KmsIdentity";
}
