namespace Recorder.Crypto.Transparency;

/// <summary>Why <see cref="SignedNote.Open(string, IReadOnlyList{NoteVerifier})"/> refused a note.</summary>
public enum SignedNoteFailure
{
    /// <summary>Not a signed note: bad UTF-8, a control character, no blank line, a bad signature line, too many signatures.</summary>
    Malformed,

    /// <summary>Well formed, but no signature is by a key the caller knows: not trusted, though maybe not tampered with.</summary>
    NoKnownSignature,

    /// <summary>A signature by a known key does not verify: the note was changed after signing, or the signature is corrupt.</summary>
    InvalidSignature,

    /// <summary>Two of the verifiers given share the name and key ID a signature names: the verifier list is wrong.</summary>
    AmbiguousKey,
}
