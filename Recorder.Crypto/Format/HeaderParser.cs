using System.Text;

namespace Recorder.Crypto.Format;

/// <summary>
/// Parses an age v1 header exactly as the spec (and age's internal/format)
/// does: LF line endings only, single spaces between arguments, canonical
/// unpadded base64, 64-column body lines ending with a short (possibly empty)
/// line, a <c>--- MAC</c> closing line.
/// </summary>
internal static class HeaderParser
{
    private const int ColumnsPerLine = 64;
    private const int BytesPerLine = 48;

    /// <summary>
    /// Finds the end of the header in <paramref name="buffer"/>: the index just past
    /// the newline of the first line starting with <c>---</c>, or -1 when it is not there yet.
    /// </summary>
    public static int FindEnd(ReadOnlySpan<byte> buffer)
    {
        var lineStart = 0;
        while (lineStart < buffer.Length)
        {
            var nl = buffer[lineStart..].IndexOf((byte)'\n');
            if (nl < 0) return -1;
            if (lineStart > 0 && buffer[lineStart..].StartsWith("---"u8)) return lineStart + nl + 1;
            lineStart += nl + 1;
        }
        return -1;
    }

    public static AgeHeader Parse(ReadOnlySpan<byte> header)
    {
        if (header.Length > AgeHeader.MaxHeaderBytes) throw Fail($"longer than {AgeHeader.MaxHeaderBytes} bytes");
        foreach (var b in header)
            if (b > 0x7f) throw Fail("non-ASCII byte");
        var text = Encoding.ASCII.GetString(header);
        var lines = new LineReader(text);

        var intro = lines.Next() ?? throw Fail("empty file");
        if (intro != AgeHeader.VersionLine)
        {
            throw intro.StartsWith(AgeHeader.VersionPrefix, StringComparison.Ordinal)
                ? Fail("unsupported version (this reads age-encryption.org/v1)")
                : Fail("not an age file (missing the age-encryption.org/v1 line)");
        }

        var stanzas = new List<AgeStanza>();
        while (true)
        {
            var lineOffset = lines.Offset;
            var line = lines.Next() ?? throw Fail("no closing --- line");
            if (line.StartsWith("---", StringComparison.Ordinal))
            {
                var (prefix, args) = Split(line);
                if (prefix != "---" || args.Length != 1) throw Fail("malformed closing line");
                if (!CanonicalBase64.TryDecode(args[0], out var mac) || mac.Length != AgeHeader.MacSize)
                    throw Fail("malformed header MAC");
                if (lines.Offset != text.Length) throw Fail("data after the closing line");
                var macInput = header[..(lineOffset + 3)].ToArray();
                return new AgeHeader(stanzas, mac, macInput, header.Length);
            }
            if (stanzas.Count == AgeHeader.MaxStanzaCount) throw Fail($"more than {AgeHeader.MaxStanzaCount} stanzas");
            stanzas.Add(ReadStanza(line, lines));
        }
    }

    private static AgeStanza ReadStanza(string opening, LineReader lines)
    {
        var (prefix, args) = Split(opening);
        if (prefix != "->") throw Fail("malformed stanza opening line");
        if (args.Length < 1) throw Fail("stanza without a type");
        foreach (var a in args)
            if (!AgeStanza.IsValidArgument(a)) throw Fail("malformed stanza argument");

        var body = new List<byte>();
        while (true)
        {
            var line = lines.Next() ?? throw Fail("stanza body not terminated");
            if (line.Length > ColumnsPerLine) throw Fail("stanza body line longer than 64 columns");
            if (!CanonicalBase64.TryDecode(line, out var bytes))
            {
                throw line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("->", StringComparison.Ordinal)
                    ? Fail("stanza ended without a final short line")
                    : Fail("malformed stanza body line");
            }
            body.AddRange(bytes);
            if (bytes.Length < BytesPerLine) break;
        }
        return new AgeStanza(args[0], args[1..], body.ToArray());
    }

    private static (string Prefix, string[] Args) Split(string line)
    {
        var parts = line.Split(' ');
        return (parts[0], parts[1..]);
    }

    private static AgeDecryptionException Fail(string what) => AgeDecryptionException.Header(what);

    /// <summary>LF-terminated lines; a line without its newline is not a line.</summary>
    private sealed class LineReader(string text)
    {
        public int Offset { get; private set; }

        public string? Next()
        {
            if (Offset >= text.Length) return null;
            var nl = text.IndexOf('\n', Offset);
            if (nl < 0) throw Fail("line without a newline");
            var line = text[Offset..nl];
            Offset = nl + 1;
            return line;
        }
    }
}
