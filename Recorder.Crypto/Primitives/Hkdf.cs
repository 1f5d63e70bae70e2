using System.Security.Cryptography;

namespace Recorder.Crypto.Primitives;

/// <summary>RFC 5869 HKDF with SHA-256, as age uses it (span-based, no allocation of key material).</summary>
internal static class Hkdf
{
    public static void DeriveKey(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        if (output.Length is 0 or > 255 * 32)
            throw new ArgumentException("HKDF-SHA256 output must be 1..8160 bytes", nameof(output));
        HKDF.DeriveKey(HashAlgorithmName.SHA256, inputKeyMaterial, output, salt, info);
    }
}
