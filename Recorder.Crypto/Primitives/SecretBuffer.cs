using System.Security.Cryptography;

namespace Recorder.Crypto.Primitives;

/// <summary>
/// Pinned memory for key material (so the GC never leaves copies behind),
/// zeroed on <see cref="Dispose"/>. Never exposes a <c>byte[]</c> outside the assembly.
/// </summary>
internal sealed class SecretBuffer : IDisposable
{
    private readonly byte[] _bytes;
    private bool _disposed;

    public SecretBuffer(int length) => _bytes = GC.AllocateArray<byte>(length, pinned: true);

    public SecretBuffer(ReadOnlySpan<byte> contents) : this(contents.Length) => contents.CopyTo(_bytes);

    public static SecretBuffer Random(int length)
    {
        var buffer = new SecretBuffer(length);
        RandomNumberGenerator.Fill(buffer._bytes);
        return buffer;
    }

    public int Length => _bytes.Length;

    public Span<byte> Span => _disposed ? throw new ObjectDisposedException(nameof(SecretBuffer)) : _bytes;

    /// <summary>For APIs that take arrays (BouncyCastle, AWS SDK); the caller must not keep it.</summary>
    internal byte[] UnsafeArray => _disposed ? throw new ObjectDisposedException(nameof(SecretBuffer)) : _bytes;

    public void Dispose()
    {
        if (_disposed) return;
        CryptographicOperations.ZeroMemory(_bytes);
        _disposed = true;
    }

    public override string ToString() => $"SecretBuffer({_bytes.Length} bytes)";
}
