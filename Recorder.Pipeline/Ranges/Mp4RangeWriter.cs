using System.Buffers.Binary;
using Recorder.Pipeline.Encoder;

namespace Recorder.Pipeline.Ranges;

/// <summary>
/// Writes a time range of a recording as one fragmented MP4: the init segment (ftyp + moov)
/// once, then whole fragments of one or more segments, each fragment's baseMediaDecodeTime
/// (<c>tfdt</c>) moved so that the output starts at 0 and every segment sits at its recording
/// time (a gap between segments stays a gap). One init segment can only stand for segments
/// encoded alike, so a segment whose init segment differs from the first one's is refused.
/// Only <c>moof</c> boxes are held in memory; media data streams through.
/// </summary>
public sealed class Mp4RangeWriter(Stream output)
{
    private const int MaxMoofBytes = 4 * 1024 * 1024;
    private static readonly uint Moof = Mp4Boxes.Fourcc("moof"), Traf = Mp4Boxes.Fourcc("traf"), Tfhd = Mp4Boxes.Fourcc("tfhd"),
        Tfdt = Mp4Boxes.Fourcc("tfdt"), Trun = Mp4Boxes.Fourcc("trun"), Moov = Mp4Boxes.Fourcc("moov"), Mvex = Mp4Boxes.Fourcc("mvex"),
        Trex = Mp4Boxes.Fourcc("trex");

    private readonly byte[] _header = new byte[16];
    private byte[]? _init;
    private int _initSegment;
    private Dictionary<uint, Mp4Track> _tracks = [];
    private readonly Dictionary<uint, uint> _defaultDurations = [];
    /// <summary>Per track: the output decode time just after the last sample written.</summary>
    private readonly Dictionary<uint, long> _trackEnds = [];
    /// <summary>Per track: ticks added to this segment's decode times (chosen at its first fragment).</summary>
    private readonly Dictionary<uint, long> _segmentOffsets = [];
    private double _segmentStart;
    private double? _origin;
    private int _headerFill;
    private long _passRemaining;
    private byte[]? _moof;
    private int _moofFill;

    /// <summary>Output seconds of the earliest sample written (0 once anything was).</summary>
    public double? OriginSeconds => _origin;

    /// <summary>
    /// Starts the fragments of another segment, whose plaintext begins with <paramref name="init"/> and whose
    /// first frame is at recording time <paramref name="mediaStartSeconds"/>. The first call writes the init segment.
    /// </summary>
    public async Task BeginSegmentAsync(int segmentNumber, ReadOnlyMemory<byte> init, double mediaStartSeconds, CancellationToken ct)
    {
        if (_headerFill != 0 || _passRemaining != 0 || _moof is not null)
            throw new InvalidDataException("the fragments before ended inside a box");
        if (_init is null)
        {
            var moov = Mp4Boxes.First(init.Span, Moov);
            _tracks = Mp4Boxes.ReadTracks(moov);
            foreach (var trex in Mp4Boxes.Children(Mp4Boxes.First(moov, Mvex), Trex))
                if (trex.Length >= 16) _defaultDurations[BinaryPrimitives.ReadUInt32BigEndian(trex.AsSpan(4))] = BinaryPrimitives.ReadUInt32BigEndian(trex.AsSpan(12));
            if (_tracks.Count == 0) throw new InvalidDataException($"segment {segmentNumber}: the init segment has no tracks");
            _init = init.ToArray();
            _initSegment = segmentNumber;
            await output.WriteAsync(init, ct).ConfigureAwait(false);
        }
        else if (!init.Span.SequenceEqual(_init))
        {
            throw new RecordingRangeException(
                $"segments {_initSegment} and {segmentNumber} were encoded differently (their init segments differ), so one MP4 cannot hold both",
                $"decrypt the stretch of each segment on its own, split at segment {segmentNumber}'s start ({Text.RecordingTimeText.Format(mediaStartSeconds)})");
        }
        _segmentStart = mediaStartSeconds;
        _segmentOffsets.Clear();
    }

