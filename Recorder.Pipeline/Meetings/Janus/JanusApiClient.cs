using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>
/// The Janus HTTP API for one session and plugin handle: requests, the
/// long-poll that delivers events (and keeps the session alive: Janus expires
/// a session after 60 s without one), and the routing of answers to
/// asynchronous plugin requests (such as <c>join</c>) back to their caller.
/// </summary>
public sealed class JanusApiClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(45);
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _pending = new();

    public JanusApiClient(Uri baseUri)
    {
        _base = new Uri(baseUri.AbsoluteUri.TrimEnd('/') + "/");
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public long SessionId { get; private set; }
    public long HandleId { get; private set; }

    /// <summary>Creates a session and attaches to <paramref name="plugin"/>.</summary>
    public async Task ConnectAsync(string plugin, CancellationToken cancellationToken)
    {
        var created = await PostAsync("", new JsonObject { ["janus"] = "create" }, cancellationToken).ConfigureAwait(false);
        SessionId = Id(created);
        var attached = await PostAsync(Path(), new JsonObject { ["janus"] = "attach", ["plugin"] = plugin }, cancellationToken).ConfigureAwait(false);
        HandleId = Id(attached);
    }

    /// <summary>A synchronous plugin request; returns the plugin's data or throws <see cref="JanusApiException"/>.</summary>
    public async Task<JsonObject> RequestAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var answer = await PostAsync($"{Path()}/{HandleId}", new JsonObject { ["janus"] = "message", ["body"] = body }, cancellationToken).ConfigureAwait(false);
        return PluginData(answer, RequestName(body));
    }

    /// <summary>An asynchronous plugin request (Janus acks it, the result comes as an event); needs <see cref="PollAsync"/> running.</summary>
    public async Task<JsonObject> RequestWithEventAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var transaction = NewTransaction();
        var result = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[transaction] = result;
        try
        {
            await PostAsync($"{Path()}/{HandleId}", new JsonObject { ["janus"] = "message", ["body"] = body }, cancellationToken, transaction).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RequestTimeout);
            var evt = await result.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            return PluginData(evt, RequestName(body));
        }
        finally
        {
            _pending.TryRemove(transaction, out _);
        }
    }

    /// <summary>Waits (up to about 30 s, Janus's long-poll) for events; answers to pending requests are routed, the rest returned.</summary>
    public async Task<IReadOnlyList<JsonObject>> PollAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PollTimeout);
        using var response = await _http.GetAsync(new Uri(_base, $"{Path()}?maxev=10&rid={Environment.TickCount64}"), timeout.Token).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var node = await response.Content.ReadFromJsonAsync(JanusJson.Default.JsonNode, timeout.Token).ConfigureAwait(false);
        var events = node is JsonArray array ? array.OfType<JsonObject>().ToList() : node is JsonObject single ? [single] : [];
        var unclaimed = new List<JsonObject>(events.Count);
        foreach (var e in events)
        {
            var kind = (string?)e["janus"];
            if (kind == "keepalive" || kind == "ack") continue;
            if (kind == "error" && (int?)e["error"]?["code"] == JanusApiException.NoSuchSession)
                throw new JanusApiException(JanusApiException.NoSuchSession, $"Janus no longer knows the session ({(string?)e["error"]?["reason"]})");
            if ((string?)e["transaction"] is { } t && _pending.TryGetValue(t, out var waiter) && e["plugindata"] is not null)
            {
                waiter.TrySetResult(e);
                continue;
            }
            unclaimed.Add(e);
        }
        return unclaimed;
    }

    /// <summary>Destroys the session (and with it the handle and its room membership); errors are ignored: this is cleanup.</summary>
    public async Task DestroyAsync(CancellationToken cancellationToken)
    {
        if (SessionId == 0) return;
        try
        {
            await PostAsync(Path(), new JsonObject { ["janus"] = "destroy" }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or JanusApiException or OperationCanceledException)
        {
            // Janus is gone or already forgot the session: nothing left to clean up.
        }
        SessionId = 0;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A room or publisher id as Janus takes it: a number, or a string where Janus runs with string_ids.</summary>
    public static JsonNode IdNode(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(id);

    private string Path() => SessionId.ToString(CultureInfo.InvariantCulture);

    private async Task<JsonObject> PostAsync(string path, JsonObject request, CancellationToken cancellationToken, string? transaction = null)
    {
        request["transaction"] = transaction ?? NewTransaction();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var response = await _http.PostAsJsonAsync(new Uri(_base, path), request, JanusJson.Default.JsonObject, timeout.Token).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync(JanusJson.Default.JsonObject, timeout.Token).ConfigureAwait(false)
            ?? throw new JanusApiException(0, "Janus sent an empty answer");
        if ((string?)answer["janus"] == "error")
        {
            var code = (int?)answer["error"]?["code"] ?? 0;
            throw new JanusApiException(code, $"Janus refused '{(string?)request["janus"]}': {(string?)answer["error"]?["reason"]} (error {code})");
        }
        return answer;
    }

    private static JsonObject PluginData(JsonObject answer, string request)
    {
        var data = answer["plugindata"]?["data"] as JsonObject
            ?? throw new JanusApiException(0, $"Janus answered '{request}' without plugin data");
        if (data["error_code"] is { } code)
            throw new JanusApiException((int)code, $"the VideoRoom refused '{request}': {(string?)data["error"]} (error {(int)code})");
        return data;
    }

    private static long Id(JsonObject answer) => (long?)answer["data"]?["id"] ?? throw new JanusApiException(0, "Janus answered without an id");

    private static string RequestName(JsonObject body) => (string?)body["request"] ?? "?";

    private static string NewTransaction() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}

/// <summary>Source-generated JSON for the API's documents (kept as nodes): no reflection, so the CLI can be compiled ahead of time.</summary>
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class JanusJson : JsonSerializerContext;
