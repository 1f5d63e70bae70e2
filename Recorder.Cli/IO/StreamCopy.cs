namespace Recorder.Cli.IO;

internal static class StreamCopy
{
    /// <summary>Copies exactly <paramref name="count"/> bytes (fewer only if the source ends).</summary>
    public static async Task CopyAsync(System.IO.Stream source, System.IO.Stream destination, long count, CancellationToken ct)
    {
        var buffer = new byte[(int)Math.Min(InputSource.CopyBufferBytes, Math.Max(count, 1))];
        while (count > 0)
        {
            var n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), ct);
            if (n == 0) return;
            await destination.WriteAsync(buffer.AsMemory(0, n), ct);
            count -= n;
        }
    }
}
