using System.Diagnostics;
using System.Text;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// The service as its own process (the Release build's <c>recorder-service</c>),
/// for what only a real process shows: SIGTERM draining, SIGKILL, exit codes.
/// Its output is kept for the test log.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, string url, string stateDirectory)
    {
        _process = process;
        Url = url;
        StateDirectory = stateDirectory;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Url { get; }
    public string StateDirectory { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static string Program => Path.Combine(RepositoryPaths.Root, "Recorder.Service", "bin",
        AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release", "net10.0", "recorder-service");

    public static async Task<ServiceProcess> StartAsync(CephFixture ceph, string bucket, string stateDirectory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo(Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--urls", $"http://127.0.0.1:{port}", "--bucket", bucket, "--state-dir", stateDirectory }) info.ArgumentList.Add(a);
        // Only the settings given here: not a RECORDER_POSTGRES or RECORDER_BUCKET of whoever runs the tests.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("RECORDER_", StringComparison.Ordinal)).ToList()) info.Environment.Remove(name);
        foreach (var (name, value) in CliRunner.CephEnvironment(ceph.Options)) info.Environment[name] = value;
        info.Environment["RECORDER_OPERATOR_TOKEN"] = ServiceInstance.DefaultOperatorToken;
        info.Environment["RECORDER_PROGRAM"] = ServiceInstance.RecorderProgram;
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>()) info.Environment[name] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Program}");
        var service = new ServiceProcess(process, $"http://127.0.0.1:{port}", stateDirectory);
        using var http = new HttpClient();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync($"{service.Url}/healthz")).IsSuccessStatusCode) return service;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        await service.DisposeAsync();
        throw new InvalidOperationException($"the service did not come up: {service.Output}");
    }

    public async Task SignalAsync(string signal)
    {
        Assert.Equal(0, (await ProcessRunner.RunAsync("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10))).ExitCode);
        if (signal is "STOP" or "CONT") Paused = signal == "STOP";
    }

    /// <summary>Stopped by SIGSTOP (it answers nothing until SIGCONT).</summary>
    public bool Paused { get; private set; }

    /// <summary>Waits for the process to exit; false after the timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

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
