using System.Security.Cryptography;

namespace Recorder.Pipeline.Rtp;

/// <summary>
/// The session keys SRTP derives from a master key (RFC 3711 §4.3.1, key
/// derivation rate 0): AES-CM of the master salt with the label XORed in at
/// byte 7. Labels 0–2 are SRTP's (3–5 would be SRTCP's, which is not used).
/// </summary>
internal sealed class SrtpSessionKeys : IDisposable
{
    public const int AuthKeyBytes = 20;

    private SrtpSessionKeys(byte[] encryption, byte[] authentication, byte[] salt)
    {
        Encryption = encryption;
        Authentication = authentication;
        Salt = salt;
    }

    public byte[] Encryption { get; }
    public byte[] Authentication { get; }
    public byte[] Salt { get; }

    public static SrtpSessionKeys DeriveForRtp(SrtpMasterKey master) => Derive(master, 0);

    private static SrtpSessionKeys Derive(SrtpMasterKey master, byte firstLabel)
    {
        using var prf = new AesCounterMode(master.Key);
        return new SrtpSessionKeys(
            Run(prf, master.Salt, firstLabel, SrtpMasterKey.KeyBytes),
            Run(prf, master.Salt, (byte)(firstLabel + 1), AuthKeyBytes),
            Run(prf, master.Salt, (byte)(firstLabel + 2), SrtpMasterKey.SaltBytes));
    }

    private static byte[] Run(AesCounterMode prf, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        Span<byte> iv = stackalloc byte[16];
        masterSalt.CopyTo(iv);
        iv[7] ^= label; // key_id = label || r with r = 0 (no key derivation rate), right-aligned under the salt
        var output = new byte[length];
        prf.Keystream(iv, output);
        return output;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(Encryption);
        CryptographicOperations.ZeroMemory(Authentication);
        CryptographicOperations.ZeroMemory(Salt);
    }
}
