using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Recorder.Cli.Api;
using Recorder.Cli.IO;
using Recorder.Pipeline;

namespace Recorder.Cli.Commands;

/// <summary>
/// The service as the demo runs it: the installed service program (as
/// <c>serve</c> finds it) with the embedded store in a temporary folder, a
/// fresh operator token, a free port on 127.0.0.1 and this machine's S3
/// settings; stopped with SIGTERM (which drains it) and its folder removed.
/// </summary>
internal sealed class DemoService : IAsyncDisposable
{
    private static readonly string[] Passed = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_KMS", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_REQUEST_CHECKSUM_CALCULATION", "AWS_RESPONSE_CHECKSUM_VALIDATION", "AWS_EC2_METADATA_DISABLED"];

    private readonly Process _process;
    private readonly string _state;

    private DemoService(Process process, string state, ServiceEndpoint operatorEndpoint)
    {
        _process = process;
        _state = state;
        Operator = operatorEndpoint;
    }

    public ServiceEndpoint Operator { get; }
    public int ProcessId => _process.Id;

    /// <summary>The same service, called with another token (a host's).</summary>
    public ServiceEndpoint As(string token, string who) => Operator with { Token = token, TokenSource = who };

    public static async Task<DemoService> StartAsync(CliContext context, string bucket, string signingKey, CancellationToken cancellationToken)
    {
        var program = ServeCommand.ServiceProgram(context);
        var recorder = context.Console.Environment("RECORDER_PROGRAM") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "recorder");
        var state = Directory.CreateTempSubdirectory("recorder-demo-service-").FullName;
        var token = "rec_op_demo_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var url = $"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}";
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "--urls", url, "--bucket", bucket, "--state-dir", state, "--signing-key", signingKey }) info.ArgumentList.Add(a);
        // The demo's own service: embedded store and settings, whatever RECORDER_* the user has set.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("RECORDER_", StringComparison.Ordinal)).ToList()) info.Environment.Remove(name);
        foreach (var name in Passed)
        {
            if (context.Console.Environment(name) is { Length: > 0 } value) info.Environment[name] = value;
        }
        info.Environment["RECORDER_OPERATOR_TOKEN"] = token;
        info.Environment["RECORDER_PROGRAM"] = recorder;
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        var process = Process.Start(info) ?? throw new CliException($"could not start {program}");
        // Its log is not the demo's story; it is kept only for an error.
        var log = new BoundedLog();
        process.OutputDataReceived += (_, e) => log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => log.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var endpoint = new ServiceEndpoint(new Uri(url + "/"), url, "the demo", token, "the demo's operator token");
        var service = new DemoService(process, state, endpoint);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync($"{url}/readyz", cancellationToken).ConfigureAwait(false)).StatusCode == HttpStatusCode.OK) return service;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
        await service.DisposeAsync().ConfigureAwait(false);
        throw new CliException($"the service did not become ready within 60 s: {log.Last}", "its /readyz says which part (S3, ffmpeg, the recorder program) is missing");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGTERM (the service drains), then its folder goes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            ProcessSignals.Terminate(_process.Id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    private sealed class BoundedLog
    {
        private readonly Queue<string> _lines = new();

        public string Last
        {
            get
            {
                lock (_lines) return string.Join(" | ", _lines.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("error", StringComparison.OrdinalIgnoreCase)).TakeLast(3));
            }
        }

        public void Add(string? line)
        {
            if (line is null) return;
            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > 50) _lines.Dequeue();
            }
        }
    }
}
