using System.Security.Cryptography;
using Recorder.Crypto;
using Recorder.Crypto.Stream;
using Recorder.Pipeline.Ranges;

namespace Recorder.Cli.Ranges;

/// <summary>
/// Writes a <see cref="RecordingRangePlan"/> as one playable MP4: for each segment it fetches the
/// age header (to unwrap the file key once) and exactly the chunks that hold the init segment and
/// the planned fragments, in pieces of <see cref="PieceChunks"/> chunks, up to
/// <see cref="MaxPiecesInFlight"/> fetched and opened at once and written strictly in order, so a
/// player reading stdout starts at once. Memory: at most MaxPiecesInFlight × 2 × PieceChunks × 64 KiB.
/// </summary>
internal static class TimeRangeDecryptor
{
    public const int PieceChunks = 32;
    public const int MaxPiecesInFlight = 6;

    public sealed record Result(long BytesFetched, long SegmentBytes, int Segments);

    public static async Task<Result> RunAsync(RecordingSource source, RecordingRangePlan plan, IReadOnlyList<IIdentity> identities,
        System.IO.Stream output, CliContext context, CancellationToken ct)
    {
        var writer = new Mp4RangeWriter(output);
        long fetched = source.ManifestBytes, total = 0;
        foreach (var slice in plan.Slices)
        {
            var location = source.SegmentLocation(slice.Segment);
            using var segment = await RangedObject.TryOpenAsync(location, context, ct)
                ?? throw new CliException($"segment {slice.Segment.Number} is missing: no {location}");
            total += segment.Length;
            try
            {
                await WriteSliceAsync(segment, slice, identities, writer, ct);
            }
            finally
            {
                fetched += segment.BytesFetched;
            }
        }
        await writer.CompleteAsync(ct);
        return new Result(fetched, total, plan.Slices.Count);
    }

    private static async Task WriteSliceAsync(RangedObject segment, SegmentSlice slice, IReadOnlyList<IIdentity> identities, Mp4RangeWriter writer,
        CancellationToken ct)
    {
        using var opener = await AgeDecryptor.OpenChunksAsync(segment.OpenPrefix(), segment.Length, identities,
            new AgeDecryptOptions { AllowTruncated = slice.Segment.Truncated }, ct);
        var pieces = Pieces(slice, opener.ChunkCount);
        var init = new byte[slice.InitBytes];
        var initFill = 0L;
        var fragmentsWritten = 0L;

        async Task<(long First, byte[] Plain, int Length)> FetchAsync(int i, CancellationToken token)
        {
            var (first, count) = pieces[i];
            var (offset, length) = opener.CiphertextRange(first, count);
            var cipher = new byte[length];
            await segment.ReadExactlyAsync(offset, cipher, token);
            var plain = new byte[count * AgePayloadLayout.ChunkSize];
            return (first, plain, opener.Open(cipher, first, plain));
        }

        async Task ConsumeAsync((long First, byte[] Plain, int Length) piece)
        {
            try
            {
                var pieceStart = piece.First * AgePayloadLayout.ChunkSize;
                var pieceEnd = pieceStart + piece.Length;
                // The init segment first (it may share a chunk with the first fragment).
                var initTake = Intersect(pieceStart, pieceEnd, initFill, slice.InitBytes);
                if (initTake.Length > 0)
                {
                    piece.Plain.AsSpan((int)(initTake.Start - pieceStart), (int)initTake.Length).CopyTo(init.AsSpan((int)initFill));
                    initFill += initTake.Length;
                    if (initFill == slice.InitBytes)
                        await writer.BeginSegmentAsync(slice.Segment.Number, init, slice.Segment.MediaStartSeconds, ct);
                }
                var take = Intersect(pieceStart, pieceEnd, slice.Start + fragmentsWritten, slice.End);
                if (take.Length > 0)
                {
                    if (initFill != slice.InitBytes) throw new InvalidDataException("fragment bytes arrived before the init segment");
                    await writer.WriteAsync(piece.Plain.AsMemory((int)(take.Start - pieceStart), (int)take.Length), ct);
                    fragmentsWritten += take.Length;
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(piece.Plain);
            }
        }

        await OrderedFetch.RunAsync(pieces.Count, MaxPiecesInFlight, FetchAsync, ConsumeAsync, ct);
        if (initFill != slice.InitBytes || fragmentsWritten != slice.End - slice.Start)
            throw new CliException($"segment {slice.Segment.Number} ends before the fragments the manifest lists " +
                $"(plaintext {slice.Start}…{slice.End} expected, {fragmentsWritten} bytes of it found)",
                slice.Segment.Truncated ? "the segment was cut short when its worker died; choose an earlier --to" : null);
    }

    private static (long Start, long Length) Intersect(long aStart, long aEnd, long bStart, long bEnd)
    {
        var start = Math.Max(aStart, bStart);
        return (start, Math.Max(0, Math.Min(aEnd, bEnd) - start));
    }

    /// <summary>The chunk runs to fetch: the init segment's chunks and the fragments' chunks, merged, cut into pieces.</summary>
    private static List<(long First, int Count)> Pieces(SegmentSlice slice, long chunkCount)
    {
        var last = chunkCount - 1;
        var runs = new List<(long First, long Last)>
        {
            (0, Math.Min(last, AgeChunkOpener.ChunkOf(slice.InitBytes - 1))),
            (Math.Min(last, AgeChunkOpener.ChunkOf(slice.Start)), Math.Min(last, AgeChunkOpener.ChunkOf(slice.End - 1))),
        };
        if (runs[1].First <= runs[0].Last + 1) runs = [(0, Math.Max(runs[0].Last, runs[1].Last))];
        var pieces = new List<(long, int)>();
        foreach (var (first, lastChunk) in runs)
            for (var c = first; c <= lastChunk; c += PieceChunks)
                pieces.Add((c, (int)Math.Min(PieceChunks, lastChunk - c + 1)));
        return pieces;
    }
}
