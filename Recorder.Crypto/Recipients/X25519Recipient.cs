using System.Security.Cryptography;
using Recorder.Crypto.Format;
using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Recipients;

/// <summary>An age X25519 public key, <c>age1…</c>.</summary>
public sealed class X25519Recipient : IRecipient, IEquatable<X25519Recipient>
{
    internal const string StanzaType = "X25519";
    internal const string Hrp = "age";
    internal static ReadOnlySpan<byte> WrapLabel => "age-encryption.org/v1/X25519"u8;

    private readonly byte[] _publicKey;

    internal X25519Recipient(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != X25519.PointSize) throw new ArgumentException("an X25519 public key is 32 bytes", nameof(publicKey));
        _publicKey = publicKey.ToArray();
    }

    internal ReadOnlySpan<byte> PublicKey => _publicKey;

    public string Fingerprint => "x25519:" + Convert.ToHexStringLower(SHA256.HashData(_publicKey).AsSpan(0, 16));

    public static X25519Recipient Parse(string text) =>
        TryParse(text, out var recipient) ? recipient : throw new FormatException("not a valid age X25519 recipient (age1…)");

    public static bool TryParse(string? text, out X25519Recipient recipient)
    {
        recipient = null!;
        if (text is null || !Bech32.TryDecode(text, out var hrp, out var data)) return false;
        if (hrp != Hrp || data.Length != X25519.PointSize) return false;
        recipient = new X25519Recipient(data);
        return true;
    }

    ValueTask<AgeStanza> IRecipient.WrapAsync(SecretBuffer fileKey, AgeEncryptOptions options, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Wrap(fileKey.Span));

    private AgeStanza Wrap(ReadOnlySpan<byte> fileKey)
    {
        using var ephemeral = SecretBuffer.Random(X25519.ScalarSize);
        Span<byte> share = stackalloc byte[X25519.PointSize];
        X25519.ScalarMultBase(ephemeral.Span, share);
        using var shared = new SecretBuffer(X25519.PointSize);
        if (!X25519.TryScalarMult(ephemeral.Span, _publicKey, shared.Span))
            throw new CryptographicException("the recipient's public key is a low-order point");
        var body = WrapKey(shared.Span, share, _publicKey, fileKey);
        return new AgeStanza(StanzaType, [CanonicalBase64.Encode(share)], body);
    }

    /// <summary>wrap key = HKDF(shared, salt = share || recipient, "age-encryption.org/v1/X25519"); body = AEAD(wrap key, zero nonce, file key).</summary>
    private static byte[] WrapKey(ReadOnlySpan<byte> shared, ReadOnlySpan<byte> share, ReadOnlySpan<byte> recipient, ReadOnlySpan<byte> fileKey)
    {
        using var wrapKey = DeriveWrapKey(shared, share, recipient);
        using var aead = new ChunkAead(wrapKey.Span);
        var body = new byte[fileKey.Length + ChunkAead.TagSize];
        aead.Seal(stackalloc byte[ChunkAead.NonceSize], fileKey, body);
        return body;
    }

    internal static SecretBuffer DeriveWrapKey(ReadOnlySpan<byte> shared, ReadOnlySpan<byte> share, ReadOnlySpan<byte> recipient)
    {
        Span<byte> salt = stackalloc byte[2 * X25519.PointSize];
        share.CopyTo(salt);
        recipient.CopyTo(salt[X25519.PointSize..]);
        var key = new SecretBuffer(ChunkAead.KeySize);
        Hkdf.DeriveKey(shared, salt, WrapLabel, key.Span);
        return key;
    }

    public bool Equals(X25519Recipient? other) => other is not null && _publicKey.AsSpan().SequenceEqual(other._publicKey);

    public override bool Equals(object? obj) => Equals(obj as X25519Recipient);

    public override int GetHashCode() => BitConverter.ToInt32(_publicKey, 0);

    /// <summary>The public key in age's form, <c>age1…</c>.</summary>
    public override string ToString() => Bech32.Encode(Hrp, _publicKey, upperCase: false);
}
