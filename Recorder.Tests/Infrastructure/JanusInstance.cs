namespace Recorder.Tests.Infrastructure;

/// <summary>
/// A Janus started by localstack/janus-start.sh (bound to 127.0.0.1, its own
/// folder and ports), stopped by janus-stop.sh, which signals only the PID it
/// recorded. <see cref="RestartAsync"/> stops it and starts it again on the
/// same ports, for tests of a Janus restart.
/// </summary>
public sealed class JanusInstance : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(1);
    private readonly bool _owned;

    private JanusInstance(string dir, Uri apiUrl, bool owned)
    {
        Dir = dir;
        ApiUrl = apiUrl;
        _owned = owned;
    }

    public string Dir { get; }
    public Uri ApiUrl { get; }

    public static async Task<JanusInstance> StartAsync()
    {
        var result = await ProcessRunner.RunAsync(RepositoryPaths.LocalStack("janus-start.sh"), [], ScriptTimeout);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"localstack/janus-start.sh failed ({result.ExitCode}); run localstack/install.sh janus first. {result.StandardError}");
        return FromExports(CephFixture.ReadExports(result.StandardOutput), owned: true);
    }

    /// <summary>The instance scripts/test.sh started (RECORDER_JANUS_DIR), or null.</summary>
    public static async Task<JanusInstance?> FromEnvironmentAsync()
    {
        if (Environment.GetEnvironmentVariable("RECORDER_JANUS_DIR") is not { Length: > 0 } dir || !Directory.Exists(dir)) return null;
        return FromExports(CephFixture.ReadExports(await File.ReadAllTextAsync(Path.Combine(dir, "env"))), owned: false);
    }

    private static JanusInstance FromExports(IReadOnlyDictionary<string, string> env, bool owned)
    {
        var url = new Uri(env["RECORDER_JANUS_URL"]);
        if (url.Host != "127.0.0.1") throw new InvalidOperationException($"Janus must listen on 127.0.0.1, got {url}");
        return new JanusInstance(env["RECORDER_JANUS_DIR"], url, owned);
    }

    /// <summary>janus://127.0.0.1:PORT/janus?room=… for this instance.</summary>
    public string MeetingUri(long room, string extra = "") => $"janus://127.0.0.1:{ApiUrl.Port}/janus?room={room}{extra}";

    public async Task StopKeepingFolderAsync()
    {
        var r = await ProcessRunner.RunAsync(RepositoryPaths.LocalStack("janus-stop.sh"), ["--keep", Dir], ScriptTimeout);
        if (r.ExitCode != 0) throw new InvalidOperationException($"janus-stop.sh --keep failed: {r.StandardError}");
    }

    public async Task StartAgainAsync()
    {
        var r = await ProcessRunner.RunAsync(RepositoryPaths.LocalStack("janus-start.sh"), ["--restart", Dir], ScriptTimeout);
        if (r.ExitCode != 0) throw new InvalidOperationException($"janus-start.sh --restart failed: {r.StandardError}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned) await ProcessRunner.RunAsync(RepositoryPaths.LocalStack("janus-stop.sh"), [Dir], ScriptTimeout);
    }
}
