using System.Net;
using System.Text.Json.Nodes;
using Recorder.Pipeline.Rtp;

namespace Recorder.Pipeline.Meetings.Janus;

/// <summary>
/// Asks the VideoRoom to forward a publisher's stream to the recorder's
/// sockets on 127.0.0.1 over SRTP (AES_CM_128_HMAC_SHA1_80) with a fresh key
/// per forwarder, and to stop it. The key travels only in the request body
/// over the API connection; its bytes are wiped once the stream holds the
/// derived session keys (the base64 copy in the request lives until the
/// garbage collector takes it). It is never logged.
/// </summary>
internal sealed class JanusForwarders(JanusMeetingOptions options)
{
    private const int SrtpSuite80 = 80;

    public async Task StartAsync(JanusApiClient api, string publisherId, ForwardedStream stream, CancellationToken cancellationToken)
    {
        JsonObject request;
        using (var key = SrtpMasterKey.Generate())
        {
            // Keyed before asking, so the first packet is already accepted.
            stream.Rekey(key);
            request = new JsonObject
            {
                ["request"] = "rtp_forward",
                ["room"] = options.RoomJson(),
                ["publisher_id"] = JanusApiClient.IdNode(publisherId),
                ["host"] = "127.0.0.1",
                ["host_family"] = "ipv4",
                ["srtp_suite"] = SrtpSuite80,
                ["srtp_crypto"] = key.ToBase64(),
                ["streams"] = new JsonArray(new JsonObject { ["mid"] = stream.Mid, ["port"] = stream.RtpPort, ["rtcp_port"] = stream.RtcpPort }),
            };
        }
        if (options.Secret is { } secret) request["secret"] = secret;
        var answer = await api.RequestAsync(request, cancellationToken).ConfigureAwait(false);
        var forwarder = (answer["forwarders"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault()
            ?? throw new JanusApiException(0, $"the VideoRoom set up no forwarder for stream {stream.Mid} (does the publisher send it?)");
        stream.ForwarderId = (long?)forwarder["stream_id"];
        if ((int?)forwarder["local_rtcp_port"] is { } rtcp and > 0) stream.JanusRtcp = new IPEndPoint(IPAddress.Loopback, rtcp);
    }

    /// <summary>Stops the stream's forwarder; a publisher or room that is already gone took it along, which is fine.</summary>
    public async Task StopAsync(JanusApiClient api, string publisherId, ForwardedStream stream, CancellationToken cancellationToken)
    {
        if (stream.ForwarderId is not { } id) return;
        stream.ForwarderId = null;
        var request = new JsonObject
        {
            ["request"] = "stop_rtp_forward",
            ["room"] = options.RoomJson(),
            ["publisher_id"] = JanusApiClient.IdNode(publisherId),
            ["stream_id"] = id,
        };
        if (options.Secret is { } secret) request["secret"] = secret;
        try
        {
            await api.RequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (JanusApiException ex) when (ex.Code is JanusApiException.NoSuchFeed or JanusApiException.NoSuchRoom)
        {
            // Gone with its publisher or room.
        }
    }

}
