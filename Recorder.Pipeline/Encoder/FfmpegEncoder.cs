using System.ComponentModel;
using System.Diagnostics;

namespace Recorder.Pipeline.Encoder;

/// <summary>
/// ffmpeg as a child process, driven through stdin (the Matroska feed) and
/// stdout (fragmented MP4) only: no files, no named pipes, no sockets. stderr
/// is kept as a bounded tail for error messages. A watchdog kills ffmpeg when
/// input keeps arriving but no output appears for <see cref="FfmpegEncoderOptions.StallTimeout"/>
/// while the output is being read (a full stdout is the upload's back-pressure, not a stall).
/// </summary>
public sealed class FfmpegEncoder : IAsyncDisposable
{
    private readonly Process _process;
    private readonly BoundedLineTail _stderr;
    private readonly CancellationTokenSource _watchdogStop = new();
    private readonly Task _watchdog;
    private readonly ActivityStream _output;
    private long _lastInputTicks;
    private long _lastOutputTicks;
    private volatile bool _stalled;

    private FfmpegEncoder(Process process, FfmpegEncoderOptions options, BoundedLineTail stderr)
    {
        _process = process;
        _stderr = stderr;
        Options = options;
        _lastOutputTicks = _lastInputTicks = Environment.TickCount64;
        Input = new ActivityStream(process.StandardInput.BaseStream, write: true, () => _lastInputTicks = Environment.TickCount64);
        _output = new ActivityStream(process.StandardOutput.BaseStream, write: false, () => _lastOutputTicks = Environment.TickCount64);
        _watchdog = WatchAsync(_watchdogStop.Token);
    }

    public FfmpegEncoderOptions Options { get; }
    public int ProcessId => _process.Id;

    /// <summary>ffmpeg's stdin: write the Matroska feed here; dispose it to end the recording.</summary>
    public Stream Input { get; }

    /// <summary>ffmpeg's stdout: fragmented MP4.</summary>
    public Stream Output => _output;

    public string StderrTail => _stderr.ToString();

    public static FfmpegEncoder Start(FfmpegEncoderOptions options)
    {
        var info = FfmpegProcess.StartInfo(options.FfmpegPath, options.Arguments());

        var stderr = new BoundedLineTail(options.StderrTailLines);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) => stderr.Add(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new FfmpegException($"could not start '{options.FfmpegPath}': {ex.Message} (is ffmpeg installed? localstack/install.sh ffmpeg)", null, "");
        }
        process.BeginErrorReadLine();
        EnlargePipe(process.StandardInput.BaseStream);
        return new FfmpegEncoder(process, options, stderr);
    }

    /// <summary>
    /// Waits for ffmpeg to exit after its input was closed. Throws
    /// <see cref="FfmpegException"/> with the exit code and stderr tail when it
    /// failed or stalled.
    /// </summary>
    public async Task WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _watchdogStop.CancelAsync().ConfigureAwait(false);
        if (_stalled)
            throw new FfmpegException($"ffmpeg stalled: no output for {Options.StallTimeout.TotalSeconds:0} s while input kept arriving", _process.ExitCode, StderrTail);
        if (_process.ExitCode != 0)
            throw new FfmpegException($"ffmpeg exited with code {_process.ExitCode}", _process.ExitCode, StderrTail);
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _watchdogStop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _watchdog.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The watchdog ends by cancellation.
        }
        _watchdogStop.Dispose();
        _process.Dispose();
    }

    /// <summary>
    /// Raw 720p video is 41 MB/s; through the default 64 KiB pipe that is about
    /// twenty wake-ups of each side per frame. A 1 MiB pipe (the unprivileged
    /// maximum) halves the writer's CPU. Best effort: the default still works.
    /// </summary>
    private static void EnlargePipe(Stream stdin)
    {
        const int SetPipeSize = 1031; // F_SETPIPE_SZ
        if (stdin is System.IO.Pipes.PipeStream pipe)
            _ = SetPipeSizeNative((int)pipe.SafePipeHandle.DangerousGetHandle(), SetPipeSize, 1 << 20);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int SetPipeSizeNative(int fd, int command, int size);

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var sinceOutput = Environment.TickCount64 - Volatile.Read(ref _lastOutputTicks);
            var inputNewer = Volatile.Read(ref _lastInputTicks) > Volatile.Read(ref _lastOutputTicks);
            // Only while its output is being waited for: a full stdout is back-pressure from a slow upload.
            if (inputNewer && _output.ReadWaiting && sinceOutput > Options.StallTimeout.TotalMilliseconds && !_process.HasExited)
            {
                _stalled = true;
                Kill();
                return;
            }
        }
    }
}
