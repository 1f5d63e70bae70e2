using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// A webhook receiver on 127.0.0.1, as a host would run one: it checks each
/// message's Standard Webhooks signature with the host's secret and keeps
/// what arrived. It can be down (nothing listening on its port) and come up
/// later on the same port, to test retries.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<Received> _received = new();
    private WebApplication? _app;

    public sealed record Received(string Id, string Timestamp, string Type, JsonElement Data, bool SignatureValid, DateTimeOffset At);

    private WebhookReceiver(int port) => Port = port;

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/hooks/recorder";

    /// <summary>The secret to check signatures with (the registration returns it after the URL is known).</summary>
    public string? Secret { get; set; }

    public IReadOnlyList<Received> Messages => _received.ToArray();

    /// <summary>Attempts answered (including refused ones answered 500 by <see cref="FailNext"/>).</summary>
    public int Attempts => _attempts;

    private int _attempts;
    private int _failNext;

    /// <summary>The next <paramref name="count"/> attempts are answered 500.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    /// <summary>A receiver with a port reserved but nothing listening yet (down).</summary>
    public static WebhookReceiver Down() => new(FreePort.Next());

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = Down();
        await receiver.UpAsync();
        return receiver;
    }

    public async Task UpAsync()
    {
        if (_app is not null) return;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        var app = builder.Build();
        app.MapPost("/hooks/recorder", HandleAsync);
        await app.StartAsync();
        _app = app;
    }

    public async Task DownAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    /// <summary>Waits until a message of <paramref name="type"/> arrived (about one for this recording), or fails after the timeout.</summary>
    public async Task<Received> WaitForAsync(string type, string recordingId, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var found = Messages.FirstOrDefault(m => m.Type == type && m.Data.GetProperty("recordingId").GetString() == recordingId);
            if (found is not null) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no {type} webhook for {recordingId} within {timeout}; got: {string.Join(", ", Messages.Select(m => m.Type))}");
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _attempts);
        if (Interlocked.Decrement(ref _failNext) >= 0) return Results.StatusCode(500);
        Interlocked.Exchange(ref _failNext, 0);
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var id = request.Headers["webhook-id"].ToString();
        var timestamp = request.Headers["webhook-timestamp"].ToString();
        var valid = Secret is not null && SignatureMatches(Secret, id, timestamp, body, request.Headers["webhook-signature"].ToString());
        using var document = JsonDocument.Parse(body);
        _received.Enqueue(new Received(id, timestamp, document.RootElement.GetProperty("type").GetString()!,
            document.RootElement.GetProperty("data").Clone(), valid, DateTimeOffset.UtcNow));
        return Results.NoContent();
    }

    /// <summary>The receiver's own check, written from the Standard Webhooks specification (not the service's signer).</summary>
    private static bool SignatureMatches(string secret, string id, string timestamp, string body, string header)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return header.Split(' ').Contains(expected, StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync() => await DownAsync();
}
