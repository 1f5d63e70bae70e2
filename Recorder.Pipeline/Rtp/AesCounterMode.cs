using System.Security.Cryptography;

namespace Recorder.Pipeline.Rtp;

/// <summary>
/// AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): the keystream is
/// AES-ECB of a 128-bit counter block whose low 16 bits count the blocks of
/// one packet. Buffers are reused: no allocation per packet.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    private const int BlockBytes = 16;
    private const int BatchBlocks = 64;
    private readonly Aes _aes;
    private readonly byte[] _counters = new byte[BatchBlocks * BlockBytes];
    private readonly byte[] _keystream = new byte[BatchBlocks * BlockBytes];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        if (key.Length != 16) throw new ArgumentException("AES-CM keys are 16 bytes", nameof(key));
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
    }

    /// <summary>
    /// XORs <paramref name="data"/> with the keystream that starts at counter
    /// block <paramref name="iv"/> (16 bytes; its last two bytes must be zero).
    /// </summary>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (data.Length > 65_536 * BlockBytes) throw new ArgumentException("more data than one SRTP keystream covers", nameof(data));
        var block = 0;
        while (!data.IsEmpty)
        {
            var blocks = Math.Min(BatchBlocks, (data.Length + BlockBytes - 1) / BlockBytes);
            for (var b = 0; b < blocks; b++)
            {
                var counter = _counters.AsSpan(b * BlockBytes, BlockBytes);
                iv.CopyTo(counter);
                var n = block + b;
                // The block counter occupies the low 16 bits; the IV's own bits there are zero.
                counter[14] ^= unchecked((byte)(n >> 8));
                counter[15] ^= unchecked((byte)n);
            }
            var length = blocks * BlockBytes;
            _aes.EncryptEcb(_counters.AsSpan(0, length), _keystream.AsSpan(0, length), PaddingMode.None);
            var take = Math.Min(length, data.Length);
            for (var i = 0; i < take; i++) data[i] ^= _keystream[i];
            data = data[take..];
            block += blocks;
        }
    }

    /// <summary>The raw keystream for <paramref name="iv"/> (test vectors, key derivation).</summary>
    public void Keystream(ReadOnlySpan<byte> iv, Span<byte> output)
    {
        output.Clear();
        Apply(iv, output);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_keystream);
        _aes.Dispose();
    }
}
