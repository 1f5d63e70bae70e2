using Spectre.Console;

namespace Recorder.Cli.Progress;

/// <summary>What a progress display shows at one moment: a line of text and, when the total is known, how far along it is.</summary>
internal readonly record struct ProgressSnapshot(string Text, double? Fraction);

/// <summary>
/// Progress of a long verb on stderr, in one of three forms: on a terminal, a live
/// Spectre.Console display redrawn in place; otherwise a plain <c>recorder: LABEL: …</c>
/// line every <c>plainInterval</c> (a log or a supervisor reads those), and a closing
/// line only when a line was printed (a quick command stays silent); under
/// <c>--quiet</c>, nothing. Stdout is never touched, so data and JSON stay exact.
/// </summary>
internal sealed class ProgressDisplay : IAsyncDisposable
{
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(200);

    private readonly CliOutput _output;
    private readonly string _label;
    private readonly Func<ProgressSnapshot> _poll;
    private readonly CancellationTokenSource _stop = new();
    private readonly Timer? _timer;
    private readonly Task _live = Task.CompletedTask;
    private int _linesWritten;
    private int _disposed;

    private ProgressDisplay(CliOutput output, string label, Func<ProgressSnapshot> poll, bool determinate, TimeSpan plainInterval)
    {
        (_output, _label, _poll) = (output, label, poll);
        if (output.Quiet) return;
        if (output.Console.ErrorIsTerminal) _live = Task.Run(() => RunLiveAsync(determinate));
        else _timer = new Timer(_ => WritePlainLine(), null, plainInterval, plainInterval);
    }

    /// <param name="determinate">A bar and a percentage (the snapshot's Fraction); else a spinner.</param>
    public static ProgressDisplay Start(CliOutput output, string label, Func<ProgressSnapshot> poll, bool determinate, TimeSpan plainInterval) =>
        new(output, label, poll, determinate, plainInterval);

    /// <summary>Ends the display; <paramref name="closingLine"/> (e.g. totals and the mean rate) is shown when anything was.</summary>
    public async ValueTask StopAsync(string? closingLine)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_timer is not null) await _timer.DisposeAsync();
        await _stop.CancelAsync();
        try
        {
            await _live;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // A display that cannot draw never fails the command it shows.
        }
        if (closingLine is not null && Volatile.Read(ref _linesWritten) > 0 && !_output.Console.ErrorIsTerminal)
            _output.Notice($"recorder: {_label}: {closingLine}");
        _stop.Dispose();
    }

    public ValueTask DisposeAsync() => StopAsync(null);

    private void WritePlainLine()
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        Interlocked.Increment(ref _linesWritten);
        _output.Notice($"recorder: {_label}: {_poll().Text}");
    }

    private async Task RunLiveAsync(bool determinate)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
            Out = new StderrTerminal(_output),
        });
        ProgressColumn[] columns = determinate
            ? [new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn()]
            : [new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }];
        await console.Progress().AutoClear(false).HideCompleted(false).Columns(columns).StartAsync(async ctx =>
        {
            // Notices and warnings while the display is drawn go above it, not across it.
            _output.LiveLines = text => console.Write(new Text(text));
            var task = ctx.AddTask(Describe(_poll()), maxValue: 1.0);
            task.IsIndeterminate = !determinate;
            Interlocked.Increment(ref _linesWritten);
            while (!_stop.IsCancellationRequested)
            {
                Update(task, _poll());
                try
                {
                    await Task.Delay(LiveRefresh, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            Update(task, _poll());
            task.StopTask();
            _output.LiveLines = null;
        });
    }

    private string Describe(ProgressSnapshot snapshot) => Markup.Escape($"{_label}: {snapshot.Text}");

    private void Update(ProgressTask task, ProgressSnapshot snapshot)
    {
        task.Description = Describe(snapshot);
        if (snapshot.Fraction is { } f) task.Value = Math.Clamp(f, 0, 1);
    }
}
