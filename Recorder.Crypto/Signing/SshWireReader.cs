using System.Buffers.Binary;
using System.Text;

namespace Recorder.Crypto.Signing;

/// <summary>
/// Reads the SSH wire encoding (RFC 4251 §5): big-endian <c>uint32</c> and
/// <c>string</c> (a <c>uint32</c> length, then that many bytes). A field that runs
/// past the end throws <see cref="FormatException"/>; callers turn it into their
/// own message (a damaged key file, a malformed signature).
/// </summary>
internal ref struct SshWireReader
{
    private ReadOnlySpan<byte> _rest;

    public SshWireReader(ReadOnlySpan<byte> data) => _rest = data;

    public readonly bool IsAtEnd => _rest.IsEmpty;

    /// <summary>What has not been read yet.</summary>
    public readonly ReadOnlySpan<byte> Rest => _rest;

    /// <summary>Consumes <paramref name="magic"/> if the data starts with it.</summary>
    public bool TrySkip(ReadOnlySpan<byte> magic)
    {
        if (!_rest.StartsWith(magic)) return false;
        _rest = _rest[magic.Length..];
        return true;
    }

    public uint ReadUInt32()
    {
        if (_rest.Length < sizeof(uint)) throw Truncated();
        var value = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        _rest = _rest[sizeof(uint)..];
        return value;
    }

    public ReadOnlySpan<byte> ReadString()
    {
        var length = ReadUInt32();
        if (length > (uint)_rest.Length) throw Truncated();
        var value = _rest[..(int)length];
        _rest = _rest[(int)length..];
        return value;
    }

    /// <summary>A string field holding text (a key type, a namespace, a comment); invalid UTF-8 is a format error.</summary>
    public string ReadText()
    {
        try
        {
            return Strict.GetString(ReadString());
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException("a text field is not valid UTF-8");
        }
    }

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static FormatException Truncated() => new("it ends in the middle of a field (truncated?)");
}
