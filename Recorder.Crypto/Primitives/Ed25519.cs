using System.Security.Cryptography;
using Bc = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace Recorder.Crypto.Primitives;

/// <summary>
/// RFC 8032 Ed25519 (pure, no context) over BouncyCastle, span-based. The secret
/// is the 32-byte seed; OpenSSH stores it followed by the public key.
/// </summary>
internal static class Ed25519
{
    public const int SeedSize = 32;
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;

    public static void DerivePublicKey(ReadOnlySpan<byte> seed, Span<byte> publicKey)
    {
        if (seed.Length != SeedSize) throw new ArgumentException("an Ed25519 seed is 32 bytes", nameof(seed));
        if (publicKey.Length != PublicKeySize) throw new ArgumentException("an Ed25519 public key is 32 bytes", nameof(publicKey));
        Bc.GeneratePublicKey(seed, publicKey);
    }

    /// <summary>
    /// Signs with a seed and its public key. The caller guarantees that the key
    /// belongs to the seed: signing with a mismatched public key would leak the secret.
    /// </summary>
    public static void Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        if (seed.Length != SeedSize) throw new ArgumentException("an Ed25519 seed is 32 bytes", nameof(seed));
        if (publicKey.Length != PublicKeySize) throw new ArgumentException("an Ed25519 public key is 32 bytes", nameof(publicKey));
        if (signature.Length != SignatureSize) throw new ArgumentException("an Ed25519 signature is 64 bytes", nameof(signature));
        Bc.Sign(seed, publicKey, message, signature);
    }

    /// <summary>False for a wrong signature, a malformed one, or a public key that is not a curve point.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize) return false;
        return Bc.Verify(signature, publicKey, message);
    }

    /// <summary>True when <paramref name="publicKey"/> is the one <paramref name="seed"/> derives (constant time).</summary>
    public static bool IsPublicKeyOf(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey)
    {
        Span<byte> derived = stackalloc byte[PublicKeySize];
        DerivePublicKey(seed, derived);
        return CryptographicOperations.FixedTimeEquals(derived, publicKey);
    }
}
