using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Recorder.Crypto.Signing;

/// <summary>
/// Writes the SSH wire encoding (RFC 4251 §5). For public data only (key blobs,
/// the data a signature covers, signature blobs): the buffer is not wiped.
/// </summary>
internal sealed class SshWireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public SshWireWriter Raw(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public SshWireWriter UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(sizeof(uint)), value);
        _buffer.Advance(sizeof(uint));
        return this;
    }

    public SshWireWriter String(ReadOnlySpan<byte> value) => UInt32(checked((uint)value.Length)).Raw(value);

    public SshWireWriter Text(string value) => String(Encoding.UTF8.GetBytes(value));

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
