using System.Security.Cryptography;
using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Transparency;

/// <summary>
/// Signs notes with Ed25519 (signature type 0x01) under a key name. The key
/// itself normally lives elsewhere (an OpenSSH key in an agent or a KMS): the
/// signer is then a callback that returns the raw 64-byte RFC 8032 signature of
/// the bytes it is given. A seed-backed signer (its seed in pinned memory wiped
/// on <see cref="Dispose"/>) is for tests and for the spec's signer-key text
/// form, <c>PRIVATE+KEY+&lt;name&gt;+&lt;hex key ID&gt;+&lt;base64(0x01 || seed)&gt;</c>.
/// </summary>
public sealed class NoteSigner : IDisposable
{
    private const string SignerKeyPrefix = "PRIVATE+KEY+";
    private const int SeedSize = 32;

    private readonly Func<ReadOnlySpan<byte>, byte[]>? _sign;
    private readonly SecretBuffer? _seed;

    /// <summary>
    /// A signer for <paramref name="name"/> whose key is held elsewhere: <paramref name="sign"/>
    /// returns the raw Ed25519 signature of its argument by the private key of <paramref name="publicKey"/>.
    /// </summary>
    public NoteSigner(string name, ReadOnlySpan<byte> publicKey, Func<ReadOnlySpan<byte>, byte[]> sign)
    {
        ArgumentNullException.ThrowIfNull(sign);
        Verifier = new NoteVerifier(name, publicKey);
        _sign = sign;
    }

    /// <summary>A signer for <paramref name="name"/> from a 32-byte Ed25519 seed (RFC 8032 private key).</summary>
    public NoteSigner(string name, ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize) throw new ArgumentException("an Ed25519 seed is 32 bytes", nameof(seed));
        _seed = new SecretBuffer(seed);
        try
        {
            Span<byte> publicKey = stackalloc byte[NoteKeys.Ed25519PublicKeySize];
            Ed25519.DerivePublicKey(_seed.Span, publicKey);
            Verifier = new NoteVerifier(name, publicKey);
        }
        catch
        {
            _seed.Dispose();
            throw;
        }
    }

    /// <summary>The key name written in signature lines.</summary>
    public string Name => Verifier.Name;

    /// <summary>The key ID written before each signature.</summary>
    public uint KeyId => Verifier.KeyId;

    /// <summary>The matching verifier (give <see cref="NoteVerifier.VerifierKey"/> to auditors).</summary>
    public NoteVerifier Verifier { get; }

    /// <summary>A signer with a new random seed.</summary>
    public static NoteSigner Generate(string name)
    {
        Span<byte> seed = stackalloc byte[SeedSize];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return new NoteSigner(name, seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// Reads a signer key (<c>PRIVATE+KEY+name+keyid+base64(0x01 || seed)</c>). Throws
    /// <see cref="FormatException"/>; the message never repeats the key.
    /// </summary>
    public static NoteSigner Parse(string signerKey)
    {
        ArgumentNullException.ThrowIfNull(signerKey);
        const string What = "signer key";
        if (!signerKey.StartsWith(SignerKeyPrefix, StringComparison.Ordinal))
            throw NoteKeys.Malformed(What, "expected PRIVATE+KEY+<name>+<key ID>+<key>");
        var parts = signerKey[SignerKeyPrefix.Length..].Split('+', 3);
        if (parts.Length != 3) throw NoteKeys.Malformed(What, "expected PRIVATE+KEY+<name>+<key ID>+<key>");

        var (name, keyId, seed) = NoteKeys.ParseKeyParts(parts[0], parts[1], parts[2], What);
        try
        {
            var signer = new NoteSigner(name, seed);
            try
            {
                NoteKeys.CheckKeyId(keyId, signer.KeyId, What);
            }
            catch
            {
                signer.Dispose();
                throw;
            }
            return signer;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// The signer key text of a seed-backed signer. It holds the secret: write it only
    /// where the key is meant to be kept.
    /// </summary>
    public string ExportSignerKey()
    {
        if (_seed is null) throw new InvalidOperationException("this signer's key is held elsewhere (a signing callback); it has no signer key text");
        var key = new byte[1 + SeedSize];
        try
        {
            key[0] = NoteKeys.Ed25519Type;
            _seed.Span.CopyTo(key.AsSpan(1));
            return $"{SignerKeyPrefix}{Name}+{NoteKeys.FormatKeyId(KeyId)}+{Convert.ToBase64String(key)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// The raw Ed25519 signature of <paramref name="message"/>. A signature from the callback
    /// is checked against the public key, so a signing key that does not match it fails here
    /// (a <see cref="CryptographicException"/>) instead of in every auditor's hands.
    /// </summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        if (_seed is not null)
        {
            var own = new byte[NoteKeys.Ed25519SignatureSize];
            Ed25519.Sign(_seed.Span, Verifier.PublicKey, message, own);
            return own;
        }

        var signature = _sign!(message);
        if (signature is not { Length: NoteKeys.Ed25519SignatureSize })
            throw new CryptographicException($"the signing callback for {Name} returned {signature?.Length ?? 0} bytes, not a 64-byte Ed25519 signature");
        if (!Verifier.Verify(message, signature))
            throw new CryptographicException($"the signing callback's signature does not verify under the public key of {Name}+{NoteKeys.FormatKeyId(KeyId)}: the signing key and the public key do not match");
        return signature;
    }

    /// <summary>Wipes the seed of a seed-backed signer; a callback signer holds nothing to wipe.</summary>
    public void Dispose() => _seed?.Dispose();

    /// <summary>Shows the name and key ID only.</summary>
    public override string ToString() => $"NoteSigner({Name}+{NoteKeys.FormatKeyId(KeyId)})";
}