    /// <summary>Writes fragment bytes of the current segment (any split; boxes may continue in the next call).</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (_init is null) throw new InvalidOperationException("BeginSegmentAsync first");
        while (!data.IsEmpty)
        {
            if (_passRemaining > 0)
            {
                var n = (int)Math.Min(_passRemaining, data.Length);
                await output.WriteAsync(data[..n], ct).ConfigureAwait(false);
                _passRemaining -= n;
                data = data[n..];
                continue;
            }
            if (_moof is not null)
            {
                var n = Math.Min(_moof.Length - _moofFill, data.Length);
                data.Span[..n].CopyTo(_moof.AsSpan(_moofFill));
                _moofFill += n;
                data = data[n..];
                if (_moofFill == _moof.Length)
                {
                    Rewrite(_moof);
                    await output.WriteAsync(_moof, ct).ConfigureAwait(false);
                    _moof = null;
                }
                continue;
            }
            var need = _headerFill >= 8 && BinaryPrimitives.ReadUInt32BigEndian(_header) == 1 ? 16 : 8;
            var take = Math.Min(need - _headerFill, data.Length);
            data.Span[..take].CopyTo(_header.AsSpan(_headerFill));
            _headerFill += take;
            data = data[take..];
            if (_headerFill == 8 && BinaryPrimitives.ReadUInt32BigEndian(_header) == 1) continue;
            if (_headerFill == need && StartBox(need) is { } header) await output.WriteAsync(header, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Starts a top-level box; returns its header when the box passes through (not a moof).</summary>
    private byte[]? StartBox(int headerLength)
    {
        var size32 = BinaryPrimitives.ReadUInt32BigEndian(_header);
        var type = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
        var size = size32 == 1 ? (long)BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(8)) : size32;
        _headerFill = 0;
        if (size < headerLength) throw new InvalidDataException($"malformed MP4 box (size {size}) in the decrypted fragments");
        if (type == Moof)
        {
            if (size > MaxMoofBytes) throw new InvalidDataException($"a moof box of {size} bytes is larger than expected");
            _moof = new byte[size];
            _header.AsSpan(0, headerLength).CopyTo(_moof);
            _moofFill = headerLength;
            return null;
        }
        _passRemaining = size - headerLength;
        return _header.AsSpan(0, headerLength).ToArray();
    }

    /// <summary>
    /// Moves every track's decode time of one moof to the output's timeline: the segment's recording time, or
    /// just after what the segment before left on that track when its last samples reach past that (a segment's
    /// audio may end a few milliseconds after the next one starts), so decode times only ever grow.
    /// </summary>
    private void Rewrite(byte[] moof)
    {
        var body = moof.AsSpan(8);
        var trafs = new List<(int At, bool Long, uint Track, ulong Time, long Duration)>();
        foreach (var (type, start, length) in Mp4Boxes.Boxes(body))
        {
            if (type != Traf) continue;
            var traf = body.Slice(start, length);
            var tfhd = Mp4Boxes.First(traf, Tfhd);
            if (tfhd.Length < 8) continue;
            var track = BinaryPrimitives.ReadUInt32BigEndian(tfhd[4..]);
            foreach (var (childType, childStart, childLength) in Mp4Boxes.Boxes(traf))
            {
                var child = traf.Slice(childStart, childLength);
                if (childType == Tfdt && childLength >= 8)
                    trafs.Add((8 + start + childStart + 4, child[0] == 1 && childLength >= 12, track, Mp4Boxes.DecodeTime(child), Duration(traf, tfhd, track)));
            }
        }
        // The first fragment written sets the origin: its earliest track starts the output at 0.
        _origin ??= _segmentStart + trafs.Where(t => _tracks.ContainsKey(t.Track))
            .Select(t => t.Time / (double)_tracks[t.Track].Timescale).DefaultIfEmpty(0).Min();
        foreach (var (at, isLong, track, time, duration) in trafs)
        {
            if (!_tracks.TryGetValue(track, out var info)) continue;
            if (!_segmentOffsets.TryGetValue(track, out var offset))
            {
                offset = (long)Math.Round((_segmentStart - _origin.Value) * info.Timescale);
                if (_trackEnds.TryGetValue(track, out var end)) offset = Math.Max(offset, end - (long)time);
                _segmentOffsets[track] = offset;
            }
            var value = Math.Max(0, (long)time + offset);
            if (isLong) BinaryPrimitives.WriteUInt64BigEndian(moof.AsSpan(at), (ulong)value);
            else BinaryPrimitives.WriteUInt32BigEndian(moof.AsSpan(at), checked((uint)value));
            _trackEnds[track] = value + duration;
        }
    }

    /// <summary>Sum of the sample durations of a traf (trun's own, else tfhd's default, else the movie's trex).</summary>
    private long Duration(ReadOnlySpan<byte> traf, ReadOnlySpan<byte> tfhd, uint track)
    {
        var tfhdFlags = BinaryPrimitives.ReadUInt32BigEndian(tfhd) & 0xFFFFFF;
        var at = 8 + ((tfhdFlags & 0x1) != 0 ? 8 : 0) + ((tfhdFlags & 0x2) != 0 ? 4 : 0);
        var fallback = (tfhdFlags & 0x8) != 0 && tfhd.Length >= at + 4
            ? BinaryPrimitives.ReadUInt32BigEndian(tfhd[at..])
            : _defaultDurations.GetValueOrDefault(track);
        long total = 0;
        foreach (var (type, start, length) in Mp4Boxes.Boxes(traf))
        {
            if (type != Trun || length < 8) continue;
            var trun = traf.Slice(start, length);
            var flags = BinaryPrimitives.ReadUInt32BigEndian(trun) & 0xFFFFFF;
            var count = BinaryPrimitives.ReadUInt32BigEndian(trun[4..]);
            if ((flags & 0x100) == 0)
            {
                total += count * (long)fallback;
                continue;
            }
            var pos = 8 + ((flags & 0x1) != 0 ? 4 : 0) + ((flags & 0x4) != 0 ? 4 : 0);
            var stride = 4 * (1 + ((flags & 0x200) != 0 ? 1 : 0) + ((flags & 0x400) != 0 ? 1 : 0) + ((flags & 0x800) != 0 ? 1 : 0));
            for (var i = 0; i < count && pos + 4 <= trun.Length; i++, pos += stride) total += BinaryPrimitives.ReadUInt32BigEndian(trun[pos..]);
        }
        return total;
    }

    /// <summary>Checks the fragments ended at a box boundary and flushes.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        if (_headerFill != 0 || _passRemaining != 0 || _moof is not null)
            throw new InvalidDataException("the decrypted fragments end inside an MP4 box");
        await output.FlushAsync(ct).ConfigureAwait(false);
    }
}
