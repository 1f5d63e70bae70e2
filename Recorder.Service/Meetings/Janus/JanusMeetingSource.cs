using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Recorder.Service.Meetings.Janus;

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
    private static readonly TimeSpan MaxReforwardInterval = TimeSpan.FromSeconds(10);
    private readonly JanusMeetingOptions _options;
    private readonly JanusForwarders _forwarders;
    private readonly ILogger _log;
    private readonly RecordingClock _clock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _roomGate = new(1, 1);
    private readonly Dictionary<string, JanusParticipant> _participants = [];
    private readonly Dictionary<ForwardedStream, int> _reforwards = [];
    private readonly List<Task> _loops = [];
    private volatile Participant[] _present = [];
    private JanusSession? _session;
    private long _lastPublisherTicks = Stopwatch.GetTimestamp();

    public JanusMeetingSource(JanusMeetingOptions options, ILogger? logger = null)
    {
        _options = options;
        _forwarders = new JanusForwarders(options);
        _log = logger ?? NullLogger.Instance;
    }

    public JanusMeetingOptions Options => _options;
    public override string Description => _options.Description;

    /// <summary>How often forwarders were replaced because their stream went silent (publisher restarts).</summary>
    public int Reforwards { get; private set; }

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
        foreach (var p in _present) present.Add(p);
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
    }

    /// <summary>Applies a VideoRoom event: publishers arriving or changing, leaving, unpublishing, the room going away.</summary>
    private async Task OnRoomEventAsync(JanusSession session, JsonObject data, CancellationToken cancellationToken)
    {
        var kind = (string?)data["videoroom"];
        if (kind == "destroyed")
        {
            End(_clock.Now, $"the room {_options.Room} was destroyed");
            return;
        }
        await _roomGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (data["publishers"] is JsonArray publishers)
            {
                foreach (var node in publishers)
                {
                    if (JanusPublisher.Parse(node) is { } publisher) await AddOrUpdateAsync(session, publisher, cancellationToken).ConfigureAwait(false);
                }
            }
            foreach (var key in new[] { "leaving", "unpublished", "kicked" })
            {
                if (data[key] is JsonValue id && id.ToString() != "ok") await RemoveAsync(session, id.ToString(), key, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _roomGate.Release();
        }
    }

    private async Task AddOrUpdateAsync(JanusSession session, JanusPublisher publisher, CancellationToken cancellationToken)
    {
        if (!_participants.TryGetValue(publisher.Id, out var participant))
        {
            participant = new JanusParticipant(publisher, _options, _clock);
            _participants.Add(publisher.Id, participant);
            _present = [.. _present, participant];
            Interlocked.Exchange(ref _lastPublisherTicks, Stopwatch.GetTimestamp());
            Publish(new RosterEvent(_clock.Now, RosterEventKind.Joined, participant.Id, participant.DisplayName));
            _log.LogInformation("{Participant} joined with {Streams}", participant, string.Join(", ", publisher.Streams.Select(s => $"{s.Type}/{s.Codec}")));
        }
        participant.Publisher = publisher;
        foreach (var dropped in participant.DroppedStreams())
        {
            await _forwarders.StopAsync(session.Api, participant.PublisherId, dropped, cancellationToken).ConfigureAwait(false);
            await participant.CloseAsync(dropped).ConfigureAwait(false);
        }
        foreach (var stream in participant.OpenStreams())
            await _forwarders.StartAsync(session.Api, participant.PublisherId, stream, cancellationToken).ConfigureAwait(false);
    }

    private async Task RemoveAsync(JanusSession? session, string publisherId, string why, CancellationToken cancellationToken)
    {
        if (!_participants.Remove(publisherId, out var participant)) return;
        _present = _present.Where(p => p != participant).ToArray();
        Interlocked.Exchange(ref _lastPublisherTicks, Stopwatch.GetTimestamp());
        Publish(new RosterEvent(_clock.Now, RosterEventKind.Left, participant.Id, participant.DisplayName));
        _log.LogInformation("{Participant} {Why} ({Statistics})", participant, why, participant.Statistics());
        foreach (var stream in participant.Streams.ToList())
        {
            _reforwards.Remove(stream);
            if (session is not null && !session.Closed)
            {
                try
                {
                    await _forwarders.StopAsync(session.Api, publisherId, stream, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or JanusApiException)
                {
                    _log.LogDebug("could not stop a forwarder of {Participant}: {Message}", participant, ex.Message);
                }
            }
        }
        await participant.DisposeAsync().ConfigureAwait(false);
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
                if (_options.IdleTimeout > TimeSpan.Zero && _present.Length == 0
                    && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastPublisherTicks)) >= _options.IdleTimeout)
                {
                    End(_clock.Now, $"nobody published in room {_options.Room} for {_options.IdleTimeout.TotalSeconds:0.#} s");
                    return;
                }
                await ReforwardSilentStreamsAsync(session, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// A stream that stays silent while its publisher is present gets a new
    /// forwarder (and key): after a publisher restarts with lower sequence
    /// numbers, Janus's SRTP forwarder drops everything. A publisher that is
    /// simply quiet costs a forwarder swap now and then (backing off to every 10 s).
    /// </summary>
    private async Task ReforwardSilentStreamsAsync(JanusSession session, CancellationToken stop)
    {
        await _roomGate.WaitAsync(stop).ConfigureAwait(false);
        try
        {
            foreach (var participant in _participants.Values)
            {
                foreach (var stream in participant.Streams)
                {
                    var last = Math.Max(stream.LastPacketTicks, stream.ForwardedAtTicks);
                    var attempts = _reforwards.GetValueOrDefault(stream);
                    if (stream.LastPacketTicks > stream.ForwardedAtTicks) attempts = 0;
                    var wait = TimeSpan.FromTicks(Math.Min(MaxReforwardInterval.Ticks, _options.StreamSilenceBeforeReforward.Ticks << Math.Min(attempts, 8)));
                    if (Stopwatch.GetElapsedTime(last) < wait) continue;
                    _reforwards[stream] = attempts + 1;
                    Reforwards++;
                    _log.LogInformation("{Kind} of {Participant} silent for {Seconds:0.0} s: replacing its forwarder", stream.Kind, participant, Stopwatch.GetElapsedTime(last).TotalSeconds);
                    await _forwarders.StopAsync(session.Api, participant.PublisherId, stream, stop).ConfigureAwait(false);
                    await _forwarders.StartAsync(session.Api, participant.PublisherId, stream, stop).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or JanusApiException)
        {
            // Janus itself is in trouble: the long-poll notices and reconnects.
            _log.LogWarning("could not replace a forwarder: {Message}", ex.Message);
        }
        finally
        {
            _roomGate.Release();
        }
    }

    /// <summary>Janus was lost: everyone leaves the picture, then the room is rejoined until the reconnect timeout runs out.</summary>
    private async Task<bool> ReconnectAsync(JanusSession lost, string reason, CancellationToken stop)
    {
        _log.LogWarning("lost {Meeting}: {Reason}; reconnecting for up to {Seconds} s", Description, reason, _options.ReconnectTimeout.TotalSeconds);
        await lost.CloseAsync().ConfigureAwait(false);
        await _roomGate.WaitAsync(stop).ConfigureAwait(false);
        try
        {
            foreach (var id in _participants.Keys.ToList()) await RemoveAsync(null, id, "was lost with the session", stop).ConfigureAwait(false);
        }
        finally
        {
            _roomGate.Release();
        }

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
                foreach (var p in _present) ((JanusParticipant)p).Pump();
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
        await _roomGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            foreach (var id in _participants.Keys.ToList()) await RemoveAsync(_session, id, "left the recording", cleanup.Token).ConfigureAwait(false);
        }
        finally
        {
            _roomGate.Release();
        }
        if (_session is not null) await _session.CloseAsync().ConfigureAwait(false);
        _stop.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One Janus session: its API client, its long-poll, and how it was lost.</summary>
    private sealed class JanusSession(JanusApiClient api)
    {
        public JanusApiClient Api { get; } = api;
        public Task? Poll { get; set; }
        public TaskCompletionSource<string> Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool Closed { get; private set; }

        public async Task CloseAsync()
        {
            if (Closed) return;
            Closed = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Api.DestroyAsync(timeout.Token).ConfigureAwait(false);
            Api.Dispose();
            if (Poll is not null) await Poll.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }
}
