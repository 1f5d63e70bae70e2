namespace Recorder.Crypto.Signing;

/// <summary>
/// An SSH key (private key file or public key line) that cannot be used. The
/// message names the file or says "the key", says what is wrong and how to fix it,
/// and never repeats key material.
/// </summary>
public sealed class SshKeyException : FormatException
{
    public SshKeyException(SshKeyProblem problem, string message) : base(message) => Problem = problem;

    public SshKeyProblem Problem { get; }

    internal static SshKeyException UnsupportedType(string subject, string keyType) =>
        new(SshKeyProblem.UnsupportedType,
            $"{subject} is an {UntrustedText.Printable(keyType)} key; the recorder signs with Ed25519 keys only (ssh-keygen -t ed25519)");

    /// <param name="subject">The path of the file, or "the key".</param>
    /// <param name="file">The path again for the command line in the hint (quoted for a shell), or FILE.</param>
    internal static SshKeyException PassphraseProtected(string subject, string file) =>
        new(SshKeyProblem.PassphraseProtected,
            $"{subject} is protected by a passphrase; the recorder needs an unencrypted key (ssh-keygen -p -N '' -f {file}) kept readable only by the service user");

    internal static SshKeyException Damaged(string subject, string what) =>
        new(SshKeyProblem.Damaged, $"{subject} is a damaged OpenSSH private key: {what}");
}
