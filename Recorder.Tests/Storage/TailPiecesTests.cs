using System.Buffers;
using System.Diagnostics;
using Recorder.Storage;
using Recorder.Tests.Infrastructure;
using static Recorder.Tests.Infrastructure.TestBytes;

namespace Recorder.Tests.Storage;

/// <summary>The key scheme of tail pieces: <c>{key}.tail/{part:00000}-{offset:0000000000}</c>, and nothing else parses.</summary>
public sealed class TailPieceKeyTests
{
    [Theory]
    [InlineData("rec/segment-0001.mp4.age", 1, 0L, "rec/segment-0001.mp4.age.tail/00001-0000000000")]
    [InlineData("k", 2, 5_242_880L, "k.tail/00002-0005242880")]
    [InlineData("a/b.c", 10_000, 9_999_999_999L, "a/b.c.tail/10000-9999999999")]
    public void Key_names_part_and_offset_and_parses_back(string key, int part, long offset, string expected)
    {
        Assert.Equal(expected, TailPieces.Key(key, part, offset));
        Assert.Equal((part, offset), TailPieces.Parse(key, expected));
        Assert.StartsWith(TailPieces.Prefix(key), expected);
    }

    [Theory]
    [InlineData("k", "k")] // the object itself
    [InlineData("k", "k.tail/")] // the folder
    [InlineData("k", "other.tail/00001-0000000000")] // another upload's piece
    [InlineData("k", "kk.tail/00001-0000000000")]
    [InlineData("k.tail/00001-0000000000", "k.tail/00001-0000000000")] // the upload key must be the piece's own
    [InlineData("k", "k.tail/00001-000000000")] // offset one digit short
    [InlineData("k", "k.tail/00001-00000000000")] // one digit long
    [InlineData("k", "k.tail/0001-00000000000")] // part one digit short
    [InlineData("k", "k.tail/00001_0000000000")] // wrong separator
    [InlineData("k", "k.tail/0000x-0000000000")]
    [InlineData("k", "k.tail/00001-+000000001")] // signs are not digits
    [InlineData("k", "k.tail/-0001-0000000001")]
    [InlineData("k", "k.tail/ 0001-0000000001")]
    [InlineData("k", "K.tail/00001-0000000000")] // ordinal, case-sensitive
    [InlineData("k", "k.tail/00001-0000000000/x")]
    public void Other_keys_are_not_pieces(string uploadKey, string pieceKey) => Assert.Null(TailPieces.Parse(uploadKey, pieceKey));
}

