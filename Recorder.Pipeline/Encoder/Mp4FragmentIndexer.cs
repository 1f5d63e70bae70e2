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
    private readonly Dictionary<uint, Mp4Track> _tracks = [];
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
        foreach (var (trackId, track) in Mp4Boxes.ReadTracks(moov)) _tracks[trackId] = track;
    }

    private void ReadFragment(ReadOnlySpan<byte> moof, long offset)
    {
        InitSegmentLength ??= offset;
        double? time = null;
        foreach (var traf in Mp4Boxes.Children(moof, Traf))
        {
            var tfhd = Mp4Boxes.First(traf, Tfhd);
            var tfdt = Mp4Boxes.First(traf, Tfdt);
            if (tfhd.Length < 8 || tfdt.Length < 8) continue;
            var trackId = BinaryPrimitives.ReadUInt32BigEndian(tfhd[4..]);
            if (!_tracks.TryGetValue(trackId, out var track)) continue;
            var seconds = Mp4Boxes.DecodeTime(tfdt) / (double)track.Timescale;
            // Prefer the video track's time: fragments start on video keyframes.
            if (track.IsVideo || time is null) time = seconds;
            if (track.IsVideo) break;
        }
        if (time is { } t) _entries.Add(new FragmentIndexEntry(t, offset));
    }

    private static readonly uint Mdat = Mp4Boxes.Fourcc("mdat"), Moov = Mp4Boxes.Fourcc("moov"), Moof = Mp4Boxes.Fourcc("moof"),
        Traf = Mp4Boxes.Fourcc("traf"), Tfhd = Mp4Boxes.Fourcc("tfhd"), Tfdt = Mp4Boxes.Fourcc("tfdt");
}
