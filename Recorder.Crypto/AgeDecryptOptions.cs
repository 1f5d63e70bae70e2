namespace Recorder.Crypto;

/// <summary>How <see cref="AgeDecryptor"/> reads a file.</summary>
public sealed record AgeDecryptOptions
{
    /// <summary>Leave the ciphertext stream open when the plaintext stream is disposed.</summary>
    public bool LeaveOpen { get; init; }

    /// <summary>Cores used to open a batch of chunks; 0 means all processors.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>Chunks (64 KiB of plaintext each) read and authenticated together before any is released.</summary>
    public int ChunksPerBatch { get; init; } = 32;
}
