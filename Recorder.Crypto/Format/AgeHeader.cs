using System.Text;

namespace Recorder.Crypto.Format;

/// <summary>
/// A parsed age v1 header. Knows nothing of keys: the MAC is only checked by
/// whoever holds the file key (<see cref="HeaderMac"/>).
/// </summary>
public sealed class AgeHeader
{
    public const string VersionLine = "age-encryption.org/v1";
    internal const string VersionPrefix = "age-encryption.org/";
    internal const int MacSize = 32;

    /// <summary>Limits that keep a hostile header from costing memory or time.</summary>
    public const int MaxHeaderBytes = 64 * 1024;
    public const int MaxStanzaCount = 128;

    private readonly byte[] _mac;
    private readonly byte[] _macInput;

    internal AgeHeader(IReadOnlyList<AgeStanza> stanzas, byte[] mac, byte[] macInput, int encodedLength)
    {
        Stanzas = stanzas;
        _mac = mac;
        _macInput = macInput;
        EncodedLength = encodedLength;
    }

    public string Version => VersionLine;

    public IReadOnlyList<AgeStanza> Stanzas { get; }

    /// <summary>Length in bytes of the header as stored, up to and including the MAC line's newline.</summary>
    public int EncodedLength { get; }

    /// <summary>The header MAC as written (not secret: anyone can read it, only the file key can check it).</summary>
    public ReadOnlySpan<byte> Mac => _mac;

    /// <summary>The bytes the MAC covers: everything up to and including <c>---</c>.</summary>
    internal ReadOnlySpan<byte> MacInput => _macInput;

    /// <summary>Encodes a header without its MAC line (the MAC input), as age marshals it.</summary>
    internal static byte[] EncodeWithoutMac(IEnumerable<AgeStanza> stanzas)
    {
        var sb = new StringBuilder();
        sb.Append(VersionLine).Append('\n');
        foreach (var s in stanzas)
        {
            sb.Append("-> ").Append(s.Type);
            foreach (var a in s.Arguments) sb.Append(' ').Append(a);
            sb.Append('\n');
            var body = CanonicalBase64.Encode(s.Body.Span);
            // 64-column lines; the last one is always short, so an empty line
            // follows a body whose length is a multiple of 48 bytes.
            for (var i = 0; ; i += 64)
            {
                var line = body.Length - i >= 64 ? body.Substring(i, 64) : body[i..];
                sb.Append(line).Append('\n');
                if (line.Length < 64) break;
            }
        }
        sb.Append("---");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary>The complete header: the MAC input, a space, the MAC and a newline.</summary>
    internal static byte[] Encode(byte[] macInput, ReadOnlySpan<byte> mac) =>
        [.. macInput, .. " "u8, .. Encoding.ASCII.GetBytes(CanonicalBase64.Encode(mac)), .. "\n"u8];

    public override string ToString() =>
        $"age header ({EncodedLength} bytes, stanzas: {string.Join(", ", Stanzas.Select(s => s.Type))})";
}
