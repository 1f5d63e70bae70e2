using System.Security.Cryptography;
using Recorder.Crypto.Format;
using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Recipients;

/// <summary>
/// An age X25519 secret key (<c>AGE-SECRET-KEY-1…</c>). The secret lives in
/// pinned memory wiped on <see cref="Dispose"/>; it is never exposed as an array
/// and appears only in identity files written by <see cref="Keys.AgeKeyFile"/>.
/// </summary>
public sealed class X25519Identity : IIdentity, IDisposable
{
    internal const string Hrp = "AGE-SECRET-KEY-";

    private readonly SecretBuffer _secret;

    private X25519Identity(SecretBuffer secret)
    {
        _secret = secret;
        Span<byte> publicKey = stackalloc byte[X25519.PointSize];
        X25519.ScalarMultBase(secret.Span, publicKey);
        Recipient = new X25519Recipient(publicKey);
    }

    /// <summary>The matching public key.</summary>
    public X25519Recipient Recipient { get; }

    public static X25519Identity Generate() => new(SecretBuffer.Random(X25519.ScalarSize));

    /// <summary>Parses <c>AGE-SECRET-KEY-1…</c>; the message of a failure never repeats the text.</summary>
    public static X25519Identity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Bech32.TryDecode(text, out var hrp, out var data) || hrp != Hrp || data.Length != X25519.ScalarSize)
        {
            throw new FormatException("not a valid age X25519 identity (AGE-SECRET-KEY-1…)");
        }
        try
        {
            return new X25519Identity(new SecretBuffer(data));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }

    /// <summary>The secret in age's encoding, for <see cref="Keys.AgeKeyFile"/> only.</summary>
    internal string EncodeSecret() => Bech32.Encode(Hrp, _secret.Span, upperCase: true);

    ValueTask<UnwrapResult> IIdentity.UnwrapAsync(IReadOnlyList<AgeStanza> stanzas, CancellationToken cancellationToken)
    {
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != X25519Recipient.StanzaType) continue;
            if (TryUnwrap(stanza) is { } fileKey) return ValueTask.FromResult(new UnwrapResult(fileKey, null));
        }
        return ValueTask.FromResult(UnwrapResult.NotMine);
    }

    private SecretBuffer? TryUnwrap(AgeStanza stanza)
    {
        // A malformed X25519 stanza is a corrupt file, not someone else's key.
        if (stanza.Arguments.Count != 1) throw AgeDecryptionException.Header("X25519 stanza must have exactly one argument");
        if (!CanonicalBase64.TryDecode(stanza.Arguments[0], out var share) || share.Length != X25519.PointSize)
            throw AgeDecryptionException.Header("X25519 stanza share is not 32 bytes of canonical base64");
        if (stanza.Body.Length != FileKey.Size + ChunkAead.TagSize)
            throw AgeDecryptionException.Header("X25519 stanza body is not a wrapped 16-byte file key");

        using var shared = new SecretBuffer(X25519.PointSize);
        if (!X25519.TryScalarMult(_secret.Span, share, shared.Span))
            throw AgeDecryptionException.Header("X25519 stanza share is a low-order point (all-zero shared secret)");

        using var wrapKey = X25519Recipient.DeriveWrapKey(shared.Span, share, Recipient.PublicKey);
        using var aead = new ChunkAead(wrapKey.Span);
        var fileKey = new SecretBuffer(FileKey.Size);
        if (aead.TryOpen(stackalloc byte[ChunkAead.NonceSize], stanza.Body.Span, fileKey.Span)) return fileKey;
        fileKey.Dispose();
        return null;
    }

    public void Dispose() => _secret.Dispose();

    /// <summary>Shows the public key only.</summary>
    public override string ToString() => $"X25519Identity({Recipient})";
}
