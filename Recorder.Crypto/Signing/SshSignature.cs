using System.Security.Cryptography;

namespace Recorder.Crypto.Signing;

/// <summary>
/// Detached SSH signatures (OpenSSH PROTOCOL.sshsig) with Ed25519 keys, the ones
/// <c>ssh-keygen -Y sign</c> writes and <c>ssh-keygen -Y verify</c> checks. The
/// namespace (e.g. <c>recorder-manifest</c>) binds a signature to one use, so a
/// signature made for something else is never accepted here.
/// </summary>
public static class SshSignature
{
    /// <summary>ssh-keygen's default; verifying also accepts sha256.</summary>
    private const string SignHashAlgorithm = "sha512";

    private const string Mismatch =
        "the signature does not match the content: the content was changed after signing, or it was signed by another key";

    /// <summary>
    /// Signs <paramref name="message"/> and returns the armored signature, byte for
    /// byte what <c>ssh-keygen -Y sign -n NAMESPACE</c> writes with the same key
    /// (Ed25519 signatures are deterministic).
    /// </summary>
    public static string Sign(SshEd25519PrivateKey key, string @namespace, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        var signedData = SshSignatureBlob.SignedData(@namespace, SignHashAlgorithm, SHA512.HashData(message));
        var blob = new SshSignatureBlob(key.PublicKey, @namespace, SignHashAlgorithm, key.SignRaw(signedData));
        return SshSignatureArmor.Encode(blob.Encode());
    }

    /// <summary>
    /// Checks an armored signature of <paramref name="message"/> made for
    /// <paramref name="namespace"/>. Never throws for a bad signature: the result says
    /// what is wrong, and who signed whenever that can be read. It does not decide
    /// whether the signer is trusted; compare <see cref="SshSignatureCheck.Signer"/>
    /// with the keys you trust.
    /// </summary>
    public static SshSignatureCheck Verify(string armored, string @namespace, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(armored);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        if (SshSignatureArmor.Decode(armored, out var problem) is not { } bytes) return Invalid(null, NotASignature(problem));
        if (SshSignatureBlob.Decode(bytes, out problem) is not { } blob) return Invalid(null, problem);

        if (blob.Namespace != @namespace)
            return Invalid(blob.Signer, $"signed for namespace '{UntrustedText.Printable(blob.Namespace)}', expected '{@namespace}'");
        byte[]? hash = blob.HashAlgorithm switch
        {
            "sha512" => SHA512.HashData(message),
            "sha256" => SHA256.HashData(message),
            _ => null,
        };
        if (hash is null)
            return Invalid(blob.Signer, $"unsupported hash algorithm '{UntrustedText.Printable(blob.HashAlgorithm)}' (sha512 or sha256)");

        var signedData = SshSignatureBlob.SignedData(@namespace, blob.HashAlgorithm, hash);
        return blob.Signer.VerifyRaw(signedData, blob.Signature)
            ? new SshSignatureCheck(true, blob.Signer, null)
            : Invalid(blob.Signer, Mismatch);
    }

    internal static string NotASignature(string what) => $"not an SSH signature: {what}";

    private static SshSignatureCheck Invalid(SshEd25519PublicKey? signer, string problem) => new(false, signer, problem);
}
