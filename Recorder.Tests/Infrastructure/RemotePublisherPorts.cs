namespace Recorder.Tests.Infrastructure;

/// <summary>A remote publisher's id and the ports Janus takes its RTP and RTCP on.</summary>
public sealed record RemotePublisherPorts(long Id, int Port, int RtcpPort)
{
    public void Deconstruct(out long id, out int port) => (id, port) = (Id, Port);
}
