namespace Recorder.Crypto;

/// <summary>
/// What the header and the length of an age file say without any key. The
/// recipient fingerprints come from the hint stanza, which the header MAC covers
/// but only a key holder can check; the sizes assume the payload is intact.
/// </summary>
public sealed record AgeFileInfo
{
    public required string Version { get; init; }
    public required int HeaderLengthBytes { get; init; }
    public required IReadOnlyList<string> StanzaTypes { get; init; }
    public required IReadOnlyList<string> RecipientFingerprints { get; init; }
    public required IReadOnlyList<string> KmsKeyIds { get; init; }

    /// <summary>The KMS encryption context of each KMS stanza (as JSON text), for auditors.</summary>
    public required IReadOnlyList<string> KmsEncryptionContexts { get; init; }

    public required long CiphertextLengthBytes { get; init; }

    /// <summary>Null when the length fits no valid payload (the file is truncated or has trailing data).</summary>
    public long? PlaintextLengthBytes { get; init; }

    public long? ChunkCount { get; init; }
}
