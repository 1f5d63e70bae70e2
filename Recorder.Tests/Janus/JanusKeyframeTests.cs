using System.Net;
using System.Net.Sockets;
using Recorder.Pipeline.Meetings.Janus;
using Recorder.Pipeline.Rtp;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Janus;

/// <summary>Keyframe requests go from the recorder through Janus to the publisher.</summary>
[Collection(JanusCollection.Name)]
[Trait("Category", "Integration")]
public sealed class JanusKeyframeTests(JanusFixture janus, ITestOutputHelper log)
{
    [Fact]
    public async Task A_publisher_sending_no_keyframe_is_asked_for_one_through_janus()
    {
        var room = janus.NewRoom();
        using var admin = new JanusAdmin(janus.Instance.ApiUrl);
        await admin.CreateRoomAsync(room); // no fir_freq: any request the publisher sees comes from a receiver
        var ports = await admin.AddRemotePublisherAsync(room, "Erin", audio: false);
        using var publisher = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        publisher.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // A receiver report first, so Janus knows where this publisher takes its RTCP.
        byte[] report = [0x80, 201, 0, 1, 0, 0, 0x03, 0xE8];
        await publisher.SendToAsync(report, new IPEndPoint(IPAddress.Loopback, ports.RtcpPort));

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(6));
        var sending = SendInterFramesAsync(publisher, ports.Port, stop.Token);
        var requests = CountKeyframeRequestsAsync(publisher, stop.Token);
        await using (var source = new JanusMeetingSource(JanusMeetingOptions.Parse(new Uri(janus.Instance.MeetingUri(room))), new TestOutputLogger(log, "janus")))
        {
            await source.StartAsync(CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        await stop.CancelAsync();
        await sending;
        var count = await requests;
        log.WriteLine($"{count} keyframe requests reached the publisher in 5 s");
        // The recorder asks twice a second while it has no keyframe; Janus passes on at least one a second.
        Assert.True(count >= 3, $"only {count} keyframe requests reached the publisher");
    }

    /// <summary>One-packet VP8 inter frames (P=1) at 15 fps: nothing a decoder can start from.</summary>
    private static async Task SendInterFramesAsync(Socket socket, int port, CancellationToken stop)
    {
        var target = new IPEndPoint(IPAddress.Loopback, port);
        var packet = new byte[12 + 1 + 100];
        ushort seq = 1;
        uint timestamp = 0;
        while (!stop.IsCancellationRequested)
        {
            RtpPacket.WriteHeader(packet, true, 96, seq++, timestamp, 1000); // the only stream: mindex 0
            packet[12] = 0x10;     // descriptor: start of partition 0
            packet[13] = 0x01;     // frame tag with P=1: an inter frame
            await socket.SendToAsync(packet, target);
            timestamp = unchecked(timestamp + 6000);
            try
            {
                await Task.Delay(66, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<int> CountKeyframeRequestsAsync(Socket socket, CancellationToken stop)
    {
        var buffer = new byte[1500];
        var count = 0;
        var any = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            try
            {
                var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stop);
                // Compound RTCP: look at each packet for PSFB PLI (FMT 1) or FIR (FMT 4).
                var offset = 0;
                while (offset + 4 <= r.ReceivedBytes)
                {
                    var fmt = buffer[offset] & 0x1F;
                    if (buffer[offset + 1] == Rtcp.PayloadSpecificFeedback && fmt is 1 or 4) count++;
                    offset += 4 * ((buffer[offset + 2] << 8 | buffer[offset + 3]) + 1);
                }
            }
            catch (OperationCanceledException)
            {
                return count;
            }
        }
    }
}
