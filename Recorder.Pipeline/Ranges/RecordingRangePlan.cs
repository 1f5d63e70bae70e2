using Recorder.Pipeline.Text;

namespace Recorder.Pipeline.Ranges;

/// <summary>
/// Which plaintext bytes of which segments hold a stretch of recording time, from the
/// manifest's fragment index. A fragment starts on a video keyframe, so the stretch
/// starts at the fragment that holds <c>from</c> (at most one fragment early) and ends
/// with the fragment that holds the moment just before <c>to</c> (at most one fragment
/// late): the output covers the request. Times are recording time: a segment's
/// <c>mediaStartSeconds</c> plus the fragment's time within it.
/// </summary>
public sealed record RecordingRangePlan(IReadOnlyList<SegmentSlice> Slices, double FromSeconds, double ToSeconds)
{
    /// <summary>Recording time the output starts at (its time 0).</summary>
    public double StartSeconds => Slices[0].StartSeconds;

    /// <summary>Recording time the output ends at.</summary>
    public double EndSeconds => Slices[^1].EndSeconds;

    /// <summary>Length of the output's timeline (gaps between segments included).</summary>
    public double WrittenSeconds => EndSeconds - StartSeconds;

    /// <param name="onlySegment">Plan within this segment number only (SOURCE was a segment).</param>
    /// <exception cref="RecordingRangeException">The range is outside the recording, in a gap, or the index is missing.</exception>
    public static RecordingRangePlan Create(RecordingManifest manifest, TimeSpan from, TimeSpan? to, int? onlySegment = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var segments = manifest.Segments.Where(s => onlySegment is null || s.Number == onlySegment).ToList();
        if (segments.Count == 0) throw new RecordingRangeException("the manifest lists no segments", null);
        var where = onlySegment is { } n ? $"segment {n}" : "the recording";
        var begin = segments[0].MediaStartSeconds;
        var end = segments.Max(s => s.MediaStartSeconds + s.DurationSeconds);
        var (f, t) = (from.TotalSeconds, Math.Min(to?.TotalSeconds ?? double.MaxValue, end));
        var span = $"{where} runs from {RecordingTimeText.Format(begin)} to {RecordingTimeText.Format(end)}";
        if (f >= end)
            throw new RecordingRangeException($"--from {RecordingTimeText.Format(f)} is past the end of {where} ({RecordingTimeText.Format(end)})", span);
        if (t <= begin)
            throw new RecordingRangeException($"--to {RecordingTimeText.Format(t)} is before {where} starts ({RecordingTimeText.Format(begin)})", span);

        var slices = new List<SegmentSlice>();
        foreach (var segment in segments)
        {
            var start = segment.MediaStartSeconds;
            if (start + segment.DurationSeconds <= f || start >= t) continue;
            slices.Add(Slice(segment, f, t));
        }
        if (slices.Count == 0) throw InGap(segments, f, t);
        return new RecordingRangePlan(slices, f, t);
    }

    private static SegmentSlice Slice(ManifestSegment segment, double from, double to)
    {
        var index = segment.Fragments;
        if (segment.InitSegmentBytes is not { } init || init <= 0 || index.Count == 0)
            throw new RecordingRangeException($"segment {segment.Number} has no fragment index in the manifest",
                "decrypt the whole segment, or a byte range with --offset/--length");
        for (var i = 0; i < index.Count; i++)
        {
            if (index[i].Length != 2 || index[i][1] < init || (i > 0 && (index[i][0] < index[i - 1][0] || index[i][1] <= index[i - 1][1]))
                || index[i][1] >= segment.PlaintextBytes)
                throw new RecordingRangeException($"segment {segment.Number}: the manifest's fragment index is malformed at entry {i}", null);
        }
        var start = segment.MediaStartSeconds;
        // The last fragment starting at or before `from` (the first one when `from` is before it).
        var first = 0;
        while (first + 1 < index.Count && start + index[first + 1][0] <= from) first++;
        // The last fragment starting before `to`.
        var last = first;
        while (last + 1 < index.Count && start + index[last + 1][0] < to) last++;
        var endOffset = last + 1 < index.Count ? (long)index[last + 1][1] : segment.PlaintextBytes;
        var endTime = last + 1 < index.Count ? index[last + 1][0] : segment.DurationSeconds;
        return new SegmentSlice(segment, init, (long)index[first][1], endOffset, start + index[first][0], start + endTime, first, last - first + 1);
    }

    private static RecordingRangeException InGap(List<ManifestSegment> segments, double from, double to)
    {
        var before = segments.Last(s => s.MediaStartSeconds < to);
        var after = segments.First(s => s.MediaStartSeconds >= to);
        var gapFrom = before.MediaStartSeconds + before.DurationSeconds;
        return new RecordingRangeException(
            $"{RecordingTimeText.Format(from)}–{RecordingTimeText.Format(to)} falls in a gap between segments {before.Number} and {after.Number}: " +
            $"nothing was recorded from {RecordingTimeText.Format(gapFrom)} to {RecordingTimeText.Format(after.MediaStartSeconds)}",
            "choose a range that overlaps a segment (the manifest lists each segment's mediaStartSeconds and durationSeconds)");
    }
}

/// <summary>
/// The part of one segment a range needs: its init segment (plaintext bytes 0 … <see cref="InitBytes"/>)
/// and the whole fragments in plaintext bytes <see cref="Start"/> … <see cref="End"/>, which cover
/// recording time <see cref="StartSeconds"/> … <see cref="EndSeconds"/>.
/// </summary>
public sealed record SegmentSlice(ManifestSegment Segment, long InitBytes, long Start, long End, double StartSeconds, double EndSeconds,
    int FirstFragment, int FragmentCount);

/// <summary>A time range that cannot be cut from the recording: the message says why, the hint what to do.</summary>
public sealed class RecordingRangeException(string message, string? hint) : Exception(message)
{
    public string? Hint { get; } = hint;
}
