using System.Buffers.Binary;
using System.Security.Cryptography;
using Recorder.Crypto.Format;
using Recorder.Crypto.Primitives;

namespace Recorder.Crypto.Signing;

/// <summary>
/// An OpenSSH Ed25519 public key: the 32 key bytes and the comment of its
/// <c>.pub</c> line. Two keys are equal when their key bytes are, whatever their
/// comments (the comment is a label, not part of the key).
/// </summary>
public sealed record SshEd25519PublicKey
{
    internal const string KeyType = "ssh-ed25519";

    private readonly byte[] _key;

    private SshEd25519PublicKey(ReadOnlySpan<byte> key, string comment)
    {
        _key = key.ToArray();
        Comment = comment;
    }

    /// <summary>The 32-byte Ed25519 public key (RFC 8032 encoding).</summary>
    public ReadOnlyMemory<byte> Key => _key;

    /// <summary>The comment of the key line (often user@host); empty when there is none.</summary>
    public string Comment { get; }

    /// <summary><c>SHA256:</c> and the unpadded base64 of the SHA-256 of the key blob, as <c>ssh-keygen -l</c> prints it.</summary>
    public string Fingerprint => "SHA256:" + CanonicalBase64.Encode(SHA256.HashData(Blob()));

    /// <summary>Parses a <c>.pub</c> or <c>authorized_keys</c> line without options: <c>ssh-ed25519 AAAAC3Nz… comment</c>.</summary>
    /// <exception cref="SshKeyException">Not such a line, or a key of another type.</exception>
    public static SshEd25519PublicKey Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Trim().Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0) throw NotAKey("the line is empty");
        if (fields[0] != KeyType)
        {
            if (LooksLikeKeyType(fields[0])) throw SshKeyException.UnsupportedType("the key", fields[0]);
            if (line.Contains($" {KeyType} ", StringComparison.Ordinal))
                throw NotAKey("options or names before ssh-ed25519 are not supported; give the key alone (ssh-ed25519 AAAA… comment)");
            throw NotAKey("expected ssh-ed25519 AAAA… comment");
        }
        if (fields.Length < 2) throw NotAKey("the base64 key after ssh-ed25519 is missing");

        var blob = new byte[fields[1].Length];
        if (!Convert.TryFromBase64String(fields[1], blob, out var length)) throw NotAKey("the base64 key is damaged or mistyped");
        SshEd25519PublicKey? key;
        string blobType;
        try
        {
            key = FromBlob(blob.AsSpan(0, length), fields.Length > 2 ? fields[2].Trim() : "", out blobType);
        }
        catch (FormatException)
        {
            throw NotAKey("the base64 key is damaged or mistyped");
        }
        return key ?? throw NotAKey($"the line says ssh-ed25519 but the key in it is {UntrustedText.Printable(blobType)}");
    }

    /// <summary>Wraps 32 raw Ed25519 public key bytes.</summary>
    /// <exception cref="ArgumentException">Not 32 bytes, or a comment that spans lines.</exception>
    public static SshEd25519PublicKey FromRaw(ReadOnlySpan<byte> key32, string comment = "")
    {
        if (key32.Length != Ed25519.PublicKeySize) throw new ArgumentException("an Ed25519 public key is 32 bytes", nameof(key32));
        ArgumentNullException.ThrowIfNull(comment);
        if (comment.AsSpan().IndexOfAny('\r', '\n') >= 0) throw new ArgumentException("a key comment is a single line", nameof(comment));
        return new SshEd25519PublicKey(key32, comment.Trim());
    }

    /// <summary>The <c>.pub</c> line: <c>ssh-ed25519 BASE64 comment</c>, without the trailing space when there is no comment.</summary>
    public string ToOpenSsh()
    {
        var line = $"{KeyType} {Convert.ToBase64String(Blob())}";
        return Comment.Length == 0 ? line : $"{line} {Comment}";
    }

    /// <summary>True when <paramref name="signature64"/> is this key's Ed25519 signature of <paramref name="data"/>; false for anything else.</summary>
    public bool VerifyRaw(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature64) => Ed25519.Verify(_key, data, signature64);

    /// <summary>The SSH wire form: <c>string "ssh-ed25519", string key</c>.</summary>
    internal byte[] Blob() => new SshWireWriter().Text(KeyType).String(_key).ToArray();

    /// <summary>
    /// Reads a key blob. Returns null, with the blob's key type, when it is a key of
    /// another type; a malformed Ed25519 blob throws <see cref="FormatException"/>.
    /// </summary>
    internal static SshEd25519PublicKey? FromBlob(ReadOnlySpan<byte> blob, string comment, out string keyType)
    {
        var reader = new SshWireReader(blob);
        keyType = reader.ReadText();
        if (keyType != KeyType) return null;
        var key = reader.ReadString();
        if (key.Length != Ed25519.PublicKeySize) throw new FormatException("an ssh-ed25519 key is not 32 bytes");
        if (!reader.IsAtEnd) throw new FormatException("data follows the ssh-ed25519 key");
        return new SshEd25519PublicKey(key, comment);
    }

    /// <summary>ssh-rsa, ssh-dss, ecdsa-sha2-nistp256, sk-ssh-ed25519@openssh.com and their certificates.</summary>
    internal static bool LooksLikeKeyType(string word) =>
        word.StartsWith("ssh-", StringComparison.Ordinal) || word.StartsWith("ecdsa-", StringComparison.Ordinal) ||
        word.StartsWith("sk-", StringComparison.Ordinal);

    public bool Equals(SshEd25519PublicKey? other) => other is not null && _key.AsSpan().SequenceEqual(other._key);

    public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(_key);

    /// <summary>The <c>.pub</c> line (<see cref="ToOpenSsh"/>).</summary>
    public override string ToString() => ToOpenSsh();

    private static SshKeyException NotAKey(string what) => new(SshKeyProblem.NotAKey, $"not an OpenSSH public key: {what}");
}
