namespace Recorder.Crypto.Signing;

/// <summary>
/// The outcome of <see cref="SshSignature.Verify"/>. A bad signature is an
/// expected outcome, not an exception: <see cref="Valid"/> is false and
/// <see cref="Problem"/> says why in a sentence for a log or an auditor.
/// </summary>
/// <param name="Valid">The signature is well formed, made for the expected namespace, and matches the content.</param>
/// <param name="Signer">
/// The key the signature names, set whenever its blob parsed (also when it does not
/// match). A valid signature only proves that this key signed: whether the key is
/// trusted is for the caller to decide. Its comment is empty: a signature carries none.
/// </param>
/// <param name="Problem">Why it is not valid; null when it is.</param>
public sealed record SshSignatureCheck(bool Valid, SshEd25519PublicKey? Signer, string? Problem);
