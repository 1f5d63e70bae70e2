
namespace Recorder.Pipeline;

/// <summary>
/// The upload figures of a whole recording: the open segments' sinks read
/// live, plus what the finished ones had reached when they left. A segment
/// moves from open to finished under the same lock the totals are read under,
/// so its bytes are never counted twice or missed.
/// </summary>
internal sealed class SegmentUploads
{
    private readonly Lock _gate = new();
    private readonly List<SegmentRun> _open = [];
    private long _finishedBytes, _finishedRetries;

    public void Opened(SegmentRun run)
    {
        lock (_gate) _open.Add(run);
    }

    /// <summary>The segment was completed or abandoned; its sink's last figures stay in the totals.</summary>
    public void Finished(SegmentRun run)
    {
        lock (_gate)
        {
            if (!_open.Remove(run)) return;
            if (run.Upload is { } last)
            {
                _finishedBytes += last.UploadedBytes;
                _finishedRetries += last.Retries;
            }
        }
    }

    /// <summary>The segments being written now, in number order.</summary>
    public IReadOnlyList<SegmentRun> Open()
    {
        lock (_gate) return _open.OrderBy(r => r.Number).ToArray();
    }

    public (long BytesUploaded, int PartsInFlight, long Retries) Totals()
    {
        lock (_gate)
        {
            long bytes = _finishedBytes, retries = _finishedRetries;
            var inFlight = 0;
            foreach (var run in _open)
            {
                if (run.Upload is not { } now) continue;
                bytes += now.UploadedBytes;
                retries += now.Retries;
                inFlight += now.PartsInFlight;
            }
            return (bytes, inFlight, retries);
        }
    }
}
