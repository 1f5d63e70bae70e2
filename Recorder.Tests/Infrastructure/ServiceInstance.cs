using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// The real recorder service, in this test process: Kestrel on 127.0.0.1 (a
/// free port), the embedded store in its own folder, the local Ceph as S3, and
/// recordings run as real child processes of the installed recorder (the
/// native one when RECORDER_NATIVE_CLI is set, else the Release build's
/// launcher). Stop it and start another on the same folder to test a restart.
/// </summary>
public sealed class ServiceInstance : IAsyncDisposable
{
    public const string OperatorToken = "test-operator-token-0123456789abcdef0123456789";
    private readonly WebApplication _app;

    private ServiceInstance(WebApplication app, string url, string stateDirectory, string bucket)
    {
        _app = app;
        Url = url;
        StateDirectory = stateDirectory;
        Bucket = bucket;
    }

    public string Url { get; }
    public string StateDirectory { get; }
    public string Bucket { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>The recorder program children run as (for tests that start it themselves).</summary>
    public static string RecorderProgram =>
        Environment.GetEnvironmentVariable(RepositoryPaths.NativeCliVariable) is { Length: > 0 } native && File.Exists(native) ? native : RepositoryPaths.RecorderLauncher;

    /// <param name="settings">RECORDER_* variables on top of the defaults here (bucket, token, program, Ceph's AWS_*).</param>
    public static async Task<ServiceInstance> StartAsync(CephFixture ceph, string bucket, IReadOnlyDictionary<string, string?>? settings = null,
        string? stateDirectory = null, ITestOutputHelper? log = null)
    {
        stateDirectory ??= Directory.CreateTempSubdirectory("recorder-service-").FullName;
        var environment = new Dictionary<string, string?>(CliRunner.CephEnvironment(ceph.Options))
        {
            ["RECORDER_OPERATOR_TOKEN"] = OperatorToken,
            ["RECORDER_PROGRAM"] = RecorderProgram,
            ["HOME"] = stateDirectory,
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>()) environment[name] = value;
        var app = Recorder.Service.RecorderServiceApp.Build(["--urls", "http://127.0.0.1:0", "--bucket", bucket, "--state-dir", stateDirectory],
            name => environment.GetValueOrDefault(name), builder =>
            {
                builder.Logging.ClearProviders();
                if (log is not null) builder.Logging.AddProvider(new TestOutputLoggerProvider(log));
            });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ServiceInstance(app, url, stateDirectory, bucket);
    }

    public HttpClient Client(string? token = OperatorToken)
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
    public async Task<JsonElement> WaitUntilEndedAsync(string token, string recordingId, TimeSpan timeout) =>
        await WaitForStateAsync(token, recordingId, timeout, "completed", "failed");

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

    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
