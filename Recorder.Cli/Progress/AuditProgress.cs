using System.Diagnostics;
using System.Text.RegularExpressions;
using Recorder.Pipeline.Audit;

namespace Recorder.Cli.Progress;

/// <summary>
/// <c>audit</c>'s progress on stderr. On a terminal, a live Spectre.Console line with the objects and bytes checked
/// so far, their rate and the time, while each recording's result scrolls above it; the auditor's own count lines
/// (every 500 objects) are then left out, since the live line says more. Elsewhere every line is printed as it
/// comes, as before (a log reads those). Nothing under <c>--quiet</c>.
/// </summary>
internal sealed partial class AuditProgress : IProgress<string>, IAsyncDisposable
{
    private readonly CliContext _context;
    private readonly ProgressDisplay? _display;

    public AuditProgress(CliContext context, BucketAuditor auditor)
    {
        _context = context;
        if (!context.Console.ErrorIsTerminal || context.Output.Quiet) return;
        var clock = Stopwatch.StartNew();
        _display = ProgressDisplay.Start(context.Output, "audit", () =>
        {
            var (objects, bytes, elapsed) = (auditor.ObjectsChecked, auditor.BytesChecked, clock.Elapsed);
            var rate = elapsed.TotalSeconds > 0 ? objects / elapsed.TotalSeconds : 0;
            return new ProgressSnapshot($"{objects} objects, {ByteText.Format(bytes)} checked, {rate:0} objects/s, {ByteText.Duration(elapsed)}", null);
        }, determinate: false, plainInterval: Timeout.InfiniteTimeSpan);
    }

    public void Report(string value)
    {
        if (_display is not null && CountLine().IsMatch(value)) return;
        _context.Output.Notice($"recorder: audit: {value}");
    }

    public ValueTask DisposeAsync() => _display?.StopAsync(null) ?? ValueTask.CompletedTask;

    /// <summary>BucketAuditor's running count: <c>1500 objects, 12 MiB checked</c>.</summary>
    [GeneratedRegex(@"^\d+ objects, \d+ MiB checked$")]
    private static partial Regex CountLine();
}
