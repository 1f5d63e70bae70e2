using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Transparency;

/// <summary>
/// A public key that verifies Ed25519 signatures (type 0x01) of signed notes,
/// with its name and key ID. Its text form is the spec's verifier key,
/// <c>&lt;name&gt;+&lt;hex key ID&gt;+&lt;base64(0x01 || public key)&gt;</c>, as
/// golang.org/x/mod/sumdb/note and the transparency-dev tools read and write it.
/// </summary>
public sealed class NoteVerifier
{
    private readonly byte[] _publicKey;

    /// <summary>The verifier of <paramref name="name"/>'s 32-byte Ed25519 public key.</summary>
    public NoteVerifier(string name, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!NoteKeys.IsValidName(name))
            throw new ArgumentException("a key name must be non-empty, without spaces, plus signs or control characters", nameof(name));
        if (publicKey.Length != NoteKeys.Ed25519PublicKeySize)
            throw new ArgumentException("an Ed25519 public key is 32 bytes", nameof(publicKey));
        Name = name;
        _publicKey = publicKey.ToArray();
        KeyId = NoteKeys.KeyId(name, NoteKeys.Ed25519Type, publicKey);
    }

    /// <summary>The key name, as it appears in signature lines.</summary>
    public string Name { get; }

    /// <summary>SHA-256(name || 0x0A || 0x01 || public key)[:4], big-endian.</summary>
    public uint KeyId { get; }

    /// <summary>The 32-byte Ed25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The verifier key text: <c>name+keyid+base64(0x01 || public key)</c>.</summary>
    public string VerifierKey =>
        $"{Name}+{NoteKeys.FormatKeyId(KeyId)}+{Convert.ToBase64String([NoteKeys.Ed25519Type, .. _publicKey])}";

    /// <summary>
    /// Reads a verifier key. Throws <see cref="FormatException"/> saying what is wrong: the
    /// shape, the name, the key ID (which must be the one the name and key give), the key.
    /// </summary>
    public static NoteVerifier Parse(string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(verifierKey);
        const string What = "verifier key";
        var parts = verifierKey.Split('+', 3);
        if (parts.Length != 3) throw NoteKeys.Malformed(What, "expected <name>+<key ID>+<key>");
        var (name, keyId, publicKey) = NoteKeys.ParseKeyParts(parts[0], parts[1], parts[2], What);
        var verifier = new NoteVerifier(name, publicKey);
        NoteKeys.CheckKeyId(keyId, verifier.KeyId, What);
        return verifier;
    }

    /// <summary>Whether <paramref name="signature"/> is this key's Ed25519 signature of <paramref name="message"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == NoteKeys.Ed25519SignatureSize && Ed25519.Verify(_publicKey, message, signature);

    /// <summary>The verifier key text.</summary>
    public override string ToString() => VerifierKey;
}
