using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// An HTTP/1.1 proxy on 127.0.0.1 between the AWS SDK and the local S3 that
/// misbehaves on purpose: UploadPart requests get faults from a
/// <see cref="FaultPlan"/>, and <see cref="BeginOutage"/> makes the whole S3
/// vanish (every connection reset, new ones too) until <see cref="EndOutage"/>.
/// Point the client's ServiceURL at <see cref="Endpoint"/>; the Host header is
/// forwarded unchanged, so signatures stay valid.
/// </summary>
public sealed class FaultInjectingS3Proxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _upstream;
    private readonly FaultPlan _plan;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, bool> _connections = new();
    private readonly ConcurrentDictionary<InjectedFault, int> _counts = new();
    private readonly Task _acceptLoop;
    private volatile bool _outage;
    private int _partsForwarded;
    private int _outageResets;
    private int _draws;

    public FaultInjectingS3Proxy(Uri upstream, FaultPlan plan)
    {
        if (!IPAddress.IsLoopback(IPAddress.Parse(upstream.Host)))
            throw new ArgumentException("the proxy only forwards to loopback", nameof(upstream));
        _upstream = upstream;
        _plan = plan;
        _random = new Random(plan.Seed);
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _acceptLoop = AcceptLoopAsync();
    }

    public Uri Endpoint { get; }

    /// <summary>Faults injected so far, by kind.</summary>
    public int Count(InjectedFault fault) => _counts.GetValueOrDefault(fault);

    /// <summary>UploadPart requests passed to S3 whose answer reached the client.</summary>
    public int PartsForwarded => Volatile.Read(ref _partsForwarded);

    /// <summary>Connections reset because of an outage.</summary>
    public int OutageResets => Volatile.Read(ref _outageResets);

    /// <summary>Called with <see cref="PartsForwarded"/> after each forwarded UploadPart.</summary>
    public Action<int>? PartForwarded { get; set; }

    public void BeginOutage()
    {
        _outage = true;
        foreach (var c in _connections.Keys) ResetForOutage(c);
    }

    public void EndOutage() => _outage = false;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            if (_outage)
            {
                ResetForOutage(client);
                continue;
            }
            _connections[client] = true;
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        try
        {
            var clientStream = client.GetStream();
            var fromClient = new HttpMessageReader(clientStream);
            HttpMessageReader? fromUpstream = null;
            while (await fromClient.ReadHeadAsync(_stop.Token) is { } request)
            {
                if (_outage) return;
                var isUploadPart = request.StartLine.StartsWith("PUT ", StringComparison.Ordinal)
                                   && request.StartLine.Contains("partNumber=", StringComparison.Ordinal)
                                   && request.StartLine.Contains("uploadId=", StringComparison.Ordinal);
                var fault = isUploadPart ? Draw() : InjectedFault.None;
                if (fault != InjectedFault.None) _counts.AddOrUpdate(fault, 1, (_, n) => n + 1);
                var expectContinue = string.Equals(request.Header("Expect"), "100-continue", StringComparison.OrdinalIgnoreCase);
                if (expectContinue) await clientStream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), _stop.Token);

                switch (fault)
                {
                    case InjectedFault.Error500 or InjectedFault.Error503:
                        await fromClient.CopyAsync(request.ContentLength, null, _stop.Token);
                        await clientStream.WriteAsync(ErrorResponse(fault), _stop.Token);
                        continue;
                    case InjectedFault.ResetMidBody:
                        await fromClient.CopyAsync(request.ContentLength / 2, null, _stop.Token);
                        Reset(client);
                        return;
                    case InjectedFault.LatencySpike:
                        await Task.Delay(_plan.Latency, _stop.Token);
                        break;
                }

                if (!upstream.Connected)
                {
                    await upstream.ConnectAsync(_upstream.Host, _upstream.Port, _stop.Token);
                    fromUpstream = new HttpMessageReader(upstream.GetStream());
                }
                var upstreamStream = upstream.GetStream();
                // The proxy already said 100 Continue; the body follows the head directly.
                await upstreamStream.WriteAsync(expectContinue ? request.Without("Expect") : request.Raw, _stop.Token);
                if (request.IsChunked) await fromClient.CopyChunkedAsync(upstreamStream, _stop.Token);
                else await fromClient.CopyAsync(request.ContentLength, upstreamStream, _stop.Token);

                if (!await RelayResponseAsync(request, fromUpstream!, clientStream)) return;
                if (isUploadPart) PartForwarded?.Invoke(Interlocked.Increment(ref _partsForwarded));
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested || _outage)
        {
        }
        catch (IOException)
        {
        }
        catch (SocketException)
        {
        }
        finally
        {
            _connections.TryRemove(client, out _);
            client.Dispose();
        }
    }

    /// <summary>Relays one response; false when the connection must close after it.</summary>
    private async Task<bool> RelayResponseAsync(HttpHead request, HttpMessageReader fromUpstream, Stream clientStream)
    {
        HttpHead response;
        do
        {
            response = await fromUpstream.ReadHeadAsync(_stop.Token) ?? throw new IOException("upstream closed");
        } while (response.StartLine.Split(' ')[1] == "100"); // the proxy already answered 100 Continue itself

        await clientStream.WriteAsync(response.Raw, _stop.Token);
        var status = int.Parse(response.StartLine.Split(' ')[1]);
        var noBody = request.StartLine.StartsWith("HEAD ", StringComparison.Ordinal) || status is 204 or 304;
        if (noBody) return true;
        if (response.IsChunked) await fromUpstream.CopyChunkedAsync(clientStream, _stop.Token);
        else if (response.Header("Content-Length") is not null) await fromUpstream.CopyAsync(response.ContentLength, clientStream, _stop.Token);
        else
        {
            await fromUpstream.CopyToEndAsync(clientStream, _stop.Token);
            return false;
        }
        return !string.Equals(response.Header("Connection"), "close", StringComparison.OrdinalIgnoreCase);
    }

    private InjectedFault Draw()
    {
        double r;
        lock (_random)
        {
            if (_draws < _plan.FirstFaults.Count) return _plan.FirstFaults[_draws++];
            r = _random.NextDouble();
        }
        if (r < _plan.ErrorRate) return r < _plan.ErrorRate / 2 ? InjectedFault.Error500 : InjectedFault.Error503;
        r -= _plan.ErrorRate;
        if (r < _plan.ResetRate) return InjectedFault.ResetMidBody;
        r -= _plan.ResetRate;
        return r < _plan.LatencyRate ? InjectedFault.LatencySpike : InjectedFault.None;
    }

    private static byte[] ErrorResponse(InjectedFault fault)
    {
        var (status, code) = fault == InjectedFault.Error503 ? ("503 Slow Down", "SlowDown") : ("500 Internal Server Error", "InternalError");
        var body = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>injected by the test proxy</Message></Error>";
        return Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {body.Length}\r\n\r\n{body}");
    }

    private void ResetForOutage(TcpClient client)
    {
        Interlocked.Increment(ref _outageResets);
        Reset(client);
    }

    /// <summary>Closes with RST, as a crashed server or a dropped route looks to the client.</summary>
    private static void Reset(TcpClient client)
    {
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
            client.Client.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var c in _connections.Keys) Reset(c);
        await _acceptLoop;
        _stop.Dispose();
    }
}
