using System.Security.Cryptography;
using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Format;

/// <summary>HMAC-SHA256 over the header under HKDF(file key, "", "header").</summary>
internal static class HeaderMac
{
    public static void Compute(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> macInput, Span<byte> mac)
    {
        Span<byte> key = stackalloc byte[32];
        try
        {
            Hkdf.DeriveKey(fileKey, [], "header"u8, key);
            HMACSHA256.HashData(key, macInput, mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public static bool Verify(ReadOnlySpan<byte> fileKey, AgeHeader header)
    {
        Span<byte> expected = stackalloc byte[AgeHeader.MacSize];
        Compute(fileKey, header.MacInput, expected);
        return CryptographicOperations.FixedTimeEquals(expected, header.Mac);
    }

    /// <summary>Encodes the stanzas and closes the header with its MAC.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> fileKey, IEnumerable<AgeStanza> stanzas)
    {
        var macInput = AgeHeader.EncodeWithoutMac(stanzas);
        Span<byte> mac = stackalloc byte[AgeHeader.MacSize];
        Compute(fileKey, macInput, mac);
        return AgeHeader.Encode(macInput, mac);
    }
}
