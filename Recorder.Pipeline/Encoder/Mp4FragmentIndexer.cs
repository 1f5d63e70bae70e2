using System.Buffers.Binary;

namespace Recorder.Pipeline.Encoder;

/// <summary>
/// Watches a fragmented MP4 byte stream go by and records where each fragment
/// starts and at which media time, so an archivist can decrypt a time range
/// with random access (the init segment, then the fragments covering the
/// range). Only small boxes (moov, moof) are buffered; media data is skipped.
/// Malformed input stops indexing (the recording itself is unaffected).
/// </summary>
public sealed class Mp4FragmentIndexer
{
    private const int MaxBufferedBox = 4 * 1024 * 1024;
    private readonly byte[] _header = new byte[16];
    private readonly List<FragmentIndexEntry> _entries = [];
    private readonly Dictionary<uint, (uint Timescale, bool IsVideo)> _tracks = [];
    private int _headerFill;
    private long _boxStart;
    private long _boxRemaining;
    private byte[]? _body;
    private int _bodyFill;
    private uint _boxType;

    public IReadOnlyList<FragmentIndexEntry> Entries => _entries;

    /// <summary>Bytes of the init segment (ftyp + moov), known once the first fragment starts.</summary>
    public long? InitSegmentLength { get; private set; }

    public long Position { get; private set; }
    public bool Failed { get; private set; }

    /// <summary>Between two top-level boxes.</summary>
    public bool AtTopLevelBoundary => !Failed && _boxRemaining == 0 && _headerFill == 0;

    /// <summary>
    /// Right after the init segment or a whole fragment (its <c>mdat</c>): where a <c>free</c> box may go without
    /// changing what the file means. Not between a <c>moof</c> and its <c>mdat</c>: the moof's data offsets count from it.
    /// </summary>
    public bool AtFragmentBoundary => AtTopLevelBoundary && (_lastCompleted == Mdat || _lastCompleted == Moov);

    private uint _lastCompleted;

    public void Observe(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty && !Failed)
        {
            if (_boxRemaining == 0)
            {
                var take = Math.Min(data.Length, HeaderNeeded() - _headerFill);
                data[..take].CopyTo(_header.AsSpan(_headerFill));
                _headerFill += take;
                Position += take;
                data = data[take..];
                if (_headerFill == HeaderNeeded()) StartBox();
                continue;
            }

            var chunk = (int)Math.Min(data.Length, _boxRemaining);
            if (_body is not null)
            {
                data[..chunk].CopyTo(_body.AsSpan(_bodyFill));
                _bodyFill += chunk;
            }
            _boxRemaining -= chunk;
            Position += chunk;
            data = data[chunk..];
            if (_boxRemaining == 0) EndBox();
        }
    }

    private int HeaderNeeded() => _headerFill >= 8 && BinaryPrimitives.ReadUInt32BigEndian(_header) == 1 ? 16 : 8;

    private void StartBox()
    {
        var size32 = BinaryPrimitives.ReadUInt32BigEndian(_header);
        _boxType = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
        _boxStart = Position - _headerFill;
        long size = size32 == 1 ? (long)BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(8)) : size32;
        var bodyLength = size - _headerFill;
        _headerFill = 0;
        if (size32 == 0 || bodyLength < 0)
        {
            Failed = true; // "to end of file" boxes do not occur in fragmented output
            return;
        }
        _body = null;
        if (_boxType == Moov || _boxType == Moof)
        {
            if (bodyLength > MaxBufferedBox)
            {
                Failed = true;
                return;
            }
            _body = new byte[bodyLength];
            _bodyFill = 0;
        }
        _boxRemaining = bodyLength;
        if (bodyLength == 0) EndBox();
    }

    private void EndBox()
    {
        _lastCompleted = _boxType;
        var body = _body;
        _body = null;
        if (body is null) return;
        if (_boxType == Moov) ReadMovie(body);
        else if (_boxType == Moof) ReadFragment(body, _boxStart);
    }

    private void ReadMovie(ReadOnlySpan<byte> moov)
    {
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
            if (timescale > 0) _tracks[trackId] = (timescale, isVideo);
        }
    }

    private void ReadFragment(ReadOnlySpan<byte> moof, long offset)
    {
        InitSegmentLength ??= offset;
        double? time = null;
        foreach (var traf in Children(moof, Traf))
        {
            var tfhd = First(traf, Tfhd);
            var tfdt = First(traf, Tfdt);
            if (tfhd.Length < 8 || tfdt.Length < 8) continue;
            var trackId = BinaryPrimitives.ReadUInt32BigEndian(tfhd[4..]);
            if (!_tracks.TryGetValue(trackId, out var track)) continue;
            ulong decodeTime = tfdt[0] == 1 && tfdt.Length >= 12
                ? BinaryPrimitives.ReadUInt64BigEndian(tfdt[4..])
                : BinaryPrimitives.ReadUInt32BigEndian(tfdt[4..]);
            var seconds = decodeTime / (double)track.Timescale;
            // Prefer the video track's time: fragments start on video keyframes.
            if (track.IsVideo || time is null) time = seconds;
            if (track.IsVideo) break;
        }
        if (time is { } t) _entries.Add(new FragmentIndexEntry(t, offset));
    }

    private static ReadOnlySpan<byte> First(ReadOnlySpan<byte> parent, uint type)
    {
        foreach (var (childType, start, length) in Boxes(parent))
            if (childType == type) return parent.Slice(start, length);
        return default;
    }

    private static IEnumerable<byte[]> Children(ReadOnlySpan<byte> parent, uint type)
    {
        var found = new List<byte[]>();
        foreach (var (childType, start, length) in Boxes(parent))
            if (childType == type) found.Add(parent.Slice(start, length).ToArray());
        return found;
    }

    /// <summary>Child boxes of a container body: (type, body start, body length); stops at anything malformed.</summary>
    private static List<(uint Type, int Start, int Length)> Boxes(ReadOnlySpan<byte> parent)
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

    private static uint Fourcc(string s) => (uint)(s[0] << 24 | s[1] << 16 | s[2] << 8 | s[3]);
    private static readonly uint Mdat = Fourcc("mdat");
    private static readonly uint Moov = Fourcc("moov"), Moof = Fourcc("moof"), Trak = Fourcc("trak"), Tkhd = Fourcc("tkhd"),
        Mdia = Fourcc("mdia"), Mdhd = Fourcc("mdhd"), Hdlr = Fourcc("hdlr"), Traf = Fourcc("traf"), Tfhd = Fourcc("tfhd"),
        Tfdt = Fourcc("tfdt"), Vide = Fourcc("vide");
}
