namespace Recorder.Crypto;

/// <summary>
/// None of the given identities can unwrap the file key ("not my key"): the file
/// may be intact but was encrypted for someone else. <see cref="Reasons"/> lists
/// why identities that had a matching stanza type could not use it (for example
/// a KMS refusal), without key material.
/// </summary>
public sealed class AgeNoIdentityMatchException : AgeException
{
    public AgeNoIdentityMatchException(IReadOnlyList<string> reasons)
        : base(reasons.Count == 0
            ? "no identity matched any of the file's recipients"
            : $"no identity matched any of the file's recipients ({string.Join("; ", reasons)})")
    {
        Reasons = reasons;
    }

    public IReadOnlyList<string> Reasons { get; }

    /// <summary>
    /// For whom the file is wrapped, as far as the header says without a key: the
    /// recipient-hint fingerprints (<c>x25519:…</c>) and KMS key ids, or else the
    /// stanza types. No key material.
    /// </summary>
    public IReadOnlyList<string> FileRecipients { get; init; } = [];

    /// <summary>The fingerprints of the X25519 identities that were tried (public, as <c>recorder inspect</c> prints them).</summary>
    public IReadOnlyList<string> IdentityFingerprints { get; init; } = [];
}
