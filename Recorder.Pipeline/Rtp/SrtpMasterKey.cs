using System.Security.Cryptography;

namespace Recorder.Pipeline.Rtp;

/// <summary>
/// An SRTP master key and salt for AES_CM_128_HMAC_SHA1_80 (16 + 14 bytes),
/// fresh from the system RNG for each forwarder. The bytes live only in this
/// object, are wiped on dispose, and never appear in <see cref="ToString"/>.
/// </summary>
public sealed class SrtpMasterKey : IDisposable
{
    public const int KeyBytes = 16;
    public const int SaltBytes = 14;
    private readonly byte[] _material = new byte[KeyBytes + SaltBytes];
    private bool _disposed;

    private SrtpMasterKey()
    {
    }

    public static SrtpMasterKey Generate()
    {
        var key = new SrtpMasterKey();
        RandomNumberGenerator.Fill(key._material);
        return key;
    }

    public static SrtpMasterKey FromBytes(ReadOnlySpan<byte> keyAndSalt)
    {
        if (keyAndSalt.Length != KeyBytes + SaltBytes)
            throw new ArgumentException($"an AES_CM_128 master key and salt are {KeyBytes + SaltBytes} bytes", nameof(keyAndSalt));
        var key = new SrtpMasterKey();
        keyAndSalt.CopyTo(key._material);
        return key;
    }

    public ReadOnlySpan<byte> Key => Material[..KeyBytes];
    public ReadOnlySpan<byte> Salt => Material[KeyBytes..];

    /// <summary>Key and salt in base64, as Janus's <c>srtp_crypto</c> and SDES <c>inline:</c> take them.</summary>
    public string ToBase64() => Convert.ToBase64String(Material);

    public override string ToString() => "SrtpMasterKey(AES_CM_128_HMAC_SHA1_80, redacted)";

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_material);
        _disposed = true;
    }

    private ReadOnlySpan<byte> Material => _disposed ? throw new ObjectDisposedException(nameof(SrtpMasterKey)) : _material;
}
