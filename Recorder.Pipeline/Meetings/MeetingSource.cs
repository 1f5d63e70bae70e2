using System.Threading.Channels;

namespace Recorder.Pipeline.Meetings;

/// <summary>
/// A meeting joined as a silent participant: who is present, their media, and
/// when the meeting ends. The recording clock calls <see cref="Snapshot"/> on
/// every tick; it must not block.
/// </summary>
public abstract class MeetingSource : IAsyncDisposable
{
    /// <summary>Roster events are informational and few; if nobody reads them, the oldest are dropped.</summary>
    private readonly Channel<RosterEvent> _events = Channel.CreateBounded<RosterEvent>(
        new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly TaskCompletionSource<MeetingEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Where the source connects, safe to log (no secrets or PINs).</summary>
    public abstract string Description { get; }

    /// <summary>
    /// True when media is generated on demand, so a recording may run faster
    /// than real time (tests, benchmarks). Real meetings are live: false.
    /// </summary>
    public virtual bool SupportsVirtualTime => false;

    public ChannelReader<RosterEvent> Events => _events.Reader;

    /// <summary>Completes when the meeting ends on its own (room destroyed, everyone gone, simulation over).</summary>
    public Task<MeetingEnd> Ended => _ended.Task;

    /// <summary>Joins the meeting; returns when the source can serve snapshots.</summary>
    public abstract Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Fills <paramref name="present"/> with the participants present at <paramref name="at"/>, in join order.</summary>
    public abstract void Snapshot(TimeSpan at, List<Participant> present);

    public virtual ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected void Publish(RosterEvent e) => _events.Writer.TryWrite(e);

    protected void End(TimeSpan at, string reason)
    {
        if (_ended.TrySetResult(new MeetingEnd(at, reason))) _events.Writer.TryComplete();
    }
}
