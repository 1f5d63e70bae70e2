using System.Buffers.Binary;
using System.Text;
using Recorder.Pipeline.Encoder;

namespace Recorder.Tests.Media;

public sealed class FragmentIndexerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Indexes_fragments_at_their_offsets_and_times_whatever_the_chunking(int chunk)
    {
        // ftyp, moov (video track 1 at 90 kHz, audio track 2 at 48 kHz), then two fragments.
        var ftyp = Box("ftyp", new byte[12]);
        var moov = Box("moov", Trak(1, 90_000, "vide"), Trak(2, 48_000, "soun"));
        var moof1 = Box("moof", Box("traf", FullBox("tfhd", 0, U32(2)), FullBox("tfdt", 1, U64(48_000))),
                                Box("traf", FullBox("tfhd", 0, U32(1)), FullBox("tfdt", 1, U64(90_000))));
        var mdat = Box("mdat", new byte[5000]);
        var moof2 = Box("moof", Box("traf", FullBox("tfhd", 0, U32(1)), FullBox("tfdt", 0, U32(270_000))));
        byte[] file = [.. ftyp, .. moov, .. moof1, .. mdat, .. moof2, .. mdat];

        var indexer = new Mp4FragmentIndexer();
        for (var i = 0; i < file.Length; i += chunk) indexer.Observe(file.AsSpan(i, Math.Min(chunk, file.Length - i)));

        Assert.False(indexer.Failed);
        Assert.Equal(ftyp.Length + moov.Length, indexer.InitSegmentLength);
        Assert.Equal(
            [new FragmentIndexEntry(1.0, ftyp.Length + moov.Length), new FragmentIndexEntry(3.0, ftyp.Length + moov.Length + moof1.Length + mdat.Length)],
            indexer.Entries);
        Assert.Equal(file.Length, indexer.Position);
    }

    [Fact]
    public void A_box_claiming_to_run_to_the_end_of_the_stream_stops_indexing()
    {
        var indexer = new Mp4FragmentIndexer();
        indexer.Observe([0, 0, 0, 0, (byte)'m', (byte)'d', (byte)'a', (byte)'t', 1, 2, 3]);
        Assert.True(indexer.Failed);
    }

    private static byte[] Trak(uint id, uint timescale, string handler) =>
        Box("trak", FullBox("tkhd", 0, [.. new byte[8], .. U32(id), .. new byte[8]]),
            Box("mdia", FullBox("mdhd", 0, [.. new byte[8], .. U32(timescale), .. new byte[8]]),
                        FullBox("hdlr", 0, [.. new byte[4], .. Encoding.ASCII.GetBytes(handler), .. new byte[12]])));

    private static byte[] Box(string type, params byte[][] children)
    {
        var body = children.SelectMany(c => c).ToArray();
        return [.. U32((uint)(body.Length + 8)), .. Encoding.ASCII.GetBytes(type), .. body];
    }

    private static byte[] FullBox(string type, byte version, byte[] body) => Box(type, [version, 0, 0, 0], body);

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }

    private static byte[] U64(ulong v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, v);
        return b;
    }
}
