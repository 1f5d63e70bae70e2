using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>
/// A Janus VideoRoom joined as a participant that never publishes
/// (<c>janus://</c>). It follows publishers joining, leaving and unpublishing
/// through the session's long-poll, has each publisher's audio and video
/// forwarded to the recorder over SRTP, and ends the meeting when the room is
/// destroyed, when nobody has published for the idle timeout, or when Janus
/// stays unreachable past the reconnect timeout. A lost session (Janus
/// restarted) is rejoined: the recording goes on with whoever publishes then.
/// </summary>
public sealed class JanusMeetingSource : MeetingSource
{
    private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan SuperviseInterval = TimeSpan.FromMilliseconds(250);
    private readonly JanusMeetingOptions _options;
    private readonly JanusRoster _roster;
    private readonly ILogger _log;
    private readonly RecordingClock _clock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private JanusSession? _session;

    public JanusMeetingSource(JanusMeetingOptions options, ILogger? logger = null)
    {
        _options = options;
        _log = logger ?? NullLogger.Instance;
        _roster = new JanusRoster(options, _clock, _log, Publish);
    }

    public JanusMeetingOptions Options => _options;
    public override string Description => _options.Description;

    /// <summary>How often forwarders were replaced because their stream went silent (publisher restarts).</summary>
    public int Reforwards => _roster.Reforwards;

    /// <summary>Recording time as the source sees it (from the clock's first snapshot on).</summary>
    public TimeSpan Now => _clock.Now;