/// <summary>
/// Tail pieces against the real Ceph gateway: a sink that dies leaves the bytes of the part being filled beside the
/// upload, and recovery appends them, byte for byte; completion and abort leave none; without the option none is made.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TailPiecesTests(CephFixture ceph)
{
    private const int Part = 5 * MiB;
    private const int Write = 64 * 1024;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PastInterval = TimeSpan.FromMilliseconds(350);
    private const string Key = "host/meeting/rec/segment-0001.mp4.age";

    private IObjectStore Store { get; } = new S3ObjectStore(ceph.Client);

    private static MultipartUploadOptions Options(TimeSpan? interval, int inFlight = 2, long minPart = Part, int budgetParts = 0) => new()
    {
        MaxPartsInFlight = inFlight,
        MinPartSizeBytes = minPart,
        MemoryBudgetBytes = (budgetParts == 0 ? inFlight + 1 : budgetParts) * minPart,
        MaxRecordingLengthBytes = 1024L * MiB,
        RetryInitialDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(100),
        OutageWindow = TimeSpan.FromSeconds(30),
        TailCheckpointInterval = interval,
    };

    private sealed record Piece(string Key, int Part, long Offset, long Size);

    private async Task<List<Piece>> PiecesAsync(string bucket, string key = Key) =>
        (await Store.ListObjectsAsync(bucket, TailPieces.Prefix(key), 1000, default).ToListAsync())
        .Select(o => TailPieces.Parse(key, o.Key) is { } at ? new Piece(o.Key, at.Part, at.Offset, o.SizeBytes)
            : throw new InvalidOperationException($"{o.Key} under the piece prefix is not a piece"))
        .ToList();

    private async Task<List<string>> AllKeysAsync(string bucket) =>
        (await Store.ListObjectsAsync(bucket, "", 1000, default).ToListAsync()).Select(o => o.Key).ToList();

    private async Task<byte[]> ReadAsync(string bucket, string key)
    {
        var head = await Store.HeadObjectAsync(bucket, key, default) ?? throw new InvalidOperationException($"no object {key}");
        var data = new byte[head.SizeBytes];
        var read = 0;
        while (read < data.Length) read += await Store.GetRangeAsync(bucket, key, read, data.AsMemory(read), head.ETag, default);
        return data;
    }

    /// <summary>Writes in 64 KiB writes, pausing 60 ms after every fourth, so the interval passes now and then.</summary>
    private static async Task WritePacedAsync(MultipartUploadSink sink, ReadOnlyMemory<byte> data)
    {
        for (var (offset, n) = (0, 0); offset < data.Length; offset += Write, n++)
        {
            await sink.Stream.WriteAsync(data.Slice(offset, Math.Min(Write, data.Length - offset)));
            if (n % 4 == 3) await Task.Delay(60);
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"waited 30 s for {what}");
            await Task.Delay(20);
        }
    }

    private static Task PartsUploadedAsync(MultipartUploadSink sink, int count) =>
        UntilAsync(() => Task.FromResult(sink.Progress.PartsUploaded >= count), $"{count} parts acknowledged");

    /// <summary>The pieces of one part, by offset, run from 0 without hole or overlap, and each holds the stream's bytes there.</summary>
    private async Task<long> AssertPiecesTileAsync(string bucket, IEnumerable<Piece> pieces, byte[] data, long partStart)
    {
        long end = 0;
        foreach (var piece in pieces.OrderBy(p => p.Offset))
        {
            Assert.Equal(end, piece.Offset);
            Assert.True(piece.Size > 0, $"{piece.Key} is empty");
            Assert.Equal(Sha256(data.AsSpan((int)(partStart + piece.Offset), (int)piece.Size)), Sha256(await ReadAsync(bucket, piece.Key)));
            end += piece.Size;
        }
        return end;
    }

    private async Task AssertNothingLeftAsync(string bucket, params string[] objects)
    {
        Assert.Empty(await PiecesAsync(bucket));
        Assert.Equal(objects, await AllKeysAsync(bucket));
        Assert.Empty(await Store.ListMultipartUploadsAsync(bucket, "", 100, default).ToListAsync());
    }

    [Fact]
    public async Task A_crash_after_a_stored_part_is_recovered_with_the_tail_of_the_next_byte_for_byte()
    {
        var bucket = await ceph.CreateBucketAsync("tailcrash");
        var data = Random(7 * MiB + Write, seed: 701);
        var sink = await MultipartUploadSink.StartAsync(Store, new ObjectDestination(bucket, Key), Options(Interval));
        await WritePacedAsync(sink, data.AsMemory(0, 7 * MiB));
        await PartsUploadedAsync(sink, 1);
        // The interval passes before the last write: the last piece ends where the stream does.
        await Task.Delay(PastInterval);
        await sink.Stream.WriteAsync(data.AsMemory(7 * MiB));
        await sink.DisposeAsync(); // the writer dies: no completion, no abort

        Assert.Equal(0, sink.TailCheckpointFailures);
        var pieces = await PiecesAsync(bucket);
        // Part 1 is on S3: its pieces were deleted; part 2's pieces (several) hold all of it there is.
        Assert.All(pieces, p => Assert.Equal(2, p.Part));
        Assert.True(pieces.Count >= 2, $"expected several pieces of part 2, got {pieces.Count}");
        Assert.Equal(data.Length - Part, await AssertPiecesTileAsync(bucket, pieces, data, Part));
        Assert.Equal([1], (await Store.ListPartsAsync(sink.Upload, 100, default).ToListAsync()).Select(p => p.PartNumber));

        var result = await new MultipartUploadRecovery(Store).RecoverAsync(sink.Upload, RecoveryPolicy.CompleteTruncated);

        Assert.Equal(RecoveryOutcome.CompletedTruncated, result.Outcome);
        Assert.Equal(data.Length, result.LengthBytes);
        Assert.Equal(2, result.PartCount);
        Assert.Empty(result.DiscardedPartNumbers);
        Assert.Equal(Sha256(data), Sha256(await ReadAsync(bucket, Key)));
        Assert.Equal("true", (await Store.GetObjectTagsAsync(bucket, Key, default))[ObjectDestination.TruncatedTagName]);
        await AssertNothingLeftAsync(bucket, Key);
    }

    [Fact]
    public async Task A_crash_at_any_moment_is_recovered_as_the_prefix_the_pieces_reach()
    {
        var bucket = await ceph.CreateBucketAsync("tailany");
        var data = Random(7 * MiB, seed: 702);
        var sink = await MultipartUploadSink.StartAsync(Store, new ObjectDestination(bucket, Key), Options(Interval));
        await WritePacedAsync(sink, data);
        await sink.DisposeAsync(); // no waiting: part 1 may or may not have reached S3

        var pieces = await PiecesAsync(bucket);
        var stored = await Store.ListPartsAsync(sink.Upload, 100, default).ToListAsync();
        Assert.All(stored, p => Assert.Equal(Part, p.SizeBytes));
        // Part 1 is on S3 or whole in its pieces (or both, when the answer to its upload was cut off); part 2's run from 0.
        var first = pieces.Where(p => p.Part == 1).ToList();
        if (first.Count > 0) Assert.Equal(Part, await AssertPiecesTileAsync(bucket, first, data, 0));
        else Assert.Contains(stored, p => p.PartNumber == 1);
        var reach = Part + await AssertPiecesTileAsync(bucket, pieces.Where(p => p.Part == 2), data, Part);
        Assert.True(reach > Part, $"the pieces reach only {reach} bytes");

        var result = await new MultipartUploadRecovery(Store).RecoverAsync(sink.Upload, RecoveryPolicy.CompleteTruncated);

        Assert.Equal(RecoveryOutcome.CompletedTruncated, result.Outcome);
        Assert.Equal(reach, result.LengthBytes);
        var back = await ReadAsync(bucket, Key);
        Assert.Equal(reach, back.Length);
        Assert.Equal(Sha256(data.AsSpan(0, (int)reach)), Sha256(back));
        await AssertNothingLeftAsync(bucket, Key);
    }

    [Fact]
    public async Task Completion_gives_the_whole_stream_and_deletes_every_piece()
    {
        var bucket = await ceph.CreateBucketAsync("taildone");
        var data = Random(7 * MiB + 12_345, seed: 703);
        var sink = await MultipartUploadSink.StartAsync(Store, new ObjectDestination(bucket, Key), Options(Interval));
        await WritePacedAsync(sink, data);
        await PartsUploadedAsync(sink, 1);
        await UntilAsync(async () => (await PiecesAsync(bucket)).Any(p => p.Part == 2), "a piece of part 2");

        var result = await sink.CompleteAsync();
        await sink.DisposeAsync();

        Assert.Equal(data.Length, result.LengthBytes);
        Assert.Equal(2, result.PartCount);
        Assert.Equal(Sha256(data), Sha256(await ReadAsync(bucket, Key)));
        Assert.False((await Store.GetObjectTagsAsync(bucket, Key, default)).ContainsKey(ObjectDestination.TruncatedTagName));
        await AssertNothingLeftAsync(bucket, Key);
    }

    [Fact]
    public async Task Abort_leaves_no_object_no_piece_and_no_upload()
    {
        var bucket = await ceph.CreateBucketAsync("tailabort");
        var data = Random(7 * MiB, seed: 704);
        var sink = await MultipartUploadSink.StartAsync(Store, new ObjectDestination(bucket, Key), Options(Interval));
        await WritePacedAsync(sink, data);
        await UntilAsync(async () => (await PiecesAsync(bucket)).Any(p => p.Part == 2), "a piece of part 2");

        await sink.AbortAsync();
        await sink.DisposeAsync();

        Assert.Null(await Store.HeadObjectAsync(bucket, Key, default));
        await AssertNothingLeftAsync(bucket);
    }

    [Fact]
    public async Task A_crash_within_the_first_part_is_recovered_from_its_pieces_alone()
    {
        var bucket = await ceph.CreateBucketAsync("tailfirst");
        const int write = 60 * 1024;
        var data = Random(5 * write, seed: 705);
        var sink = await MultipartUploadSink.StartAsync(Store, new ObjectDestination(bucket, Key), Options(Interval));
        // The first write makes a piece at once, and each later one after the interval: five pieces of 60 KiB.
        for (var offset = 0; offset < data.Length; offset += write)
        {
            if (offset > 0) await Task.Delay(PastInterval);
            await sink.Stream.WriteAsync(data.AsMemory(offset, write));
        }
        await sink.DisposeAsync();

        var pieces = await PiecesAsync(bucket);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => TailPieces.Key(Key, 1, i * write)), pieces.Select(p => p.Key));
        Assert.Equal(data.Length, await AssertPiecesTileAsync(bucket, pieces, data, 0));
        Assert.Empty(await Store.ListPartsAsync(sink.Upload, 100, default).ToListAsync());

        var result = await new MultipartUploadRecovery(Store).RecoverAsync(sink.Upload, RecoveryPolicy.CompleteTruncated);

        Assert.Equal(RecoveryOutcome.CompletedTruncated, result.Outcome);
        Assert.Equal(data.Length, result.LengthBytes);
        Assert.Equal(1, result.PartCount);
        Assert.Equal(Sha256(data), Sha256(await ReadAsync(bucket, Key)));
        await AssertNothingLeftAsync(bucket, Key);
    }

    [Fact]
    public async Task The_abort_policy_deletes_the_pieces_too()
    {
        var bucket = await ceph.CreateBucketAsync("tailpolicy");
        var data = Random(300 * 1024, seed: 706);
        var sink = await MultipartUploadSink.StartAsync(Store, new ObjectDestination(bucket, Key), Options(Interval));
        await sink.Stream.WriteAsync(data);
        await sink.DisposeAsync();
        Assert.Equal([TailPieces.Key(Key, 1, 0)], (await PiecesAsync(bucket)).Select(p => p.Key));

        var result = await new MultipartUploadRecovery(Store).RecoverAsync(sink.Upload, RecoveryPolicy.Abort);

        Assert.Equal(RecoveryOutcome.Aborted, result.Outcome);
        Assert.Null(await Store.HeadObjectAsync(bucket, Key, default));
        await AssertNothingLeftAsync(bucket);
    }

    [Fact]
    public async Task Without_the_interval_no_piece_is_written_and_a_crash_loses_the_part_being_filled()
    {
        var bucket = await ceph.CreateBucketAsync("tailnone");
        var data = Random(7 * MiB, seed: 707);
        var sink = await MultipartUploadSink.StartAsync(Store, new ObjectDestination(bucket, Key), Options(interval: null));
        await WritePacedAsync(sink, data);
        await PartsUploadedAsync(sink, 1);
        await Task.Delay(PastInterval);
        await sink.DisposeAsync();

        Assert.Empty(await AllKeysAsync(bucket));
        var result = await new MultipartUploadRecovery(Store).RecoverAsync(sink.Upload, RecoveryPolicy.CompleteTruncated);
        Assert.Equal(RecoveryOutcome.CompletedTruncated, result.Outcome);
        Assert.Equal(Part, result.LengthBytes);
        Assert.Equal(Sha256(data.AsSpan(0, Part)), Sha256(await ReadAsync(bucket, Key)));
        await AssertNothingLeftAsync(bucket, Key);
    }

    /// <summary>
    /// The piece that ends part 1 is not stored (one failed PUT) while S3 has not acknowledged part 1 yet, and the
    /// writer dies. Part 1's pieces end 960 KiB short of its end, part 2's run from its start: the recovered object
    /// must still be a prefix of the stream (at most part 1's pieces), never part 1's pieces followed by part 2's.
    /// </summary>
    [Fact]
    public async Task A_lost_final_piece_never_puts_a_hole_in_the_recovered_object()
    {
        var bucket = await ceph.CreateBucketAsync("tailhole");
        const int part = 6 * MiB;
        var data = Random(part + 3 * Write, seed: 708);
        var faulty = new TailFaultStore(Store, failPiece: (n, offset) => n == 1 && offset > 5 * MiB, holdPart: 1);
        var sink = await MultipartUploadSink.StartAsync(faulty, new ObjectDestination(bucket, Key), Options(Interval, minPart: part));
        for (var offset = 0; offset < 5 * MiB; offset += Write) await sink.Stream.WriteAsync(data.AsMemory(offset, Write));
        await Task.Delay(PastInterval);
        await sink.Stream.WriteAsync(data.AsMemory(5 * MiB, Write)); // a piece up to 5 MiB + 64 KiB
        await Task.Delay(PastInterval);
        await sink.Stream.WriteAsync(data.AsMemory(5 * MiB + Write, part - 5 * MiB - Write + 2 * Write)); // fills part 1: its final piece fails
        await Task.Delay(PastInterval);
        await sink.Stream.WriteAsync(data.AsMemory(part + 2 * Write, Write)); // a piece of part 2: [0, 192 KiB)
        await sink.DisposeAsync();

        Assert.Equal(1, sink.TailCheckpointFailures);
        var pieces = await PiecesAsync(bucket);
        Assert.Equal(5 * MiB + Write, await AssertPiecesTileAsync(bucket, pieces.Where(p => p.Part == 1), data, 0));
        Assert.Equal(3 * Write, await AssertPiecesTileAsync(bucket, pieces.Where(p => p.Part == 2), data, part));
        Assert.Empty(await Store.ListPartsAsync(sink.Upload, 100, default).ToListAsync());

        var result = await new MultipartUploadRecovery(Store).RecoverAsync(sink.Upload, RecoveryPolicy.CompleteTruncated);

        var back = await ReadAsync(bucket, Key);
        Assert.Equal(result.LengthBytes, back.Length);
        Assert.Equal(Sha256(data.AsSpan(0, back.Length)), Sha256(back)); // a prefix of the stream
        Assert.True(back.Length <= 5 * MiB + Write, $"the object has {back.Length} bytes, more than the {5 * MiB + Write} the stream's prefix in pieces holds");
    }

    /// <summary>As above with parts of 5 MiB: part 1 rebuilt from its pieces is too small to precede part 2.</summary>
    [Fact]
    public async Task A_lost_final_piece_of_a_5MiB_part_still_leaves_a_recoverable_prefix()
    {
        var bucket = await ceph.CreateBucketAsync("tailhole5");
        var data = Random(Part + 3 * Write, seed: 710);
        var faulty = new TailFaultStore(Store, failPiece: (n, offset) => n == 1 && offset > 4 * MiB, holdPart: 1);
        var sink = await MultipartUploadSink.StartAsync(faulty, new ObjectDestination(bucket, Key), Options(Interval));
        for (var offset = 0; offset < 4 * MiB; offset += Write) await sink.Stream.WriteAsync(data.AsMemory(offset, Write));
        await Task.Delay(PastInterval);
        await sink.Stream.WriteAsync(data.AsMemory(4 * MiB, Write)); // a piece up to 4 MiB + 64 KiB
        await Task.Delay(PastInterval);
        await sink.Stream.WriteAsync(data.AsMemory(4 * MiB + Write, Part - 4 * MiB - Write + 2 * Write)); // fills part 1: its final piece fails
        await Task.Delay(PastInterval);
        await sink.Stream.WriteAsync(data.AsMemory(Part + 2 * Write, Write));
        await sink.DisposeAsync();

        Assert.Equal(1, sink.TailCheckpointFailures);
        var pieces = await PiecesAsync(bucket);
        Assert.Equal(4 * MiB + Write, await AssertPiecesTileAsync(bucket, pieces.Where(p => p.Part == 1), data, 0));
        Assert.Equal(3 * Write, await AssertPiecesTileAsync(bucket, pieces.Where(p => p.Part == 2), data, Part));

        var result = await new MultipartUploadRecovery(Store).RecoverAsync(sink.Upload, RecoveryPolicy.CompleteTruncated);

        Assert.Equal(RecoveryOutcome.CompletedTruncated, result.Outcome);
        var back = await ReadAsync(bucket, Key);
        Assert.Equal(Sha256(data.AsSpan(0, back.Length)), Sha256(back));
        Assert.Equal(4 * MiB + Write, back.Length);
    }

    /// <summary>
    /// Parts 1 and 3 are on S3, part 2 is still in flight (whole in its pieces) and part 4 is being filled (in its
    /// pieces) when the writer dies: every byte written is in S3 or in a piece, so recovery can give all of it.
    /// </summary>
    [Fact]
    public async Task The_pieces_of_the_part_being_filled_count_even_after_a_part_S3_has()
    {
        var bucket = await ceph.CreateBucketAsync("tailgap");
        var data = Random(3 * Part + 300 * 1024, seed: 709);
        var gated = new GatedObjectStore(Store);
        gated.Release(1);
        gated.Release(3);
        var sink = await MultipartUploadSink.StartAsync(gated, new ObjectDestination(bucket, Key), Options(Interval, inFlight: 2, budgetParts: 4));
        await WritePacedAsync(sink, data.AsMemory(0, data.Length - Write));
        await PartsUploadedAsync(sink, 2);
        await Task.Delay(PastInterval);
        await sink.Stream.WriteAsync(data.AsMemory(data.Length - Write));
        await sink.DisposeAsync();

        Assert.Equal([1, 3], (await Store.ListPartsAsync(sink.Upload, 100, default).ToListAsync()).Select(p => p.PartNumber));
        var pieces = await PiecesAsync(bucket);
        Assert.Equal([2, 4], pieces.Select(p => p.Part).Distinct().Order());
        Assert.Equal(Part, await AssertPiecesTileAsync(bucket, pieces.Where(p => p.Part == 2), data, Part));
        Assert.Equal(300 * 1024, await AssertPiecesTileAsync(bucket, pieces.Where(p => p.Part == 4), data, 3 * Part));

        var result = await new MultipartUploadRecovery(Store).RecoverAsync(sink.Upload, RecoveryPolicy.CompleteTruncated);

        Assert.Equal(RecoveryOutcome.CompletedTruncated, result.Outcome);
        var back = await ReadAsync(bucket, Key);
        Assert.Equal(Sha256(data.AsSpan(0, back.Length)), Sha256(back)); // a prefix, whatever its length
        Assert.Equal(data.Length, back.Length); // and all of it: part 4's pieces were there
    }

    /// <summary>Fails the tail-piece PUTs <paramref name="failPiece"/> names, and holds UploadPart of one part until cancelled.</summary>
    private sealed class TailFaultStore(IObjectStore inner, Func<int, long, bool> failPiece, int holdPart)
        : DelegatingObjectStore(inner), IObjectStore
    {
        Task<string> IObjectStore.PutObjectAsync(ObjectDestination destination, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
        {
            var slash = destination.Key.IndexOf(TailPieces.Suffix, StringComparison.Ordinal);
            if (slash > 0 && TailPieces.Parse(destination.Key[..slash], destination.Key) is { } at && failPiece(at.Part, at.Offset))
                return Task.FromException<string>(new StorageTransientException($"{destination}: injected failure"));
            return Inner.PutObjectAsync(destination, content, cancellationToken);
        }

        public override async Task<string> UploadPartAsync(
            MultipartUploadId upload, int partNumber, ReadOnlySequence<byte> content, string contentMd5, CancellationToken cancellationToken)
        {
            if (partNumber == holdPart) await Task.Delay(Timeout.Infinite, cancellationToken);
            return await Inner.UploadPartAsync(upload, partNumber, content, contentMd5, cancellationToken);
        }
    }
}
