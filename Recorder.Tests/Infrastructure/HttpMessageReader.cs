using System.Text;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// Reads HTTP/1.1 messages from a connection for <see cref="FaultInjectingS3Proxy"/>:
/// a head (start line and headers) then a body framed by Content-Length or
/// chunked encoding, relayed without interpretation.
/// </summary>
internal sealed class HttpMessageReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    /// <summary>The head up to and including the blank line, or null when the peer closed between messages.</summary>
    public async Task<HttpHead?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var head = new MemoryStream();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
                return head.Length == 0 ? null : throw new IOException("connection closed inside a message head");
            var b = _buffer[_start++];
            head.WriteByte(b);
            if (b == '\n' && head.Length >= 4 && EndsWithBlankLine(head)) return HttpHead.Parse(head.ToArray());
            if (head.Length > 64 * 1024) throw new IOException("message head too long");
        }
    }

    /// <summary>Copies exactly <paramref name="count"/> bytes to <paramref name="destination"/> (null: discard).</summary>
    public async Task CopyAsync(long count, Stream? destination, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken)) throw new IOException("connection closed inside a body");
            var n = (int)Math.Min(count, _end - _start);
            if (destination is not null) await destination.WriteAsync(_buffer.AsMemory(_start, n), cancellationToken);
            _start += n;
            count -= n;
        }
    }

    /// <summary>Relays a chunked body as it is, up to and including its last chunk and trailers.</summary>
    public async Task CopyChunkedAsync(Stream destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            await destination.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), cancellationToken);
            var size = Convert.ToInt64(line.Split(';')[0].Trim(), 16);
            if (size == 0)
            {
                string trailer;
                do
                {
                    trailer = await ReadLineAsync(cancellationToken);
                    await destination.WriteAsync(Encoding.ASCII.GetBytes(trailer + "\r\n"), cancellationToken);
                } while (trailer.Length > 0);
                return;
            }
            await CopyAsync(size + 2, destination, cancellationToken);
        }
    }

    /// <summary>Relays everything until the peer closes.</summary>
    public async Task CopyToEndAsync(Stream destination, CancellationToken cancellationToken)
    {
        if (_end > _start) await destination.WriteAsync(_buffer.AsMemory(_start, _end - _start), cancellationToken);
        _start = _end = 0;
        await stream.CopyToAsync(destination, cancellationToken);
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken)) throw new IOException("connection closed inside a chunk header");
            var c = (char)_buffer[_start++];
            if (c == '\n') return line.ToString().TrimEnd('\r');
            line.Append(c);
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }

    private static bool EndsWithBlankLine(MemoryStream head)
    {
        var b = head.GetBuffer();
        var n = (int)head.Length;
        return b[n - 1] == '\n' && b[n - 2] == '\r' && b[n - 3] == '\n' && b[n - 4] == '\r';
    }
}

/// <summary>A parsed message head; <see cref="Raw"/> is forwarded unchanged.</summary>
internal sealed record HttpHead(byte[] Raw, string StartLine, IReadOnlyList<(string Name, string Value)> Headers)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    public long ContentLength => long.TryParse(Header("Content-Length"), out var n) ? n : 0;

    public bool IsChunked => Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    public static HttpHead Parse(byte[] raw)
    {
        var lines = Encoding.ASCII.GetString(raw).Split("\r\n");
        var headers = lines.Skip(1).Where(l => l.Contains(':'))
            .Select(l => (l[..l.IndexOf(':')].Trim(), l[(l.IndexOf(':') + 1)..].Trim())).ToList();
        return new HttpHead(raw, lines[0], headers);
    }

    /// <summary>The head without one header (as raw bytes to forward).</summary>
    public byte[] Without(string name)
    {
        var lines = Encoding.ASCII.GetString(Raw).Split("\r\n")
            .Where(l => !l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
        return Encoding.ASCII.GetBytes(string.Join("\r\n", lines));
    }
}