    /// <summary>How often the session was re-established after Janus was lost.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Connects, joins the room without publishing and starts forwarding; throws with Janus's reason when it cannot.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _session = await JoinAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or JanusApiException or JsonException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new InvalidOperationException($"could not join {Description}: {Reason(ex)}", ex);
        }
        _loops.Add(Task.Run(() => SuperviseAsync(_stop.Token), CancellationToken.None));
        _loops.Add(Task.Run(() => PumpAsync(_stop.Token), CancellationToken.None));
        _log.LogInformation("joined {Meeting} without publishing", Description);
    }

    public override void Snapshot(TimeSpan at, List<Participant> present)
    {
        _clock.Align(at);
        present.Clear();
        foreach (var p in _roster.Present) present.Add(p);
    }

    /// <summary>Creates a session, starts its long-poll, joins the room and takes in the publishers already there.</summary>
    private async Task<JanusSession> JoinAsync(CancellationToken cancellationToken)
    {
        var session = new JanusSession(new JanusApiClient(_options.ApiUrl));
        try
        {
            await session.Api.ConnectAsync("janus.plugin.videoroom", cancellationToken).ConfigureAwait(false);
            session.Poll = Task.Run(() => PollAsync(session, _stop.Token), CancellationToken.None);
            var join = new JsonObject
            {
                ["request"] = "join",
                ["ptype"] = "publisher",
                ["room"] = _options.RoomJson(),
                ["display"] = _options.DisplayName,
            };
            if (_options.Pin is { } pin) join["pin"] = pin;
            var joined = await session.Api.RequestWithEventAsync(join, cancellationToken).ConfigureAwait(false);
            await OnRoomEventAsync(session, joined, cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task PollAsync(JanusSession session, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested && !session.Closed)
            {
                foreach (var e in await session.Api.PollAsync(stop).ConfigureAwait(false))
                {
                    var kind = (string?)e["janus"];
                    if (kind is "timeout" or "detached") throw new JanusApiException(JanusApiException.NoSuchSession, $"Janus ended the session ({kind})");
                    if (e["plugindata"]?["data"] is JsonObject data) await OnRoomEventAsync(session, data, stop).ConfigureAwait(false);
                }
            }
        }
        catch (Exception) when (stop.IsCancellationRequested || session.Closed)
        {
            // Stopping, or the session was closed under the poll.
        }
        catch (Exception ex) when (ex is HttpRequestException or JanusApiException or JsonException or OperationCanceledException)
        {
            if (!session.Closed) session.Lost.TrySetResult(Reason(ex));
        }
        catch (Exception ex)
        {
            // Anything else would leave the recording deaf to the room: treat it as a lost session (rejoin, or end saying why).
            _log.LogError(ex, "following {Meeting} failed", Description);
            session.Lost.TrySetResult($"following the room failed: {ex.Message}");
        }
    }

    /// <summary>Applies a VideoRoom event: the room going away, or publishers arriving, changing, leaving.</summary>
    private async Task OnRoomEventAsync(JanusSession session, JsonObject data, CancellationToken cancellationToken)
    {
        if ((string?)data["videoroom"] == "destroyed")
        {
            End(_clock.Now, $"the room {_options.Room} was destroyed");
            return;
        }
        await _roster.ApplyAsync(session, data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every few hundred milliseconds: a lost session, the idle timeout, streams gone silent.</summary>
    private async Task SuperviseAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(SuperviseInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                if (Ended.IsCompleted) return;
                var session = _session!;
                if (session.Lost.Task.IsCompleted)
                {
                    if (!await ReconnectAsync(session, await session.Lost.Task.ConfigureAwait(false), stop).ConfigureAwait(false)) return;
                    continue;
                }
                if (_options.IdleTimeout > TimeSpan.Zero && _roster.Present.Length == 0
                    && Stopwatch.GetElapsedTime(_roster.LastChangeTicks) >= _options.IdleTimeout)
                {
                    End(_clock.Now, $"nobody published in room {_options.Room} for {_options.IdleTimeout.TotalSeconds:0.#} s");
                    return;
                }
                try
                {
                    await _roster.ReforwardSilentStreamsAsync(session, stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or JanusApiException)
                {
                    // Janus itself is in trouble: the long-poll notices and reconnects.
                    _log.LogWarning("could not replace a forwarder: {Message}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Janus was lost: everyone leaves the picture, then the room is rejoined until the reconnect timeout runs out.</summary>
    private async Task<bool> ReconnectAsync(JanusSession lost, string reason, CancellationToken stop)
    {
        _log.LogWarning("lost {Meeting}: {Reason}; reconnecting for up to {Seconds} s", Description, reason, _options.ReconnectTimeout.TotalSeconds);
        await lost.CloseAsync().ConfigureAwait(false);
        await _roster.RemoveAllAsync(null, "was lost with the session", stop).ConfigureAwait(false);

        var deadline = Stopwatch.GetTimestamp() + (long)(_options.ReconnectTimeout.TotalSeconds * Stopwatch.Frequency);
        var lastError = reason;
        while (Stopwatch.GetTimestamp() < deadline && !stop.IsCancellationRequested)
        {
            try
            {
                _session = await JoinAsync(stop).ConfigureAwait(false);
                Reconnects++;
                _log.LogInformation("rejoined {Meeting}", Description);
                return true;
            }
            catch (Exception ex) when (ex is HttpRequestException or JanusApiException or JsonException or TimeoutException
                                       || (ex is OperationCanceledException && !stop.IsCancellationRequested))
            {
                lastError = Reason(ex);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
        }
        End(_clock.Now, $"lost {Description} ({reason}) and could not rejoin within {_options.ReconnectTimeout.TotalSeconds:0.#} s: {lastError}");
        return false;
    }

    private async Task PumpAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(PumpInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                _roster.Pump();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static string Reason(Exception ex) => ex switch
    {
        HttpRequestException http => $"Janus's HTTP API is unreachable ({http.HttpRequestError}: {http.Message})",
        OperationCanceledException => "Janus did not answer in time",
        _ => ex.Message,
    };

    /// <summary>Stops the forwarders, leaves the room (by destroying the session) and releases every socket and decoder.</summary>
    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _roster.RemoveAllAsync(_session, "left the recording", cleanup.Token).ConfigureAwait(false);
        if (_session is not null) await _session.CloseAsync().ConfigureAwait(false);
        _stop.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
