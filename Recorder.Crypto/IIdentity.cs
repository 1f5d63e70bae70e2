using Recorder.Crypto.Format;
using Recorder.Crypto.Primitives;

namespace Recorder.Crypto;

/// <summary>
/// Something that can unwrap a file key from a header's stanzas. Implemented in
/// this library only (<see cref="Recipients.X25519Identity"/>, <see cref="Recipients.KmsIdentity"/>).
/// </summary>
public interface IIdentity
{
    /// <summary>
    /// The file key when one of <paramref name="stanzas"/> is for this identity; otherwise
    /// no key, with a reason when a stanza of this identity's type could not be used for a
    /// reason other than "encrypted to another key". Throws <see cref="AgeDecryptionException"/>
    /// for a malformed stanza of its own type (the file is corrupt).
    /// </summary>
    internal ValueTask<UnwrapResult> UnwrapAsync(IReadOnlyList<AgeStanza> stanzas, CancellationToken cancellationToken);
}

/// <summary>An unwrapped file key (the caller disposes it), or why there is none.</summary>
internal readonly record struct UnwrapResult(SecretBuffer? FileKey, string? Reason)
{
    public static UnwrapResult NotMine { get; } = new(null, null);
}
