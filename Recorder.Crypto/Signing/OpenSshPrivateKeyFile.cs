using System.Security.Cryptography;
using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Signing;

/// <summary>
/// The text of a private key file: the <c>-----BEGIN OPENSSH PRIVATE KEY-----</c>
/// armor around base64, and the other files people give by mistake (PEM and
/// PKCS#8 keys, public keys), each named in the error.
/// </summary>
internal static class OpenSshPrivateKeyFile
{
    private const string Begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private const string End = "-----END OPENSSH PRIVATE KEY-----";

    /// <summary>PEM headers of keys ssh-keygen writes with <c>-m PEM</c>, and the key type each holds.</summary>
    private static readonly (string Header, string KeyType)[] PemKeys =
    [
        ("-----BEGIN RSA PRIVATE KEY-----", "ssh-rsa"),
        ("-----BEGIN EC PRIVATE KEY-----", "ecdsa"),
        ("-----BEGIN DSA PRIVATE KEY-----", "ssh-dss"),
    ];

    /// <param name="subject">The path of the file, or "the key", to start messages with.</param>
    /// <param name="file">The path for a command line in a hint, or FILE.</param>
    /// <returns>The seed (the caller disposes it) and the public key with the file's comment.</returns>
    public static (SecretBuffer Seed, SshEd25519PublicKey PublicKey) Read(ReadOnlySpan<char> text, string subject, string file)
    {
        var base64 = Unarmor(text, subject);
        // The decoded bytes hold the secret: pinned, and wiped whatever happens.
        var bytes = GC.AllocateUninitializedArray<byte>(base64.Length / 4 * 3 + 3, pinned: true);
        try
        {
            if (!Convert.TryFromBase64Chars(base64, bytes, out var length))
                throw SshKeyException.Damaged(subject, "the base64 between the armor lines is damaged");
            return OpenSshKeyV1.Read(bytes.AsSpan(0, length), subject, file);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static ReadOnlySpan<char> Unarmor(ReadOnlySpan<char> text, string subject)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith(Begin, StringComparison.Ordinal))
        {
            var end = trimmed.IndexOf(End, StringComparison.Ordinal);
            if (end < 0) throw SshKeyException.Damaged(subject, $"the {End} line is missing (truncated?)");
            return trimmed[Begin.Length..end];
        }
        foreach (var (header, keyType) in PemKeys)
            if (trimmed.StartsWith(header, StringComparison.Ordinal)) throw SshKeyException.UnsupportedType(subject, keyType);
        if (trimmed.StartsWith("-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal) ||
            trimmed.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new SshKeyException(SshKeyProblem.NotAKey,
                $"{subject} is a PKCS#8 key (openssl); the recorder reads OpenSSH private keys ({Begin}, from ssh-keygen -t ed25519)");
        }
        var firstWord = trimmed[..Math.Max(0, trimmed.IndexOfAny(' ', '\t'))].ToString();
        if (SshEd25519PublicKey.LooksLikeKeyType(firstWord))
        {
            throw new SshKeyException(SshKeyProblem.NotAKey,
                $"{subject} is a public key ({UntrustedText.Printable(firstWord)} …); the recorder needs the private key (the file without .pub)");
        }
        throw new SshKeyException(SshKeyProblem.NotAKey, $"{subject} is not an OpenSSH private key ({Begin})");
    }
}
