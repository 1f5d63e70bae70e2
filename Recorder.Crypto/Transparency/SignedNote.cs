using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Recorder.Crypto.Transparency;

/// <summary>
/// A C2SP signed note (c2sp.org/signed-note): a text ending in a newline, a blank
/// line, and one signature line per key, <c>— &lt;name&gt; base64(key ID || signature)</c>.
/// <see cref="Sign"/> writes one; <see cref="Open(string, IReadOnlyList{NoteVerifier})"/>
/// parses one and verifies every signature by a key it is given, as
/// golang.org/x/mod/sumdb/note does, so the same bytes open in the Go tools.
/// </summary>
public sealed class SignedNote
{
    /// <summary>More signature lines than this make a note malformed (the spec asks for at least 16; Go allows 100).</summary>
    public const int MaxSignatures = 100;

    private const string SignaturePrefix = "\u2014 ";

    private SignedNote(string text, IReadOnlyList<NoteSignature> signatures, IReadOnlyList<NoteSignature> unverified)
    {
        Text = text;
        Signatures = signatures;
        UnverifiedSignatures = unverified;
    }

    /// <summary>The signed text, ending in its newline (without the blank line).</summary>
    public string Text { get; }

    /// <summary>The signatures by known keys, all verified (one per key), in the order of the note.</summary>
    public IReadOnlyList<NoteSignature> Signatures { get; }

    /// <summary>The signatures by keys not given to <c>Open</c>, not verified (repeated lines once).</summary>
    public IReadOnlyList<NoteSignature> UnverifiedSignatures { get; }

    /// <summary>
    /// Signs <paramref name="text"/> (which must end in a newline and hold no control character
    /// but newlines) with each signer and returns the note: the text, a blank line, the signatures.
    /// </summary>
    public static string Sign(string text, params ReadOnlySpan<NoteSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n')) throw new ArgumentException("a note's text must end with a newline", nameof(text));
        if (text.Any(c => c < ' ' && c != '\n'))
            throw new ArgumentException("a note's text may hold no control character but newlines", nameof(text));
        if (signers.IsEmpty) throw new ArgumentException("a note needs at least one signer", nameof(signers));
        if (signers.Length > MaxSignatures) throw new ArgumentException($"a note holds at most {MaxSignatures} signatures", nameof(signers));

        byte[] message;
        try
        {
            message = NoteKeys.StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException("a note's text must be valid Unicode (it holds a lone surrogate)", nameof(text));
        }

        var note = new StringBuilder(text).Append('\n');
        var keys = new HashSet<(string, uint)>();
        foreach (var signer in signers)
        {
            ArgumentNullException.ThrowIfNull(signer, nameof(signers));
            if (!keys.Add((signer.Name, signer.KeyId)))
                throw new ArgumentException($"two signers are the same key, {signer.Name}+{NoteKeys.FormatKeyId(signer.KeyId)}", nameof(signers));
            var signature = signer.Sign(message);
            var field = new byte[4 + signature.Length];
            BinaryPrimitives.WriteUInt32BigEndian(field, signer.KeyId);
            signature.CopyTo(field, 4);
            note.Append(SignaturePrefix).Append(signer.Name).Append(' ').Append(Convert.ToBase64String(field)).Append('\n');
        }
        return note.ToString();
    }

    /// <summary>
    /// Parses a note and verifies it: every signature by a key in <paramref name="verifiers"/>
    /// must verify, and at least one must be there; signatures by other keys are kept unverified.
    /// Throws <see cref="SignedNoteException"/>.
    /// </summary>
    public static SignedNote Open(string note, IReadOnlyList<NoteVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(note);
        byte[] bytes;
        try
        {
            bytes = NoteKeys.StrictUtf8.GetBytes(note);
        }
        catch (EncoderFallbackException)
        {
            throw SignedNoteException.Malformed("it is not valid Unicode (a lone surrogate)");
        }
        return Open(bytes, verifiers);
    }

    /// <summary>As <see cref="Open(string, IReadOnlyList{NoteVerifier})"/>, from the note's UTF-8 bytes.</summary>
    public static SignedNote Open(ReadOnlySpan<byte> note, IReadOnlyList<NoteVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        if (!Utf8.IsValid(note)) throw SignedNoteException.Malformed("it is not valid UTF-8");
        for (var i = 0; i < note.Length; i++)
        {
            if (note[i] < 0x20 && note[i] != (byte)'\n')
                throw SignedNoteException.Malformed($"control character 0x{note[i]:x2} at byte {i}");
        }

        // The text ends at the last blank line; the signature lines follow it.
        var split = note.LastIndexOf("\n\n"u8);
        if (split < 0) throw SignedNoteException.Malformed("no blank line between the text and the signatures");
        var textBytes = note[..(split + 1)];
        var block = note[(split + 2)..];
        if (block.IsEmpty) throw SignedNoteException.Malformed("no signature lines after the blank line");
        if (block[^1] != (byte)'\n') throw SignedNoteException.Malformed("the last signature line does not end with a newline");

        var lines = Encoding.UTF8.GetString(block[..^1]).Split('\n');
        if (lines.Length > MaxSignatures) throw SignedNoteException.Malformed($"more than {MaxSignatures} signatures");

        var known = verifiers.ToLookup(v => (v.Name, v.KeyId));
        var verified = new List<NoteSignature>();
        var unverified = new List<NoteSignature>();
        for (var i = 0; i < lines.Length; i++)
        {
            var (signature, bytes) = ParseLine(lines[i], i + 1);
            var candidates = known[(signature.Name, signature.KeyId)].ToList();
            if (candidates.Count == 0)
            {
                if (!unverified.Contains(signature)) unverified.Add(signature);
                continue;
            }
            if (candidates.Count > 1)
                throw new SignedNoteException(SignedNoteFailure.AmbiguousKey,
                    $"ambiguous key {signature.KeyLabel}: more than one of the verifiers given has this name and key ID", signature.KeyLabel);
            // Every signature by a known key is checked, repeated ones too (stricter than Go, which checks the first).
            if (!candidates[0].Verify(textBytes, bytes.AsSpan(4)))
                throw new SignedNoteException(SignedNoteFailure.InvalidSignature,
                    $"invalid signature for key {signature.KeyLabel}: the note was changed after it was signed, or the signature is corrupt", signature.KeyLabel);
            if (!verified.Exists(s => s.Name == signature.Name && s.KeyId == signature.KeyId)) verified.Add(signature);
        }

        if (verified.Count == 0)
        {
            throw new SignedNoteException(SignedNoteFailure.NoKnownSignature,
                $"note has no signature by a known key (it is signed by {string.Join(", ", unverified.Select(s => s.KeyLabel))})");
        }
        return new SignedNote(Encoding.UTF8.GetString(textBytes), verified, unverified);
    }

    private static (NoteSignature Signature, byte[] Bytes) ParseLine(string line, int number)
    {
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
            throw SignedNoteException.Malformed($"signature line {number} does not start with an em dash and a space");
        var rest = line[SignaturePrefix.Length..];
        var space = rest.IndexOf(' ');
        var name = space < 0 ? rest : rest[..space];
        var field = space < 0 ? "" : rest[(space + 1)..];
        if (!NoteKeys.IsValidName(name))
            throw SignedNoteException.Malformed($"signature line {number} has no valid key name");
        if (!NoteKeys.TryDecodeBase64(field, out var bytes) || bytes.Length < 5)
            throw SignedNoteException.Malformed($"signature line {number} is not the base64 of a key ID and a signature");
        return (new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(bytes), field), bytes);
    }
}
