using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Recorder.Crypto.Transparency;

/// <summary>
/// What the signed-note spec says of key names, key IDs and their text forms,
/// shared by notes, verifier keys and signer keys.
/// </summary>
internal static class NoteKeys
{
    /// <summary>The signature type byte of plain Ed25519 note signatures.</summary>
    public const byte Ed25519Type = 0x01;

    public const int Ed25519PublicKeySize = 32;
    public const int Ed25519SignatureSize = 64;

    /// <summary>UTF-8 that refuses lone surrogates instead of replacing them.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Non-empty, no Unicode space, no plus (the spec), and no control character
    /// (a note may not hold one, so a signer with such a name could only sign malformed notes).
    /// </summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name)) return false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '+' || char.IsWhiteSpace(c) || char.IsControl(c)) return false;
            if (char.IsSurrogate(c))
            {
                if (!char.IsSurrogatePair(name, i)) return false;
                i++;
            }
        }
        return true;
    }

    /// <summary>The first four bytes, big-endian, of SHA-256(name || 0x0A || type || public key).</summary>
    public static uint KeyId(string name, byte type, ReadOnlySpan<byte> publicKey)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(StrictUtf8.GetBytes(name));
        sha.AppendData([(byte)'\n', type]);
        sha.AppendData(publicKey);
        Span<byte> hash = stackalloc byte[32];
        sha.GetHashAndReset(hash);
        return BinaryPrimitives.ReadUInt32BigEndian(hash);
    }

    /// <summary>Eight lowercase hex digits, as key strings write a key ID.</summary>
    public static string FormatKeyId(uint keyId) => keyId.ToString("x8", CultureInfo.InvariantCulture);

    public static bool TryParseKeyId(string text, out uint keyId)
    {
        keyId = 0;
        if (text.Length != 8) return false;
        foreach (var c in text)
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f')) return false;
        return uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out keyId);
    }

    /// <summary>
    /// Standard padded base64 (RFC 4648 section 4), strictly: no white space and no
    /// stray bits in the last character, so each value has exactly one encoding.
    /// </summary>
    public static bool TryDecodeBase64(string text, out byte[] data)
    {
        data = [];
        if (text.Length == 0 || text.Length % 4 != 0) return false;
        var decoded = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, decoded, out var written)) return false;
        if (!text.AsSpan().SequenceEqual(Convert.ToBase64String(decoded.AsSpan(0, written)))) return false;
        data = decoded[..written];
        return true;
    }

    /// <summary>
    /// Checks the parts of a key string (<c>name</c>, <c>keyid</c>, <c>base64(0x01 || key)</c>)
    /// and returns the name, the key ID it claims and the 32 key bytes (a public key or a
    /// seed). Messages never repeat the key text, which may be a secret.
    /// </summary>
    public static (string Name, uint KeyId, byte[] Key) ParseKeyParts(string name, string keyIdText, string keyText, string what)
    {
        if (!IsValidName(name))
            throw Malformed(what, "the key name must be non-empty, without spaces, plus signs or control characters");
        if (!TryParseKeyId(keyIdText, out var keyId))
            throw Malformed(what, "the key ID must be 8 lowercase hex digits");
        if (!TryDecodeBase64(keyText, out var key))
            throw Malformed(what, "the key is not standard base64");
        if (key[0] != Ed25519Type)
            throw new FormatException($"unsupported {what}: signature type 0x{key[0]:x2} (only Ed25519, 0x01, is supported)");
        if (key.Length != 1 + Ed25519PublicKeySize)
            throw Malformed(what, $"an Ed25519 key is 32 bytes, not {key.Length - 1}");
        var bytes = key[1..];
        CryptographicOperations.ZeroMemory(key);
        return (name, keyId, bytes);
    }

    /// <summary>A key string's key ID must be the one its name and key give.</summary>
    public static void CheckKeyId(uint claimed, uint actual, string what)
    {
        if (claimed != actual)
            throw Malformed(what, $"key ID {FormatKeyId(claimed)} does not match the name and key (they give {FormatKeyId(actual)})");
    }

    public static FormatException Malformed(string what, string detail) => new($"malformed {what}: {detail}");
}
