using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, or <c>RECORDER_CHROMIUM</c>) headless, driven by the committed node
/// script <c>localstack/browser/driver.mjs</c> with npm <c>playwright-core</c> (pinned in its package-lock.json; no
/// browser is downloaded). scripts/test.sh installs both: <c>localstack/install.sh chromium</c> and <c>npm ci</c> in
/// localstack/browser. Start one per test class (a class fixture): the browser starts once (about 1 s), each
/// <see cref="OpenAsync"/> gets a fresh context. Disposing ends the driver, which closes the browser; a driver that
/// does not end is killed with its process tree — only the processes started here.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    public const string ChromiumVariable = "RECORDER_CHROMIUM";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(120);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions StepJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private SupervisedProcess? _driver;
    private int _nextId;

    /// <summary>The browser's version, as it reported it at start.</summary>
    public string Version { get; private set; } = "";

    /// <summary>How long node and the browser took to start.</summary>
    public TimeSpan StartedIn { get; private set; }

    public static string ChromiumPath => Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static string DriverFolder => RepositoryPaths.LocalStack("browser");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}: run 'localstack/install.sh chromium' as root " +
                $"(scripts/test.sh does), or set {ChromiumVariable} to a Chromium binary");
        if (!Directory.Exists(Path.Combine(DriverFolder, "node_modules", "playwright-core")))
            throw new InvalidOperationException($"playwright-core is not installed in {DriverFolder}: run 'npm ci' there (scripts/test.sh does)");
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            _driver = SupervisedProcess.Start("node", [Path.Combine(DriverFolder, "driver.mjs"), ChromiumPath]);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("node is not on PATH: the browser driver (localstack/browser/driver.mjs) needs Node.js 20 or newer", e);
        }
        var ready = await _driver.NextLineAsync(StartTimeout)
            ?? throw new InvalidOperationException($"the browser driver ended before the browser started:\n{_driver.StandardError}");
        Version = JsonNode.Parse(ready)?["version"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"the browser driver said '{ready}' instead of ready:\n{_driver.StandardError}");
        StartedIn = started.Elapsed;
    }

    /// <summary>Opens <paramref name="url"/> in a fresh context, waits for its load event, and returns what it showed, logged and requested.</summary>
    public async Task<PageVisit> OpenAsync(Uri url, PageProbe? probe = null)
    {
        var driver = _driver ?? throw new InvalidOperationException("the browser is not started");
        probe ??= new PageProbe();
        await _oneAtATime.WaitAsync();
        try
        {
            var id = ++_nextId;
            var command = new JsonObject
            {
                ["id"] = id,
                ["op"] = "open",
                ["url"] = url.AbsoluteUri,
                ["text"] = new JsonArray([.. probe.Text.Select(s => JsonValue.Create(s))]),
                ["count"] = new JsonArray([.. probe.Count.Select(s => JsonValue.Create(s))]),
                ["evaluate"] = new JsonArray([.. probe.Evaluate.Select(s => JsonValue.Create(s))]),
                ["media"] = probe.Media,
                ["screenshot"] = probe.ScreenshotPath,
                ["steps"] = JsonSerializer.SerializeToNode(probe.Steps, StepJson),
            };
            await driver.WriteLineAsync(command.ToJsonString());
            var line = await driver.NextLineAsync(PageTimeout)
                ?? throw new InvalidOperationException($"the browser driver ended while opening {url}:\n{driver.StandardError}");
            var answer = JsonNode.Parse(line)!;
            if (answer["error"]?.GetValue<string>() is { } error) throw new InvalidOperationException($"the browser could not open {url}: {error}");
            if (answer["id"]?.GetValue<int>() != id) throw new InvalidOperationException($"the browser driver answered out of turn: {line}");
            return answer.Deserialize<PageVisit>(Json) ?? throw new InvalidOperationException($"unreadable answer: {line}");
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public async Task DisposeAsync()
    {
        if (_driver is null) return;
        try
        {
            _driver.CloseStandardInput(); // the driver closes the browser and exits
            await _driver.WaitForExitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            await _driver.DisposeAsync(); // kills the driver's process tree only if it is still running
            _driver = null;
        }
    }
}
