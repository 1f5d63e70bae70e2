using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Recorder.Pipeline.Rtp;

namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>
/// One publisher stream (audio or video) that Janus forwards to the
/// recorder: an RTP and an RTCP socket on 127.0.0.1, the SRTP context of the
/// current forwarder's key, and a jitter buffer that hands packets to the
/// sink in order. A new forwarder (<see cref="Rekey"/>) brings a new key and
/// starts sequence and timing over. Everything that touches the SRTP context,
/// the jitter buffer or the sink happens under one lock, from the receive
/// loop or the periodic <see cref="Pump"/>.
/// </summary>
internal sealed class ForwardedStream : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Socket _rtp = Bind();
    private readonly Socket _rtcp = Bind();
    private readonly RtpJitterBuffer _jitter;
    private readonly IRtpSink _sink;
    private readonly RecordingClock _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _rtcpOut = new byte[64];
    private readonly Task _rtpLoop;
    private readonly Task _rtcpLoop;
    private SrtpContext? _srtp;
    private long _lastPacketTicks;
    private uint _lastSsrc;
    private long _rejected;
    private bool _disposed;

    public ForwardedStream(string kind, string mid, IRtpSink sink, RecordingClock clock, int jitterSlots, TimeSpan maxReorderWait)
    {
        Kind = kind;
        Mid = mid;
        _sink = sink;
        _clock = clock;
        _jitter = new RtpJitterBuffer(jitterSlots, maxReorderWait);
        _rtpLoop = Task.Run(() => ReceiveRtpAsync(_stop.Token));
        _rtcpLoop = Task.Run(() => ReceiveRtcpAsync(_stop.Token));
    }

    public string Kind { get; }
    public string Mid { get; }
    public int RtpPort => ((IPEndPoint)_rtp.LocalEndPoint!).Port;
    public int RtcpPort => ((IPEndPoint)_rtcp.LocalEndPoint!).Port;

    /// <summary>The Janus forwarder feeding this stream (null while there is none).</summary>
    public long? ForwarderId { get; set; }

    /// <summary>Where Janus listens for RTCP feedback of this forwarder (keyframe requests go there).</summary>
    public IPEndPoint? JanusRtcp { get; set; }

    /// <summary>When the current forwarder was set up (a <see cref="Stopwatch"/> timestamp).</summary>
    public long ForwardedAtTicks { get; private set; }

    /// <summary>The last authenticated packet (a <see cref="Stopwatch"/> timestamp), 0 before the first.</summary>
    public long LastPacketTicks => Interlocked.Read(ref _lastPacketTicks);

    public long PacketsLost => _jitter.Lost;
    public long PacketsRejected => Interlocked.Read(ref _rejected);

    /// <summary>A fresh SRTP key for a new forwarder: packets under any older key fail authentication from now on.</summary>
    public void Rekey(SrtpMasterKey key)
    {
        var context = new SrtpContext(key);
        lock (_gate)
        {
            _srtp?.Dispose();
            _srtp = context;
            _jitter.Reset();
            _sink.OnRestart();
            ForwardedAtTicks = Stopwatch.GetTimestamp();
            Interlocked.Exchange(ref _lastPacketTicks, 0);
        }
    }

    /// <summary>Releases packets whose wait for missing ones ran out, and gives the sink its idle turn.</summary>
    public void Pump()
    {
        lock (_gate)
        {
            // The roster may still pump a participant that is being closed: after disposal nothing reaches the sink.
            if (_disposed) return;
            Drain(Stopwatch.GetTimestamp());
            _sink.OnIdle(this);
        }
    }

    /// <summary>Asks Janus for a keyframe (RTCP PLI to the forwarder's feedback port, which Janus relays to the publisher).</summary>
    public void RequestKeyframe()
    {
        if (JanusRtcp is not { } target || _lastSsrc == 0) return;
        var length = Rtcp.WritePictureLossIndication(_rtcpOut, 1, _lastSsrc);
        try
        {
            _rtcp.SendTo(_rtcpOut.AsSpan(0, length), SocketFlags.None, target);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Feedback is best effort; the room's fir_freq still brings keyframes.
        }
    }

    private async Task ReceiveRtpAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[RtpJitterBuffer.MaxPacketBytes + 64];
        while (!cancellationToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _rtp.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // e.g. an ICMP error from an earlier send; the socket stays usable
            }
            var now = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                if (_disposed) return;
                if (_srtp is null || _srtp.Unprotect(buffer.AsSpan(0, received), out var length) != SrtpResult.Ok
                    || !RtpPacket.TryParse(buffer.AsSpan(0, length), out var header))
                {
                    Interlocked.Increment(ref _rejected);
                    continue;
                }
                Interlocked.Exchange(ref _lastPacketTicks, now);
                _lastSsrc = header.Ssrc;
                var payload = buffer.AsSpan(header.HeaderLength, header.PayloadLength);
                if (_jitter.Insert(header, payload, now) == RtpJitterBuffer.InsertResult.Restarted) _sink.OnRestart();
                Drain(now);
            }
        }
    }

    private async Task ReceiveRtcpAsync(CancellationToken cancellationToken)
    {
        // Janus sends one packet to open the path (and no sender reports in 1.1.2); what matters is where it came from.
        var buffer = new byte[1500];
        var any = new IPEndPoint(IPAddress.Loopback, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var result = await _rtcp.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
                if (JanusRtcp is null && result.RemoteEndPoint is IPEndPoint from) JanusRtcp = from;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // Keep listening.
            }
        }
    }

    private void Drain(long now)
    {
        while (_jitter.TryRead(now, out var header, out var payload, out var lost, out var arrival))
            _sink.OnPacket(header, payload.Span, lost, _clock.At(arrival));
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        // Room for a burst (a keyframe of many packets) while the loop is busy.
        socket.ReceiveBufferSize = 1 << 20;
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate) _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        _rtp.Dispose();
        _rtcp.Dispose();
        await Task.WhenAll(_rtpLoop, _rtcpLoop).ConfigureAwait(false);
        lock (_gate)
        {
            _srtp?.Dispose();
            _srtp = null;
        }
        _stop.Dispose();
    }
}
