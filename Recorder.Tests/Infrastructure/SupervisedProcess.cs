using System.Diagnostics;
using System.Text;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// A long-lived child the test supervises, as the service supervises
/// <c>recorder record --events</c>: stdin stays open until the test closes
/// it, stdout is read line by line when the test asks (so closing it closes
/// the read end at once: no read is left pending), stderr is collected as it
/// comes. <see cref="ProcessRunner"/> is for programs run to completion.
/// </summary>
public sealed class SupervisedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrReader;
    private Task<string?>? _pendingLine;
    private bool _stdoutClosed;

    private SupervisedProcess(Process process)
    {
        _process = process;
        _stderrReader = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
                lock (_stderr) _stderr.Append(line).Append('\n');
        });
    }

    public static SupervisedProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
        {
            if (v is null) info.Environment.Remove(k); // null removes an inherited variable
            else info.Environment[k] = v;
        }
        return new SupervisedProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}"));
    }

    /// <summary>Every stdout line read so far, in order.</summary>
    public IReadOnlyList<string> Lines => _lines;

    public string StandardError
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>The next stdout line; null at the end of stdout.</summary>
    public async Task<string?> NextLineAsync(TimeSpan timeout)
    {
        if (_stdoutClosed) throw new InvalidOperationException("stdout was closed by the test");
        _pendingLine ??= _process.StandardOutput.ReadLineAsync();
        string? line;
        try
        {
            line = await _pendingLine.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no stdout line within {timeout}; stderr so far:\n{StandardError}");
        }
        _pendingLine = null;
        if (line is not null) _lines.Add(line);
        return line;
    }

    /// <summary>Reads stdout lines until one matches; returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var line = await NextLineAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero)
                ?? throw new InvalidOperationException($"stdout ended before the line awaited; stderr:\n{StandardError}");
            if (match(line)) return line;
        }
    }

    /// <summary>Sends a signal (TERM, INT…) to the child, as a supervisor stopping it would (the launcher execs the program: same pid).</summary>
    public async Task SignalAsync(string signal)
    {
        var kill = await ProcessRunner.RunAsync("kill", ["-s", signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -s {signal} failed: {kill.StandardError}");
    }

    /// <summary>Writes one line to the child's stdin, flushed (a command to a driver that answers a line per line).</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The end of stdin for the child (its supervisor let go of it).</summary>
    public void CloseStandardInput() => _process.StandardInput.Close();

    /// <summary>
    /// Closes the read end of the child's stdout, as a supervisor's death does: from now on the
    /// child's writes to stdout fail with EPIPE. Call it between reads (no line pending).
    /// </summary>
    public void CloseStandardOutput()
    {
        if (_pendingLine is not null) throw new InvalidOperationException("a stdout read is pending: the pipe would stay open until it returns");
        _stdoutClosed = true;
        _process.StandardOutput.Dispose();
    }

    /// <summary>Reads what is left of stdout (unless closed), waits for the exit and returns its code; kills the child after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            if (!_stdoutClosed)
                while (await NextLineAsync(Left(deadline)) is not null) { }
            await _process.WaitForExitAsync().WaitAsync(Left(deadline));
            await _stderrReader.WaitAsync(Left(deadline));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the child did not finish within {timeout}; stderr:\n{StandardError}");
        }
        return _process.ExitCode;
    }

    private static TimeSpan Left(DateTime deadline) => deadline > DateTime.UtcNow ? deadline - DateTime.UtcNow : TimeSpan.Zero;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
