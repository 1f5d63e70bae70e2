namespace Recorder.Crypto.Transparency;

/// <summary>
/// One signature line of a signed note: the key name, the key ID, and the base64
/// text as it stood in the note (key ID and signature bytes).
/// </summary>
/// <param name="Name">The key name.</param>
/// <param name="KeyId">The key ID (the first four bytes of the signature, big-endian).</param>
/// <param name="Base64">The signature field of the line, exactly as written.</param>
public sealed record NoteSignature(string Name, uint KeyId, string Base64)
{
    /// <summary><c>name+keyid</c>, as messages and verifier keys name a key.</summary>
    public string KeyLabel => $"{Name}+{NoteKeys.FormatKeyId(KeyId)}";
}
