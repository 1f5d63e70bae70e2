namespace Recorder.Pipeline.Rtp;

/// <summary>
/// Maps one stream's RTP timestamps onto the recording clock. The offset
/// between media time and arrival time is the smallest one seen (the packet
/// that was delayed least), so jitter never pulls media late; it is raised
/// again when a whole window of packets arrived later than it predicts (the
/// sender's clock runs slow, or the path got slower), and re-anchored at once
/// when the timestamps jump (a sender restart or a pause).
/// Add a playout delay to the result before scheduling anything by it.
/// </summary>
public sealed class RtpTimeline(int clockRate)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Jump = TimeSpan.FromSeconds(1);
    private bool _started;
    private uint _lastTimestamp;
    private long _extended;
    private TimeSpan _offset;
    private TimeSpan _windowStart;
    private TimeSpan _windowMin;

    public int ClockRate { get; } = clockRate;

    /// <summary>How often the mapping was re-anchored after a jump.</summary>
    public int Reanchors { get; private set; }

    /// <summary>Where media with RTP time <paramref name="timestamp"/> belongs on the recording clock, given it arrived at <paramref name="arrival"/>.</summary>
    public TimeSpan Map(uint timestamp, TimeSpan arrival)
    {
        if (!_started)
        {
            _started = true;
            _extended = timestamp;
            _lastTimestamp = timestamp;
            _offset = arrival - Seconds(_extended);
            _windowStart = arrival;
            _windowMin = TimeSpan.MaxValue;
            return arrival;
        }
        _extended += unchecked((int)(timestamp - _lastTimestamp));
        _lastTimestamp = timestamp;
        var media = Seconds(_extended);
        var candidate = arrival - media;
        if (candidate < _offset) _offset = candidate;
        else if (candidate - _offset > Jump)
        {
            _offset = candidate;
            _windowStart = arrival;
            _windowMin = TimeSpan.MaxValue;
            Reanchors++;
        }
        if (candidate < _windowMin) _windowMin = candidate;
        if (arrival - _windowStart >= Window)
        {
            if (_windowMin - _offset > Tolerance) _offset = _windowMin;
            _windowStart = arrival;
            _windowMin = TimeSpan.MaxValue;
        }
        return media + _offset;
    }

    /// <summary>Starts over (a new forwarder, a restarted sender).</summary>
    public void Reset() => _started = false;

    private TimeSpan Seconds(long ticksOfClock) => TimeSpan.FromTicks(ticksOfClock * TimeSpan.TicksPerSecond / ClockRate);
}
