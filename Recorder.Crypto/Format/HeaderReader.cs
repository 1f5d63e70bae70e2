namespace Recorder.Crypto.Format;

/// <summary>
/// Reads an age header from the front of a stream that may not seek: reads
/// blocks until the closing line, parses, and hands back what it read past the
/// header so the payload reader can start there.
/// </summary>
internal static class HeaderReader
{
    private const int BlockSize = 4096;

    public sealed record Result(AgeHeader Header, ReadOnlyMemory<byte> Leftover);

    public static async Task<Result> ReadAsync(System.IO.Stream source, CancellationToken cancellationToken)
    {
        var buffer = new byte[BlockSize];
        var count = 0;
        var scanned = 0;
        while (true)
        {
            if (count == buffer.Length)
            {
                if (buffer.Length >= AgeHeader.MaxHeaderBytes + BlockSize)
                    throw AgeDecryptionException.Header($"no closing line within {AgeHeader.MaxHeaderBytes} bytes");
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            var n = await source.ReadAsync(buffer.AsMemory(count, Math.Min(BlockSize, buffer.Length - count)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (count == 0) throw AgeDecryptionException.Header("empty file");
                // Parse what is there: it reports the precise defect.
                HeaderParser.Parse(buffer.AsSpan(0, count));
                throw AgeDecryptionException.Header("no closing --- line");
            }
            count += n;
            // Restart the scan one line back: the previous block may have ended mid-line.
            var from = Math.Max(0, buffer.AsSpan(0, scanned).LastIndexOf((byte)'\n'));
            var end = HeaderParser.FindEnd(buffer.AsSpan(from, count - from));
            scanned = count;
            if (end < 0) continue;
            end += from;
            var header = HeaderParser.Parse(buffer.AsSpan(0, end));
            return new Result(header, buffer.AsMemory(end, count - end));
        }
    }
}
