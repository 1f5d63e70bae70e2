namespace Recorder.Crypto.Transparency;

/// <summary>
/// A signed note was refused. <see cref="Kind"/> tells a note that is merely not
/// signed by a known key from one that is malformed or whose known signature fails.
/// </summary>
public sealed class SignedNoteException : Exception
{
    public SignedNoteException(SignedNoteFailure kind, string message, string? key = null) : base(message)
    {
        Kind = kind;
        Key = key;
    }

    public SignedNoteFailure Kind { get; }

    /// <summary>The key (<c>name+keyid</c>) whose signature failed or is ambiguous, if any.</summary>
    public string? Key { get; }

    internal static SignedNoteException Malformed(string what) =>
        new(SignedNoteFailure.Malformed, $"malformed note: {what}");
}
