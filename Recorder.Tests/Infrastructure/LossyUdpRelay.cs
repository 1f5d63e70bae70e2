using System.Net;
using System.Net.Sockets;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// A fault injector for RTP on loopback: forwards UDP datagrams from its own
/// port to 127.0.0.1:<c>target</c>, dropping a share of them and swapping
/// neighbours (a datagram held back and sent after the next one). Seeded, so
/// a run is repeatable.
/// </summary>
public sealed class LossyUdpRelay : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _target;
    private readonly double _loss;
    private readonly double _reorder;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LossyUdpRelay(int target, double loss, double reorder, int seed = 7)
    {
        _target = new IPEndPoint(IPAddress.Loopback, target);
        _loss = loss;
        _reorder = reorder;
        _random = new Random(seed);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = Task.Run(RunAsync);
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;
    public long Forwarded { get; private set; }
    public long Dropped { get; private set; }
    public long Reordered { get; private set; }

    private async Task RunAsync()
    {
        var buffer = new byte[2048];
        byte[]? held = null;
        var any = new IPEndPoint(IPAddress.Loopback, 0);
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = (await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token)).ReceivedBytes;
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            // RTCP (ffmpeg sends it to port + 1 anyway) and RTP alike.
            if (_random.NextDouble() < _loss)
            {
                Dropped++;
                continue;
            }
            if (held is null && _random.NextDouble() < _reorder)
            {
                held = buffer.AsSpan(0, n).ToArray();
                Reordered++;
                continue;
            }
            await _socket.SendToAsync(buffer.AsMemory(0, n), SocketFlags.None, _target);
            Forwarded++;
            if (held is not null)
            {
                await _socket.SendToAsync(held, SocketFlags.None, _target);
                Forwarded++;
                held = null;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // Stopped.
        }
        _stop.Dispose();
    }
}
