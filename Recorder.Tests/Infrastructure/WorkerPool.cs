using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// N <c>recorder-service</c> processes on one PostgreSQL database and one
/// bucket (a pool of workers, as on N machines), with the API calls the pool
/// tests make. Each worker has a state folder of its own; their logs go to the
/// test output when the pool is disposed.
/// </summary>
public sealed class WorkerPool : IAsyncDisposable
{
    private readonly List<ServiceProcess> _workers = [];
    private readonly List<string> _states = [];
    private readonly ITestOutputHelper _log;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private WorkerPool(ITestOutputHelper log, string database, string bucket)
    {
        _log = log;
        Database = database;
        Bucket = bucket;
    }

    public string Database { get; }
    public string Bucket { get; }
    public IReadOnlyList<ServiceProcess> Workers => _workers;

    /// <summary>Starts <paramref name="count"/> workers one after the other (the first creates Hangfire's schema).</summary>
    public static async Task<WorkerPool> StartAsync(CephFixture ceph, PostgresFixture postgres, ITestOutputHelper log, int count, int capacity,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var pool = new WorkerPool(log, await postgres.CreateDatabaseAsync("pool"), await ceph.CreateBucketAsync("pool"));
        try
        {
            for (var i = 0; i < count; i++) await pool.AddWorkerAsync(ceph, capacity, settings);
        }
        catch
        {
            await pool.DisposeAsync();
            throw;
        }
        return pool;
    }

    public async Task<ServiceProcess> AddWorkerAsync(CephFixture ceph, int capacity, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var state = Directory.CreateTempSubdirectory("recorder-worker-").FullName;
        _states.Add(state);
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["RECORDER_POSTGRES"] = Database,
            ["RECORDER_CAPACITY"] = capacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var worker = await ServiceProcess.StartAsync(ceph, Bucket, state, all);
        _workers.Add(worker);
        return worker;
    }

    /// <summary>A live worker's URL (the API is the same on every worker).</summary>
    private string Url => _workers.First(w => !w.HasExited && !w.Paused).Url;

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, Url + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Registers a host; returns its API token.</summary>
    public async Task<string> AddHostAsync(string recipient) =>
        (await SendAsync(HttpMethod.Post, "/hosts", ServiceInstance.DefaultOperatorToken, new { name = "Pool host", recipients = new[] { recipient } }))
        .GetProperty("token").GetString()!;

    public async Task<string> CreateRecordingAsync(string token, object body) =>
        (await SendAsync(HttpMethod.Post, "/recordings", token, body)).GetProperty("recordingId").GetString()!;

    public Task<JsonElement> GetRecordingAsync(string token, string id) => SendAsync(HttpMethod.Get, $"/recordings/{id}", token);

    /// <summary>The state of each of the host's recordings (up to 100), in one request.</summary>
    public async Task<Dictionary<string, string>> StatesAsync(string token) =>
        (await SendAsync(HttpMethod.Get, "/recordings?limit=100", token)).GetProperty("items").EnumerateArray()
            .ToDictionary(r => r.GetProperty("recordingId").GetString()!, r => r.GetProperty("state").GetString()!);

    /// <summary>Polls until the recording is in <paramref name="state"/> (or ended, when waiting for completed/failed).</summary>
    public async Task<JsonElement> WaitForStateAsync(string token, string id, string state, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        JsonElement recording = default;
        while (DateTime.UtcNow < until)
        {
            recording = await GetRecordingAsync(token, id);
            var now = recording.GetProperty("state").GetString();
            if (now == state || now is "completed" or "failed") return recording;
            await Task.Delay(200);
        }
        throw new TimeoutException($"recording {id} did not reach {state} within {timeout.TotalSeconds} s: {recording}");
    }

    /// <summary>The worker whose log says it started a process for the recording (the latest such run).</summary>
    public ServiceProcess WorkerRunning(string recordingId) =>
        _workers.Last(w => w.Output.Contains($"recording {recordingId}: process ", StringComparison.Ordinal));

    /// <summary>How many recording processes each worker started for the recording, per worker.</summary>
    public int RunsOf(ServiceProcess worker, string recordingId) =>
        worker.Output.Split('\n').Count(l => l.Contains($"recording {recordingId}: process ", StringComparison.Ordinal) && l.Contains(" started for host ", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
            _log.WriteLine($"--- worker {worker.Url} ---\n{worker.Output}");
        }
        foreach (var state in _states)
        {
            try
            {
                Directory.Delete(state, recursive: true);
            }
            catch (IOException)
            {
                // A worker's last write raced the deletion: the folder is temporary anyway.
            }
        }
        _http.Dispose();
    }
}

/// <summary>The recorder processes of one recording, found by its id on their command line (nothing else carries it).</summary>
public static class RecordingProcesses
{
    public static List<int> Of(string recordingId) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(int.Parse!)
            .Where(pid =>
            {
                try
                {
                    return File.ReadAllText($"/proc/{pid}/cmdline").Contains(recordingId, StringComparison.Ordinal);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return false;
                }
            }).ToList();
}
