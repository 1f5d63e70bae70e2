namespace Recorder.Crypto;

/// <summary>
/// A re-wrapped header. The new file is <see cref="Header"/> followed by the old
/// file's bytes from <see cref="PayloadOffset"/> (the old header's length) to the end.
/// </summary>
public sealed class AgeRewrapResult(byte[] header, int payloadOffset, byte[] bytesReadPastHeader)
{
    public ReadOnlyMemory<byte> Header { get; } = header;

    /// <summary>Where the payload (nonce and chunks) starts in the old file.</summary>
    public int PayloadOffset { get; } = payloadOffset;

    /// <summary>Payload bytes already read from a non-seekable source while reading the header.</summary>
    public ReadOnlyMemory<byte> BytesReadPastHeader { get; } = bytesReadPastHeader;
}
