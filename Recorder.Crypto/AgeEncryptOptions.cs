namespace Recorder.Crypto;

/// <summary>How <see cref="AgeEncryptor"/> writes a file.</summary>
public sealed record AgeEncryptOptions
{
    /// <summary>Leave the destination stream open when the encrypting stream is disposed.</summary>
    public bool LeaveOpen { get; init; }

    /// <summary>
    /// Add the recipient-hint stanza (<c>recorder-recipients</c>) listing every recipient's
    /// fingerprint, so auditors can tell without a key for whom the file was wrapped.
    /// It is covered by the header MAC; the stock age CLI ignores it.
    /// </summary>
    public bool IncludeRecipientHints { get; init; } = true;

    /// <summary>
    /// The KMS encryption context for KMS recipients (see <see cref="Recipients.KmsEncryptionContext"/>);
    /// required when any recipient is a KMS key.
    /// </summary>
    public IReadOnlyDictionary<string, string>? KmsEncryptionContext { get; init; }

    /// <summary>Cores used to seal a batch of chunks; 0 means all processors.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>Plaintext chunks (64 KiB each) gathered before a batch is sealed and written.</summary>
    public int ChunksPerBatch { get; init; } = 32;

    internal bool ForceBouncyCastle { get; init; }
}
