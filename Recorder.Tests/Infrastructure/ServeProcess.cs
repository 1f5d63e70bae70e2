using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// <c>recorder serve</c> as a real child process of the test (through a launcher),
/// on a free port of 127.0.0.1 read from the service's own "Now listening on"
/// line. Stopped with SIGTERM, as systemd stops it; killed if a test leaves it running.
/// </summary>
public sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The process the test started (the launcher's PID, which exec keeps).</summary>
    public int Id => _process.Id;

    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    /// <param name="launcher">The <c>recorder</c> launcher to run.</param>
    /// <param name="flags">The flags after <c>serve</c>; include <c>--urls http://127.0.0.1:0</c>.</param>
    /// <param name="environment">Variables to set (null: remove); the test's own RECORDER_* variables are removed first.</param>
    public static ServeProcess Start(string launcher, IReadOnlyList<string> flags, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(launcher) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("serve");
        foreach (var flag in flags) info.ArgumentList.Add(flag);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("RECORDER_", StringComparison.Ordinal)).ToArray()) info.Environment.Remove(name);
        foreach (var (name, value) in environment)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        var serve = new ServeProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {launcher}"));
        serve._process.OutputDataReceived += (_, e) => serve.Read(e.Data);
        serve._process.ErrorDataReceived += (_, e) => serve.Read(e.Data);
        serve._process.BeginOutputReadLine();
        serve._process.BeginErrorReadLine();
        return serve;
    }

    /// <summary>The URL the service listens on, once it says so; fails if it exits first or takes longer than <paramref name="timeout"/>.</summary>
    public async Task<string> WaitUntilListeningAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited).WaitAsync(timeout);
        if (first != _listening.Task) throw new InvalidOperationException($"serve exited with {_process.ExitCode} before listening:\n{Log}");
        return await _listening.Task;
    }

    /// <summary>SIGTERM, then the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!Recorder.Pipeline.ProcessSignals.Terminate(_process.Id)) throw new InvalidOperationException($"kill failed (errno {Marshal.GetLastPInvokeError()})");
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    private void Read(string? line)
    {
        if (line is null) return;
        lock (_log) _log.Append(line).Append('\n');
        if (Regex.Match(line, @"Now listening on: (http://127\.0\.0\.1:\d+)") is { Success: true } m) _listening.TrySetResult(m.Groups[1].Value);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
