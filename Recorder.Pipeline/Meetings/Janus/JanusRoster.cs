using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>
/// Who publishes in the room, as the recorder follows it: participants added
/// when Janus announces them (with their streams forwarded), updated when
/// their streams change, removed when they leave or unpublish (with their
/// forwarders stopped). One gate serializes every change, whether it comes
/// from the long-poll, the join answer or the supervisor; the clock reads the
/// present participants from an array swapped whole, without the gate.
/// </summary>
internal sealed class JanusRoster(JanusMeetingOptions options, RecordingClock clock, ILogger log, Action<RosterEvent> publish)
{
    private static readonly TimeSpan MaxReforwardInterval = TimeSpan.FromSeconds(10);
    private readonly JanusForwarders _forwarders = new(options);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, JanusParticipant> _participants = [];
    private readonly Dictionary<ForwardedStream, int> _reforwards = [];
    private volatile Participant[] _present = [];
    private long _lastChangeTicks = Stopwatch.GetTimestamp();

    /// <summary>The participants present, in join order (an immutable array).</summary>
    public Participant[] Present => _present;

    /// <summary>When someone last joined or left (a <see cref="Stopwatch"/> timestamp), for the idle timeout.</summary>
    public long LastChangeTicks => Interlocked.Read(ref _lastChangeTicks);

    public int Reforwards { get; private set; }

    /// <summary>Applies the roster part of a VideoRoom event: <c>publishers</c>, <c>leaving</c>, <c>unpublished</c>, <c>kicked</c>.</summary>
    public async Task ApplyAsync(JanusSession session, JsonObject data, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
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
            _gate.Release();
        }
    }

    /// <summary>Everyone leaves (the session was lost, or the recording ends); forwarders are stopped where <paramref name="session"/> still can.</summary>
    public async Task RemoveAllAsync(JanusSession? session, string why, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            foreach (var id in _participants.Keys.ToList()) await RemoveAsync(session, id, why, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A stream that stays silent while its publisher is present gets a new
    /// forwarder (and key): after a publisher restarts with lower sequence
    /// numbers, Janus's SRTP forwarder drops everything. A publisher that is
    /// simply quiet costs a forwarder swap now and then (backing off to every 10 s).
    /// </summary>
    public async Task ReforwardSilentStreamsAsync(JanusSession session, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var participant in _participants.Values)
            {
                foreach (var stream in participant.Streams)
                {
                    var last = Math.Max(stream.LastPacketTicks, stream.ForwardedAtTicks);
                    var attempts = stream.LastPacketTicks > stream.ForwardedAtTicks ? 0 : _reforwards.GetValueOrDefault(stream);
                    var wait = TimeSpan.FromTicks(Math.Min(MaxReforwardInterval.Ticks, options.StreamSilenceBeforeReforward.Ticks << Math.Min(attempts, 8)));
                    if (Stopwatch.GetElapsedTime(last) < wait) continue;
                    _reforwards[stream] = attempts + 1;
                    Reforwards++;
                    log.LogInformation("{Kind} of {Participant} silent for {Seconds:0.0} s: replacing its forwarder", stream.Kind, participant, Stopwatch.GetElapsedTime(last).TotalSeconds);
                    await _forwarders.StopAsync(session.Api, participant.PublisherId, stream, cancellationToken).ConfigureAwait(false);
                    await ForwardAsync(session, participant, stream, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Releases packets that waited long enough and lets video ask for keyframes (every few milliseconds).</summary>
    public void Pump()
    {
        foreach (var p in _present) ((JanusParticipant)p).Pump();
    }

    private async Task AddOrUpdateAsync(JanusSession session, JanusPublisher publisher, CancellationToken cancellationToken)
    {
        if (!_participants.TryGetValue(publisher.Id, out var participant))
        {
            participant = new JanusParticipant(publisher, options, clock);
            _participants.Add(publisher.Id, participant);
            _present = [.. _present, participant];
            Interlocked.Exchange(ref _lastChangeTicks, Stopwatch.GetTimestamp());
            publish(new RosterEvent(clock.EventTime, RosterEventKind.Joined, participant.Id, participant.DisplayName));
            log.LogInformation("{Participant} joined with {Streams}", participant, string.Join(", ", publisher.Streams.Select(s => $"{s.Type}/{s.Codec}")));
        }
        participant.Publisher = publisher;
        foreach (var dropped in participant.DroppedStreams())
        {
            await _forwarders.StopAsync(session.Api, participant.PublisherId, dropped, cancellationToken).ConfigureAwait(false);
            await participant.CloseAsync(dropped).ConfigureAwait(false);
        }
        foreach (var stream in participant.OpenStreams()) await ForwardAsync(session, participant, stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets up a forwarder. A refusal for one stream (the VideoRoom does not
    /// know its mid, the room's secret is wrong) leaves that stream silent and
    /// is retried with the silent-stream back-off; an unreachable Janus is the
    /// session's problem and propagates.
    /// </summary>
    private async Task ForwardAsync(JanusSession session, JanusParticipant participant, ForwardedStream stream, CancellationToken cancellationToken)
    {
        try
        {
            await _forwarders.StartAsync(session.Api, participant.PublisherId, stream, cancellationToken).ConfigureAwait(false);
        }
        catch (JanusApiException ex)
        {
            log.LogWarning("could not forward the {Kind} of {Participant}: {Message}", stream.Kind, participant, ex.Message);
        }
    }

    private async Task RemoveAsync(JanusSession? session, string publisherId, string why, CancellationToken cancellationToken)
    {
        if (!_participants.Remove(publisherId, out var participant)) return;
        _present = _present.Where(p => p != participant).ToArray();
        Interlocked.Exchange(ref _lastChangeTicks, Stopwatch.GetTimestamp());
        publish(new RosterEvent(clock.EventTime, RosterEventKind.Left, participant.Id, participant.DisplayName));
        log.LogInformation("{Participant} {Why} ({Statistics})", participant, why, participant.Statistics());
        foreach (var stream in participant.Streams.ToList())
        {
            _reforwards.Remove(stream);
            if (session is null || session.Closed) continue;
            try
            {
                await _forwarders.StopAsync(session.Api, publisherId, stream, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or JanusApiException or OperationCanceledException)
            {
                log.LogDebug("could not stop a forwarder of {Participant}: {Message}", participant, ex.Message);
            }
        }
        await participant.DisposeAsync().ConfigureAwait(false);
    }
}
