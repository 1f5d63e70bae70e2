using System.Globalization;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// <c>recorder serve</c> as installed: the launcher script, then the CLI, then —
/// through execve, in the same process — the service program. What systemd
/// starts is what answers HTTP and what its SIGTERM reaches.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ServeCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("recorder-serve-");

    [Fact]
    public async Task Serve_becomes_the_service_in_the_same_process_and_exits_0_on_SIGTERM()
    {
        var program = RepositoryPaths.ServiceProgram;
        string[] flags = ["--urls", "http://127.0.0.1:0", "--bucket", "serve-test", "--state-dir", _state.FullName];
        using var serve = ServeProcess.Start(RepositoryPaths.RecorderLauncher, flags, new Dictionary<string, string?> { ["RECORDER_SERVICE_PROGRAM"] = program });

        var url = await serve.WaitUntilListeningAsync(Timeout);
        using var http = new HttpClient();
        using var health = await http.GetAsync(url + "/healthz");
        Assert.Equal(200, (int)health.StatusCode);
        Assert.StartsWith("{\"status\":", await health.Content.ReadAsStringAsync());

        // The process the test started is the service itself: its program, its flags, its listening socket.
        var pid = serve.Id;
        Assert.Equal(RealPath(program), File.ResolveLinkTarget($"/proc/{pid}/exe", returnFinalTarget: false)!.FullName);
        Assert.Equal([program, .. flags], File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries));
        var socket = $"socket:[{ListeningSocketInode(pid, new Uri(url).Port)}]";
        Assert.Contains(Directory.GetFiles($"/proc/{pid}/fd"), fd => File.ResolveLinkTarget(fd, false)?.FullName.EndsWith(socket, StringComparison.Ordinal) == true);
        // And it kept the launcher's hardening: no runtime diagnostics files, no core dumps.
        Assert.Contains("DOTNET_EnableDiagnostics=0", File.ReadAllText($"/proc/{pid}/environ").Split('\0'));
        Assert.Matches(@"Max core file size\s+0\s+0\s", File.ReadAllText($"/proc/{pid}/limits"));

        var exit = await serve.StopAsync(Timeout);
        Assert.True(exit == 0, $"exit {exit}; log:\n{serve.Log}");
        Assert.Contains("Application is shutting down...", serve.Log);
    }

    [Fact]
    public async Task Serve_without_the_service_program_beside_recorder_says_how_to_install_it()
    {
        var directory = Path.GetDirectoryName(RealPath(RepositoryPaths.RecorderAppHost))!;
        var result = await ProcessRunner.RunAsync(RepositoryPaths.RecorderLauncher, ["serve", "--bucket", "b"], Timeout,
            new Dictionary<string, string?> { ["RECORDER_SERVICE_PROGRAM"] = null });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"recorder: error: the service program is not installed beside recorder ({directory}/service/recorder-service)\n"
            + $"recorder: hint: install it with 'dotnet publish Recorder.Service -c Release -r linux-x64 -o {directory}/service' (or set RECORDER_SERVICE_PROGRAM)\n",
            result.StandardError);
    }

    [Fact]
    public async Task Serve_without_the_launcher_refuses_before_starting_the_service()
    {
        var result = await ProcessRunner.RunAsync(RepositoryPaths.RecorderAppHost,
            ["serve", "--urls", "http://127.0.0.1:0", "--bucket", "b", "--state-dir", _state.FullName], Timeout,
            new Dictionary<string, string?> { ["DOTNET_EnableDiagnostics"] = null, ["RECORDER_SERVICE_PROGRAM"] = RepositoryPaths.ServiceProgram });

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("recorder: error: DOTNET_EnableDiagnostics=0 was not set when the runtime started", result.StandardError);
        Assert.Empty(_state.GetFiles()); // the service never ran: no store, no generated token
    }

    /// <summary>The inode of the socket listening on 127.0.0.1:port, from the process's view of /proc/net/tcp.</summary>
    private static string ListeningSocketInode(int pid, int port)
    {
        var local = string.Create(CultureInfo.InvariantCulture, $"0100007F:{port:X4}");
        var line = File.ReadAllLines($"/proc/{pid}/net/tcp").Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Single(f => f[1] == local && f[3] == "0A"); // 0A: LISTEN
        return line[9];
    }

    private static string RealPath(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);

    public void Dispose() => _state.Delete(recursive: true);
}
