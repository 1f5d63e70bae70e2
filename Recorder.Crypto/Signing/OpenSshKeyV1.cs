using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Signing;

/// <summary>
/// The binary <c>openssh-key-v1</c> format (OpenSSH PROTOCOL.key): a clear
/// header with the public key, then the private section, which is encrypted when
/// the key has a passphrase. Reads one unencrypted Ed25519 key, as
/// <c>ssh-keygen -t ed25519 -N ''</c> writes it.
/// </summary>
internal static class OpenSshKeyV1
{
    private static ReadOnlySpan<byte> Magic => "openssh-key-v1\0"u8;

    /// <summary>The cipher "none" pads the private section to 8 bytes.</summary>
    private const int BlockSize = 8;

    public static (SecretBuffer Seed, SshEd25519PublicKey PublicKey) Read(ReadOnlySpan<byte> data, string subject, string file)
    {
        try
        {
            var reader = new SshWireReader(data);
            if (!reader.TrySkip(Magic)) throw new FormatException("it does not start with openssh-key-v1");
            var cipher = reader.ReadText();
            var kdf = reader.ReadText();
            reader.ReadString(); // KDF options: salt and rounds, for an encrypted key
            var count = reader.ReadUInt32();
            if (count != 1) throw new FormatException($"it holds {count} keys, where ssh-keygen writes one");
            // The public key is in the clear, so the type is known even for an encrypted key.
            var publicKey = SshEd25519PublicKey.FromBlob(reader.ReadString(), "", out var keyType)
                            ?? throw SshKeyException.UnsupportedType(subject, keyType);
            if (cipher != "none" || kdf != "none") throw SshKeyException.PassphraseProtected(subject, file);
            var section = reader.ReadString();
            if (!reader.IsAtEnd) throw new FormatException("data follows the private section");
            return ReadPrivateSection(section, publicKey);
        }
        catch (FormatException e) when (e is not SshKeyException)
        {
            throw SshKeyException.Damaged(subject, e.Message);
        }
    }

    /// <summary>checkint, checkint, then the key as ssh-agent encodes it (type, public key, seed || public key), comment, padding 1, 2, 3, ….</summary>
    private static (SecretBuffer Seed, SshEd25519PublicKey PublicKey) ReadPrivateSection(ReadOnlySpan<byte> section, SshEd25519PublicKey publicKey)
    {
        if (section.Length % BlockSize != 0) throw new FormatException("the private section is not padded to whole blocks");
        var reader = new SshWireReader(section);
        // Equal check numbers prove a correct decryption; unencrypted, they catch corruption.
        if (reader.ReadUInt32() != reader.ReadUInt32()) throw new FormatException("its two check numbers differ");
        if (reader.ReadText() != SshEd25519PublicKey.KeyType) throw new FormatException("the private key's type is not the public key's");
        var key = reader.ReadString();
        var secret = reader.ReadString();
        var comment = reader.ReadText();
        for (var i = 0; i < reader.Rest.Length; i++)
            if (reader.Rest[i] != i + 1) throw new FormatException("the padding after the key is wrong");

        if (!key.SequenceEqual(publicKey.Key.Span) || secret.Length != Ed25519.SeedSize + Ed25519.PublicKeySize ||
            !secret[Ed25519.SeedSize..].SequenceEqual(key))
        {
            throw new FormatException("the private key does not belong to the public key in the header");
        }
        var seed = new SecretBuffer(secret[..Ed25519.SeedSize]);
        if (!Ed25519.IsPublicKeyOf(seed.Span, key))
        {
            seed.Dispose();
            throw new FormatException("the secret does not give the public key in the file");
        }
        return (seed, SshEd25519PublicKey.FromRaw(key, comment.ReplaceLineEndings(" ")));
    }
}
