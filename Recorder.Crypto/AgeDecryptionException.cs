namespace Recorder.Crypto;

/// <summary>
/// The file is corrupted or was tampered with. Fatal: unlike
/// <see cref="AgeNoIdentityMatchException"/>, another key will not help.
/// </summary>
public sealed class AgeDecryptionException : AgeException
{
    public AgeDecryptionException(AgeFailureKind kind, string message, long? chunkIndex = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        ChunkIndex = chunkIndex;
    }

    public AgeFailureKind Kind { get; }

    /// <summary>The payload chunk that failed (0-based), for <see cref="AgeFailureKind.Payload"/>.</summary>
    public long? ChunkIndex { get; }

    internal static AgeDecryptionException Header(string what) =>
        new(AgeFailureKind.Header, $"invalid age header: {what}");

    internal static AgeDecryptionException Chunk(long index, string what) =>
        new(AgeFailureKind.Payload, $"failed to decrypt and authenticate payload chunk {index}: {what}", index);
}
