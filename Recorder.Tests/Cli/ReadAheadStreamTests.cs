using Recorder.Cli.IO;

namespace Recorder.Tests.Cli;

/// <summary>The read-ahead wrapper returns the source's bytes in order, whatever the read sizes.</summary>
public sealed class ReadAheadStreamTests
{
    /// <summary>Returns at most a few bytes per read, like a pipe.</summary>
    private sealed class TrickleStream(byte[] data, int maxRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, maxRead)], cancellationToken);
    }

    [Theory]
    [InlineData(0, 7, 100)]
    [InlineData(10_000, 7, 1000)]
    [InlineData(300_000, 65_536, 4096)]
    public async Task Copy_and_read_give_the_source_bytes_in_order(int length, int maxRead, int blockBytes)
    {
        var data = AgeTestDataForCli.Random(length);
        await using (var ahead = new ReadAheadStream(new TrickleStream(data, maxRead), blockBytes))
        {
            using var copy = new MemoryStream();
            await ahead.CopyToAsync(copy);
            Assert.Equal(data, copy.ToArray());
        }
        await using (var ahead = new ReadAheadStream(new TrickleStream(data, maxRead), blockBytes))
        {
            var read = new byte[length + 10];
            Assert.Equal(length, await ahead.ReadAtLeastAsync(read, read.Length, throwOnEndOfStream: false));
            Assert.Equal(data, read[..length]);
        }
    }
}
