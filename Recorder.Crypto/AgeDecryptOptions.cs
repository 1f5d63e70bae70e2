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

    /// <summary>
    /// Accept a file that was cut short (a recording segment completed from the parts
    /// uploaded before its worker died): when the file ends without a final chunk, either
    /// exactly after a chunk or inside one, and every chunk before the cut authenticates as
    /// a non-final chunk, decryption ends there without an error and the
    /// <see cref="AgeDecryptResult"/> says so. The bytes of a partial last chunk cannot be
    /// authenticated and are dropped. A file with no complete chunk, a chunk that does not
    /// authenticate, or data after the final chunk fail as without this option. Only
    /// <see cref="AgeDecryptor.DecryptAsync(System.IO.Stream, System.IO.Stream, IReadOnlyList{IIdentity}, AgeDecryptOptions?, CancellationToken)"/>
    /// and its file overload, which report the truncation, accept it.
    /// </summary>
    public bool AllowTruncated { get; init; }
}
