using System.Threading.Channels;
using Recorder.Pipeline.Events;

namespace Recorder.Cli.IO;

/// <summary>
/// The stdout of <c>record --events</c>: one JSON line per event, in the order
/// posted, each flushed on its own. Posting only queues — the pipeline posts
/// from its own threads, once from the live edge's clock — and one task
/// writes, so a supervisor that stops reading stalls that task, never the
/// recording; once the queue is full, further events are dropped.
/// </summary>
internal sealed class EventLines
{
    /// <summary>Over half an hour of progress events: a supervisor that reads at all never loses one.</summary>
    private const int Capacity = 1024;

    private readonly Channel<RecordingEvent> _queue = Channel.CreateBounded<RecordingEvent>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CliOutput _output;
    private readonly Task _writer;

    public EventLines(CliOutput output)
    {
        _output = output;
        _writer = Task.Run(WriteAllAsync);
    }

    /// <summary>Queues an event; never waits. Nothing is taken after <see cref="CloseAsync"/>.</summary>
    public void Post(RecordingEvent e) => _queue.Writer.TryWrite(e);

    /// <summary>
    /// Queues <paramref name="last"/> (completed or failed) behind everything posted so far, takes
    /// nothing more, and waits up to <paramref name="timeout"/> for the lines to be written: a
    /// stdout nobody reads must not keep the process from exiting with its recording done.
    /// </summary>
    public async Task CloseAsync(RecordingEvent last, TimeSpan timeout)
    {
        _queue.Writer.TryWrite(last);
        _queue.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Stuck on a full pipe: the exit code still tells the supervisor, if there is one.
        }
    }

    private async Task WriteAllAsync()
    {
        var dropping = false;
        await foreach (var e in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (dropping || _output.EventLine(e)) continue;
            // The write failed and was dropped (CliOutput.DropFailedWrites): say so once, stop trying.
            dropping = true;
            _output.Warning("stdout cannot be written: events are dropped from here on; the recording goes on");
        }
    }
}
