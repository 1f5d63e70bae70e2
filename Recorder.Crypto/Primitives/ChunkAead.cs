using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using BcChaCha20Poly1305 = Org.BouncyCastle.Crypto.Modes.ChaCha20Poly1305;

namespace Recorder.Crypto.Primitives;

/// <summary>
/// ChaCha20-Poly1305 (RFC 8439) with age's layout: ciphertext followed by the
/// 16-byte tag. .NET's implementation where the platform supports it,
/// BouncyCastle's otherwise. One instance per thread.
/// </summary>
internal sealed class ChunkAead : IDisposable
{
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    private readonly ChaCha20Poly1305? _native;
    private readonly SecretBuffer? _bcKey;
    private readonly BcChaCha20Poly1305? _bc;

    public ChunkAead(ReadOnlySpan<byte> key, bool forceBouncyCastle = false)
    {
        if (key.Length != KeySize) throw new ArgumentException("a ChaCha20-Poly1305 key is 32 bytes", nameof(key));
        if (ChaCha20Poly1305.IsSupported && !forceBouncyCastle)
        {
            _native = new ChaCha20Poly1305(key);
        }
        else
        {
            _bcKey = new SecretBuffer(key);
            _bc = new BcChaCha20Poly1305();
        }
    }

    public static bool NativeIsSupported => ChaCha20Poly1305.IsSupported;

    /// <summary>Seals <paramref name="plaintext"/> into <paramref name="output"/> (plaintext length + 16).</summary>
    public void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        if (output.Length != plaintext.Length + TagSize)
            throw new ArgumentException("output must be the plaintext length plus the tag", nameof(output));
        if (_native is not null)
        {
            _native.Encrypt(nonce, plaintext, output[..plaintext.Length], output[plaintext.Length..]);
            return;
        }
        _bc!.Init(true, new ParametersWithIV(new KeyParameter(_bcKey!.Span), nonce));
        var n = _bc.ProcessBytes(plaintext, output);
        _bc.DoFinal(output[n..]);
    }

    /// <summary>Opens <paramref name="input"/> (ciphertext + tag) into <paramref name="plaintext"/>; false when it does not authenticate.</summary>
    public bool TryOpen(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> input, Span<byte> plaintext)
    {
        if (input.Length < TagSize) return false;
        var length = input.Length - TagSize;
        if (plaintext.Length != length)
            throw new ArgumentException("plaintext must be the input length minus the tag", nameof(plaintext));
        if (_native is not null)
        {
            try
            {
                _native.Decrypt(nonce, input[..length], input[length..], plaintext);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }
        try
        {
            _bc!.Init(false, new ParametersWithIV(new KeyParameter(_bcKey!.Span), nonce));
            var scratch = new byte[length];
            var n = _bc.ProcessBytes(input, scratch);
            _bc.DoFinal(scratch.AsSpan(n));
            scratch.CopyTo(plaintext);
            CryptographicOperations.ZeroMemory(scratch);
            return true;
        }
        catch (Org.BouncyCastle.Crypto.InvalidCipherTextException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _native?.Dispose();
        _bcKey?.Dispose();
    }
}
