using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Recorder.Service;
using Xunit.Abstractions;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// The real recorder service (RecorderServiceApp, as <c>recorder serve</c> runs it)
/// in this process: Kestrel on a free port of 127.0.0.1, the embedded store in a
/// folder of its own, the local Ceph S3, and recordings run as real child
/// processes of the installed recorder (the native one when RECORDER_NATIVE_CLI
/// is set, else the Release build's launcher). Only the variables given here are
/// visible to it; no machine credentials are read. Stop it and start another on
/// the same folder to test a restart.
/// </summary>
public sealed class ServiceInstance : IAsyncDisposable
{
    /// <summary>The operator token every test service takes (ServiceProcess too).</summary>
    public const string DefaultOperatorToken = "rec_op_test_0123456789abcdef0123456789abcdef0123456789";
    private readonly bool _ownsStateDirectory;

    private ServiceInstance(WebApplication app, string url, string bucket, string stateDirectory, bool ownsStateDirectory)
    {
        App = app;
        Url = url;
        Bucket = bucket;
        StateDirectory = stateDirectory;
        _ownsStateDirectory = ownsStateDirectory;
    }

    public WebApplication App { get; }

    /// <summary>The address it listens on, e.g. http://127.0.0.1:41235.</summary>
    public string Url { get; }

    public string OperatorToken => DefaultOperatorToken;

    public string Bucket { get; }

    public string StateDirectory { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The recorder program children run as (for tests that start it themselves).</summary>
    public static string RecorderProgram =>
        Environment.GetEnvironmentVariable(RepositoryPaths.NativeCliVariable) is { Length: > 0 } native && File.Exists(native) ? native : RepositoryPaths.RecorderLauncher;

    /// <param name="environment">Extra variables for the service (null values hide a variable).</param>
    /// <param name="configure">Replaces services before the app is built (RecorderServiceApp.Build's hook).</param>
    /// <param name="output">Where the service's log goes; without it the log is dropped.</param>
    /// <param name="stateDirectory">The store's folder, kept afterwards (a restart); by default a new one, deleted on disposal.</param>
    public static async Task<ServiceInstance> StartAsync(CephFixture ceph, string bucket, ITestOutputHelper? output = null,
        IReadOnlyDictionary<string, string?>? environment = null, Action<WebApplicationBuilder>? configure = null, string? stateDirectory = null)
    {
        var owns = stateDirectory is null;
        stateDirectory ??= Directory.CreateTempSubdirectory("recorder-service-").FullName;
        var variables = new Dictionary<string, string?>(CliRunner.CephEnvironment(ceph.Options), StringComparer.Ordinal)
        {
            ["RECORDER_OPERATOR_TOKEN"] = DefaultOperatorToken,
            ["RECORDER_PROGRAM"] = RecorderProgram,
            ["HOME"] = stateDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) variables[name] = value;
        WebApplication? app = null;
        try
        {
            app = RecorderServiceApp.Build(["--urls", "http://127.0.0.1:0", "--bucket", bucket, "--state-dir", stateDirectory],
                name => variables.GetValueOrDefault(name), builder =>
                {
                    builder.Logging.ClearProviders();
                    if (output is not null) builder.Logging.AddProvider(new TestOutputLoggerProvider(output));
                    configure?.Invoke(builder);
                });
            await app.StartAsync();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                ?? throw new InvalidOperationException("the server reports no addresses");
            var url = addresses.Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
            return new ServiceInstance(app, url, bucket, stateDirectory, owns);
        }
        catch
        {
            if (app is not null) await app.DisposeAsync();
            if (owns) Directory.Delete(stateDirectory, recursive: true);
            throw;
        }
    }

    /// <summary>The CLI's environment for calling this service with <paramref name="token"/> (RECORDER_URL, RECORDER_TOKEN).</summary>
    public IReadOnlyDictionary<string, string?> CliEnvironment(string token) => new Dictionary<string, string?>
    {
        ["RECORDER_URL"] = Url,
        ["RECORDER_TOKEN"] = token,
    };

    public HttpClient Client(string? token = DefaultOperatorToken)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Registers a host; returns its id and token.</summary>
    public async Task<(string HostId, string Token)> AddHostAsync(string name, IReadOnlyList<string> recipients, string? webhookUrl = null,
        string? displayName = null)
    {
        using var client = Client();
        using var response = await client.PostAsJsonAsync("/hosts", new { name, recipients, webhookUrl, displayName });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /hosts: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return (document.RootElement.GetProperty("hostId").GetString()!, document.RootElement.GetProperty("token").GetString()!);
    }

    /// <summary>Starts (or schedules) a recording as the host; returns its id.</summary>
    public async Task<string> ScheduleAsync(string token, object request)
    {
        using var client = Client(token);
        using var response = await client.PostAsJsonAsync("/recordings", request);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"POST /recordings: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("recordingId").GetString()!;
    }

    public async Task<JsonElement> GetRecordingAsync(string token, string recordingId)
    {
        using var client = Client(token);
        var body = await client.GetStringAsync($"/recordings/{recordingId}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Polls until the recording is completed or failed; fails the test after the timeout.</summary>
    public Task<JsonElement> WaitUntilEndedAsync(string token, string recordingId, TimeSpan timeout) =>
        WaitForStateAsync(token, recordingId, timeout, "completed", "failed");

    public async Task<JsonElement> WaitForStateAsync(string token, string recordingId, TimeSpan timeout, params string[] states)
    {
        var until = DateTime.UtcNow + timeout;
        JsonElement recording = default;
        while (DateTime.UtcNow < until)
        {
            recording = await GetRecordingAsync(token, recordingId);
            if (states.Contains(recording.GetProperty("state").GetString())) return recording;
            await Task.Delay(200);
        }
        throw new TimeoutException($"recording {recordingId} did not reach {string.Join("/", states)} within {timeout}: {recording}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync();
        }
        finally
        {
            await App.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (_ownsStateDirectory) Directory.Delete(StateDirectory, recursive: true);
        }
    }
}

/// <summary>The service's log into the test's output.</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, categoryName.Split('.').Last());

    public void Dispose()
    {
    }
}
