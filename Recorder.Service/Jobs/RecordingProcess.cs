using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Recorder.Pipeline;
using Recorder.Pipeline.Events;

namespace Recorder.Service.Jobs;

/// <summary>
/// One recording's child process: <c>recorder record --events …</c>. Its
/// stdout is the event stream, its stderr is logged (and a tail kept for the
/// error), its stdin carries the lease renewals (<c>lease EPOCH VALID-MS</c>):
/// when this service dies the pipe closes and the child finishes its segment
/// on its own, within the lease it was last given, instead of recording on
/// unsupervised. This process never sees media or a file key.
/// </summary>
internal sealed class RecordingProcess : IAsyncDisposable
{
    private const int TailLines = 20;
    private readonly Process _process;
    private readonly Queue<string> _stderrTail = new();
    private readonly Task _stderr;
    private readonly ILogger _logger;

    private RecordingProcess(Process process, ILogger logger)
    {
        _process = process;
        _logger = logger;
        _stderr = Task.Run(ReadStandardErrorAsync);
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static RecordingProcess Start(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment, ILogger logger)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        return new RecordingProcess(process, logger);
    }

    /// <summary>Reads events until the child closes stdout; a line that is not an event is logged and skipped.</summary>
    public async Task ReadEventsAsync(Func<RecordingEvent, Task> onEvent)
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0) continue;
            RecordingEvent recordingEvent;
            try
            {
                recordingEvent = RecordingEvent.Parse(line);
            }
            catch (JsonException e)
            {
                _logger.LogWarning("the recording process wrote a line that is not an event ({Message})", e.Message);
                continue;
            }
            await onEvent(recordingEvent).ConfigureAwait(false);
        }
    }

    /// <summary>Tells the child its lease holds for <paramref name="valid"/> from now; false when the child is gone.</summary>
    public async Task<bool> SendLeaseAsync(long epoch, TimeSpan valid)
    {
        try
        {
            await _process.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"lease {epoch} {(long)Math.Max(0, valid.TotalMilliseconds)}")).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The first SIGTERM finishes the segment; a second aborts.</summary>
    public void Terminate()
    {
        if (!_process.HasExited && !ProcessSignals.Terminate(_process.Id))
            _logger.LogWarning("could not signal the recording process {Pid} (errno {Errno})", _process.Id, Marshal.GetLastPInvokeError());
    }

    public void KillNow()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        await _stderr.ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>The child's last stderr lines (its error and hint lines; the recorder never prints key material).</summary>
    public IReadOnlyList<string> StandardErrorTail
    {
        get
        {
            lock (_stderrTail) return _stderrTail.ToArray();
        }
    }

    private async Task ReadStandardErrorAsync()
    {
        while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            _logger.LogInformation("{Line}", line);
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(line);
                if (_stderrTail.Count > TailLines) _stderrTail.Dequeue();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) KillNow();
        // Closing stdin is how a child learns its supervisor is gone; by now it has exited. Closing flushes what a
        // lease line left in the writer's buffer when the child was already gone: that is "Pipe is broken", and
        // nothing is lost by it (thrown here, it failed a job whose recording had completed, and Hangfire retried it).
        try
        {
            _process.StandardInput.Dispose();
        }
        catch (IOException)
        {
            // The child's end of the pipe is closed.
        }
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}
