using System.Buffers;
using System.Security.Cryptography;
using Recorder.Storage;
using Recorder.Tests.Infrastructure;
using static Recorder.Tests.Storage.SinkTestKit;

namespace Recorder.Tests.Storage;

/// <summary>Parts assembled from pooled blocks: their content, their hash, the stream the SDK reads, and block reuse.</summary>
public sealed class PartBlocksTests
{
    private const int Block = 1000;

    private static PartBlocks Fill(byte[] data, int partSize)
    {
        var part = new PartBlocks(1, partSize);
        var rest = data.AsSpan();
        while (!rest.IsEmpty)
        {
            if (part.Room == 0) part.AddBlock(new byte[Block]);
            rest = rest[part.Append(rest)..];
        }
        return part;
    }

    [Theory]
    [InlineData(1, 5000)]
    [InlineData(999, 5000)]
    [InlineData(1000, 5000)]
    [InlineData(1001, 5000)]
    [InlineData(4999, 5000)]
    [InlineData(5000, 5000)]
    [InlineData(2500, 2500)] // a part size that ends inside a block
    public void A_part_holds_exactly_the_bytes_written_across_its_blocks(int length, int partSize)
    {
        var data = TestBytes.Random(length, length);
        var part = Fill(data, partSize);

        Assert.Equal(length, part.Length);
        Assert.Equal((length + Block - 1) / Block, part.Blocks.Count);
        Assert.Equal(length == partSize, part.IsFull);
        var content = part.Content();
        Assert.Equal(TestBytes.Sha256(data), TestBytes.Sha256(content.ToArray()));
        Assert.Equal(Convert.ToBase64String(MD5.HashData(data)), ContentMd5.Of(content));
    }

    [Fact]
    public void A_full_part_takes_no_more_bytes()
    {
        var part = Fill(TestBytes.Random(2500, 1), 2500);
        Assert.Equal(0, part.Room);
        Assert.Equal(0, part.Append([1, 2, 3]));
        Assert.Equal(2500, part.Length);
    }

    [Fact]
    public async Task The_stream_over_the_blocks_reads_rewinds_and_seeks_like_a_memory_stream()
    {
        var data = TestBytes.Random(4321, 7);
        using var stream = new ReadOnlySequenceStream(Fill(data, 5000).Content());
        Assert.True(stream.CanSeek);
        Assert.Equal(data.Length, stream.Length);

        var read = new byte[data.Length];
        var total = 0;
        int n;
        while ((n = stream.Read(read, total, Math.Min(333, read.Length - total))) > 0) total += n;
        Assert.Equal(data.Length, total);
        Assert.Equal(TestBytes.Sha256(data), TestBytes.Sha256(read));
        Assert.Equal(0, stream.Read(new byte[10], 0, 10));

        stream.Position = 0; // the SDK rewinds after hashing for the signature
        Assert.Equal(TestBytes.Sha256(data), TestBytes.Sha256(await TestBytes.ReadAllAsync(stream)));

        Assert.Equal(998, stream.Seek(998, SeekOrigin.Begin));
        var across = new byte[5];
        Assert.Equal(5, stream.Read(across));
        Assert.Equal(data[998..1003], across);
        Assert.Equal(data.Length - 3, stream.Seek(-3, SeekOrigin.End));
        Assert.Equal(3, stream.Read(new byte[10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Position = -1);
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
    }

    [Fact]
    public async Task A_part_being_filled_reuses_the_blocks_of_an_acknowledged_part()
    {
        var (inner, destination) = NewStore();
        var store = new GatedObjectStore(inner);
        var checkpoints = new RecordingStateStore();
        var sink = await MultipartUploadSink.StartAsync(store, destination, Options(inFlight: 1, budgetParts: 3), checkpoints);
        var data = TestBytes.Random(2 * Part - 1, 11);

        await sink.Stream.WriteAsync(data.AsMemory(0, Part));
        Assert.Equal(1, await store.NextPartAsync());
        await sink.Stream.WriteAsync(data.AsMemory(Part, 1)); // part 2 starts while part 1 is uploading
        Assert.Equal(Part + TestBytes.MiB, sink.Progress.ReservedBytes);
        store.Release(1);
        await checkpoints.WaitForAsync(c => c.Parts.Count == 1); // saved after the part's blocks went back

        await sink.Stream.WriteAsync(data.AsMemory(Part + 1));
        // Part 2's other blocks are part 1's: one part and one block in all, not two parts' buffers.
        Assert.Equal(Part + TestBytes.MiB, sink.Progress.PeakReservedBytes);
        store.Release(2);
        var result = await sink.CompleteAsync();

        Assert.Equal(2, result.PartCount);
        Assert.Equal(TestBytes.Sha256(data), TestBytes.Sha256(await ReadObjectAsync(inner, "bucket", destination.Key)));
        Assert.Equal(Part + TestBytes.MiB, sink.Progress.PeakReservedBytes);
    }
}
