using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Signing;

/// <summary>
/// The SSHSIG blob (PROTOCOL.sshsig §2) of an Ed25519 signature, and the data its
/// signature covers (§3): the namespace, reserved and hash algorithm fields again,
/// with the hash of the message in place of the message.
/// </summary>
internal sealed record SshSignatureBlob(SshEd25519PublicKey Signer, string Namespace, string HashAlgorithm, byte[] Signature)
{
    private const uint Version = 1;

    /// <summary>Keeps these signatures apart from anything an SSH key signs during a login.</summary>
    private static ReadOnlySpan<byte> Magic => "SSHSIG"u8;

    /// <summary>magic, version, public key, namespace, reserved (empty), hash algorithm, signature (string type, string bytes).</summary>
    public byte[] Encode()
    {
        var signature = new SshWireWriter().Text(SshEd25519PublicKey.KeyType).String(Signature).ToArray();
        return new SshWireWriter().Raw(Magic).UInt32(Version).String(Signer.Blob()).Text(Namespace).String([])
            .Text(HashAlgorithm).String(signature).ToArray();
    }

    /// <summary>What the Ed25519 signature covers: magic, namespace, reserved (empty), hash algorithm, H(message).</summary>
    public static byte[] SignedData(string @namespace, string hashAlgorithm, ReadOnlySpan<byte> messageHash) =>
        new SshWireWriter().Raw(Magic).Text(@namespace).String([]).Text(hashAlgorithm).String(messageHash).ToArray();

    /// <summary>
    /// Parses a blob. Null with a <see cref="SshSignatureCheck.Problem"/> sentence when
    /// it is malformed, of another version, or made with a key other than Ed25519.
    /// The reserved field is ignored, as the format asks.
    /// </summary>
    public static SshSignatureBlob? Decode(ReadOnlySpan<byte> blob, out string problem)
    {
        problem = "";
        try
        {
            var reader = new SshWireReader(blob);
            if (!reader.TrySkip(Magic)) throw new FormatException("the blob does not start with SSHSIG");
            var version = reader.ReadUInt32();
            if (version != Version)
            {
                problem = $"unsupported SSH signature version {version} (the recorder reads version {Version})";
                return null;
            }
            if (SshEd25519PublicKey.FromBlob(reader.ReadString(), "", out var keyType) is not { } signer)
            {
                problem = $"signed with an {UntrustedText.Printable(keyType)} key; the recorder verifies Ed25519 signatures only";
                return null;
            }
            var @namespace = reader.ReadText();
            reader.ReadString();
            var hashAlgorithm = reader.ReadText();
            var inner = new SshWireReader(reader.ReadString());
            if (!reader.IsAtEnd) throw new FormatException("data follows the signature");
            if (inner.ReadText() != SshEd25519PublicKey.KeyType) throw new FormatException("the signature is not an ssh-ed25519 signature");
            var signature = inner.ReadString();
            if (signature.Length != Ed25519.SignatureSize || !inner.IsAtEnd) throw new FormatException("the ssh-ed25519 signature is not 64 bytes");
            return new SshSignatureBlob(signer, @namespace, hashAlgorithm, signature.ToArray());
        }
        catch (FormatException e)
        {
            problem = SshSignature.NotASignature(e.Message);
            return null;
        }
    }
}
