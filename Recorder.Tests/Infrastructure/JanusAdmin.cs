using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// The test's own hands on a Janus VideoRoom over the HTTP API: create and
/// destroy rooms, add and remove "remote publishers" (participants fed with
/// plain RTP by ffmpeg, since Janus skips loopback for ICE). Each call uses a
/// fresh session, so nothing here needs keeping alive.
/// </summary>
public sealed class JanusAdmin(Uri apiUrl) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task CreateRoomAsync(long room, string? pin = null, string? secret = null, int firFrequency = 0)
    {
        var body = new JsonObject { ["request"] = "create", ["room"] = room, ["publishers"] = 16, ["bitrate"] = 512_000 };
        if (pin is not null) body["pin"] = pin;
        if (secret is not null) body["secret"] = secret;
        if (firFrequency > 0) body["fir_freq"] = firFrequency;
        await MessageAsync(body);
    }

    public async Task DestroyRoomAsync(long room, string? secret = null)
    {
        var body = new JsonObject { ["request"] = "destroy", ["room"] = room };
        if (secret is not null) body["secret"] = secret;
        await MessageAsync(body);
    }

    /// <summary>Adds a remote publisher; returns its id and the UDP ports to send its RTP (SSRC 1000 for the first stream, 1010 for the second) and RTCP to.</summary>
    public async Task<RemotePublisherPorts> AddRemotePublisherAsync(long room, string display, bool audio = true, bool video = true, string? secret = null)
    {
        // Janus takes a remote publisher's streams by position: mindex (and so the SSRC 1000 + 10·mindex) counts from 0.
        var streams = new JsonArray();
        if (audio) streams.Add(new JsonObject { ["type"] = "audio", ["mid"] = "0", ["mindex"] = 0, ["codec"] = "opus" });
        if (video) streams.Add(new JsonObject { ["type"] = "video", ["mid"] = audio ? "1" : "0", ["mindex"] = audio ? 1 : 0, ["codec"] = "vp8" });
        var body = new JsonObject
        {
            ["request"] = "add_remote_publisher", ["room"] = room, ["display"] = display, ["iface"] = "127.0.0.1", ["streams"] = streams,
        };
        if (secret is not null) body["secret"] = secret;
        var data = await MessageAsync(body);
        return new RemotePublisherPorts((long)data["id"]!, (int)data["port"]!, (int)data["rtcp_port"]!);
    }

    public async Task RemoveRemotePublisherAsync(long room, long id, string? secret = null)
    {
        var body = new JsonObject { ["request"] = "remove_remote_publisher", ["room"] = room, ["id"] = id };
        if (secret is not null) body["secret"] = secret;
        await MessageAsync(body);
    }

    public async Task<JsonObject> MessageAsync(JsonObject body)
    {
        var session = (long)(await PostAsync("", new JsonObject { ["janus"] = "create" }))["data"]!["id"]!;
        try
        {
            var handle = (long)(await PostAsync($"/{session}", new JsonObject { ["janus"] = "attach", ["plugin"] = "janus.plugin.videoroom" }))["data"]!["id"]!;
            var answer = await PostAsync($"/{session}/{handle}", new JsonObject { ["janus"] = "message", ["body"] = body });
            var data = (JsonObject)answer["plugindata"]!["data"]!;
            if (data["error_code"] is not null) throw new InvalidOperationException($"Janus refused {(string?)body["request"]}: {(string?)data["error"]}");
            return data;
        }
        finally
        {
            await PostAsync($"/{session}", new JsonObject { ["janus"] = "destroy" });
        }
    }

    private async Task<JsonObject> PostAsync(string path, JsonObject body)
    {
        body["transaction"] = Guid.NewGuid().ToString("N");
        using var response = await _http.PostAsJsonAsync(apiUrl.AbsoluteUri.TrimEnd('/') + path, body);
        response.EnsureSuccessStatusCode();
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        if ((string?)answer["janus"] == "error") throw new InvalidOperationException($"Janus error: {answer["error"]}");
        return answer;
    }

    public void Dispose() => _http.Dispose();
}
