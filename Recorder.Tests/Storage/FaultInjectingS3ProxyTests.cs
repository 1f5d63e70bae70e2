using System.Net;
using System.Net.Sockets;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Storage;

/// <summary>
/// The fault proxy itself: an outage must begin (and the proxy be disposed)
/// whatever its connections are doing at that instant. A connection that
/// closes while <see cref="FaultInjectingS3Proxy.BeginOutage"/> walks the open
/// ones once made it throw after the outage had begun, so the caller never
/// ended the outage and the 60 s outage test failed after its 180 s window.
/// </summary>
public sealed class FaultInjectingS3ProxyTests
{
    private const int Connections = 48;
    private const int Rounds = 25;

    [Fact]
    public async Task An_outage_begins_and_the_proxy_disposes_while_connections_are_closing()
    {
        // Nothing is forwarded here: the upstream is never contacted.
        var upstream = new Uri("http://127.0.0.1:9");
        for (var round = 0; round < Rounds; round++)
        {
            var proxy = new FaultInjectingS3Proxy(upstream, new FaultPlan());
            var clients = await ConnectAsync(proxy);
            // Clients close while the outage begins: the proxy sees both at once.
            var closing = Task.Run(() => { foreach (var c in clients) c.Dispose(); });
            proxy.BeginOutage();
            await closing;
            proxy.EndOutage();
            await proxy.DisposeAsync();

            proxy = new FaultInjectingS3Proxy(upstream, new FaultPlan());
            clients = await ConnectAsync(proxy);
            closing = Task.Run(() => { foreach (var c in clients) c.Dispose(); });
            await proxy.DisposeAsync();
            await closing;
        }
    }

    private static async Task<List<TcpClient>> ConnectAsync(FaultInjectingS3Proxy proxy)
    {
        var clients = new List<TcpClient>();
        for (var i = 0; i < Connections; i++)
        {
            var c = new TcpClient();
            await c.ConnectAsync(IPAddress.Loopback, proxy.Endpoint.Port);
            clients.Add(c);
        }
        Assert.True(SpinWait.SpinUntil(() => proxy.OpenConnections == Connections, TimeSpan.FromSeconds(30)),
            $"the proxy accepted {proxy.OpenConnections} of {Connections} connections");
        return clients;
    }
}
