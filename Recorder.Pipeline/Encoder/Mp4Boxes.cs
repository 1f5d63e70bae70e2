using System.Buffers.Binary;

namespace Recorder.Pipeline.Encoder;

/// <summary>A track of an MP4 movie: its media timescale (ticks per second) and whether it is video.</summary>
internal readonly record struct Mp4Track(uint Timescale, bool IsVideo);

/// <summary>Reading ISO BMFF boxes from a container's body: what the fragment indexer and the range writer share.</summary>
internal static class Mp4Boxes
{
    public static uint Fourcc(string s) => (uint)(s[0] << 24 | s[1] << 16 | s[2] << 8 | s[3]);

    public static readonly uint Trak = Fourcc("trak"), Tkhd = Fourcc("tkhd"), Mdia = Fourcc("mdia"), Mdhd = Fourcc("mdhd"),
        Hdlr = Fourcc("hdlr"), Vide = Fourcc("vide");

    /// <summary>The tracks of a <c>moov</c> body, by track id.</summary>
    public static Dictionary<uint, Mp4Track> ReadTracks(ReadOnlySpan<byte> moov)
    {
        var tracks = new Dictionary<uint, Mp4Track>();
        foreach (var trak in Children(moov, Trak))
        {
            var tkhd = First(trak, Tkhd);
            var mdia = First(trak, Mdia);
            var mdhd = First(mdia, Mdhd);
            var hdlr = First(mdia, Hdlr);
            if (tkhd.Length < 24 || mdhd.Length < 24 || hdlr.Length < 12) continue;
            var trackId = BinaryPrimitives.ReadUInt32BigEndian(tkhd[(tkhd[0] == 1 ? 20 : 12)..]);
            var timescale = BinaryPrimitives.ReadUInt32BigEndian(mdhd[(mdhd[0] == 1 ? 20 : 12)..]);
            var isVideo = BinaryPrimitives.ReadUInt32BigEndian(hdlr[8..]) == Vide;
            if (timescale > 0) tracks[trackId] = new Mp4Track(timescale, isVideo);
        }
        return tracks;
    }

    /// <summary>baseMediaDecodeTime of a <c>tfdt</c> body (version 0: 32 bits, 1: 64 bits).</summary>
    public static ulong DecodeTime(ReadOnlySpan<byte> tfdt) => tfdt[0] == 1 && tfdt.Length >= 12
        ? BinaryPrimitives.ReadUInt64BigEndian(tfdt[4..])
        : BinaryPrimitives.ReadUInt32BigEndian(tfdt[4..]);

    public static ReadOnlySpan<byte> First(ReadOnlySpan<byte> parent, uint type)
    {
        foreach (var (childType, start, length) in Boxes(parent))
            if (childType == type) return parent.Slice(start, length);
        return default;
    }

    public static IEnumerable<byte[]> Children(ReadOnlySpan<byte> parent, uint type)
    {
        var found = new List<byte[]>();
        foreach (var (childType, start, length) in Boxes(parent))
            if (childType == type) found.Add(parent.Slice(start, length).ToArray());
        return found;
    }

    /// <summary>Child boxes of a container body: (type, body start, body length); stops at anything malformed.</summary>
    public static List<(uint Type, int Start, int Length)> Boxes(ReadOnlySpan<byte> parent)
    {
        var boxes = new List<(uint, int, int)>();
        var pos = 0;
        while (pos + 8 <= parent.Length)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(parent[pos..]);
            var type = BinaryPrimitives.ReadUInt32BigEndian(parent[(pos + 4)..]);
            if (size < 8 || pos + size > parent.Length) break;
            boxes.Add((type, pos + 8, (int)size - 8));
            pos += (int)size;
        }
        return boxes;
    }
}
