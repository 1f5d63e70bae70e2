namespace Recorder.Crypto;

/// <summary>
/// What a whole-file decryption wrote to its destination: authenticated plaintext
/// only. <see cref="IsTruncated"/> is true only with <see cref="AgeDecryptOptions.AllowTruncated"/>,
/// when the file ended without its final chunk; the plaintext is then the prefix of
/// the chunks before the cut.
/// </summary>
public sealed record AgeDecryptResult
{
    /// <summary>Plaintext bytes written.</summary>
    public required long PlaintextLengthBytes { get; init; }

    /// <summary>Payload chunks authenticated and written (for a complete file, including the final chunk).</summary>
    public required long ChunkCount { get; init; }

    /// <summary>The file ends without a final chunk: the rest of it is missing.</summary>
    public required bool IsTruncated { get; init; }
}
