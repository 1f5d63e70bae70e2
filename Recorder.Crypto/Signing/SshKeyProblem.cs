namespace Recorder.Crypto.Signing;

/// <summary>Why an SSH key could not be used, so that a caller can pick its hint without parsing messages.</summary>
public enum SshKeyProblem
{
    /// <summary>Not an SSH key in a form the recorder reads (another file, a public key where a private key belongs).</summary>
    NotAKey,

    /// <summary>The right form, but its content is inconsistent or cut short: the file is corrupted.</summary>
    Damaged,

    /// <summary>A valid key of another type (RSA, ECDSA, a security key); the recorder signs with Ed25519 only.</summary>
    UnsupportedType,

    /// <summary>An Ed25519 key encrypted with a passphrase; the service cannot type one.</summary>
    PassphraseProtected,
}
