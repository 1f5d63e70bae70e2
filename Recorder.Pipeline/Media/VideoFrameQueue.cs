namespace Recorder.Pipeline.Media;

/// <summary>
/// A participant's decoded pictures waiting for their presentation time on
/// the recording clock, in a fixed pool of frames: when the pool runs dry
/// the oldest waiting picture is recycled (dropped), never a new one
/// allocated. The network side rents and publishes; the recording clock
/// reads the latest picture that is due. The lock guards a few reference
/// moves only; no caller waits on I/O under it.
/// </summary>
public sealed class VideoFrameQueue(int poolFrames = 6)
{
    private readonly Lock _gate = new();
    private readonly Queue<(I420Frame Frame, TimeSpan Due)> _pending = new(poolFrames);
    private readonly Stack<I420Frame> _free = new(poolFrames);
    private I420Frame? _current;
    private int _allocated;
    private long _dropped;

    public long FramesDropped => Interlocked.Read(ref _dropped);

    /// <summary>A frame of the given size to decode into; hand it back with <see cref="Publish"/> or <see cref="Return"/>.</summary>
    public I420Frame Rent(int width, int height)
    {
        lock (_gate)
        {
            while (_free.TryPop(out var free))
            {
                if (free.Width == width && free.Height == height) return free;
                _allocated--; // a picture of an old size: let it go
            }
            if (_allocated < poolFrames)
            {
                _allocated++;
                return new I420Frame(width, height);
            }
            if (_pending.TryDequeue(out var oldest))
            {
                Interlocked.Increment(ref _dropped);
                if (oldest.Frame.Width == width && oldest.Frame.Height == height) return oldest.Frame;
            }
            return new I420Frame(width, height);
        }
    }

    public void Publish(I420Frame frame, TimeSpan due)
    {
        lock (_gate) _pending.Enqueue((frame, due));
    }

    public void Return(I420Frame frame)
    {
        lock (_gate) _free.Push(frame);
    }

    /// <summary>The latest picture due at <paramref name="at"/> (or the one shown before), valid until the next call.</summary>
    public I420Frame? Read(TimeSpan at)
    {
        lock (_gate)
        {
            while (_pending.TryPeek(out var next) && next.Due <= at)
            {
                _pending.Dequeue();
                if (_current is not null) _free.Push(_current);
                _current = next.Frame;
            }
            return _current;
        }
    }

    /// <summary>Drops every picture (the participant's video restarts from its next keyframe).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            while (_pending.TryDequeue(out var p)) _free.Push(p.Frame);
            if (_current is not null) _free.Push(_current);
            _current = null;
        }
    }
}
