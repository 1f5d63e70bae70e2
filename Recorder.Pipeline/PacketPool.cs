using System.Threading.Channels;

namespace Recorder.Pipeline;

/// <summary>
/// A fixed set of reusable packets. Its size is the memory bound of a stage:
/// when every packet is in flight the live edge drops (real time) or waits
/// (virtual time) instead of allocating.
/// </summary>
public sealed class PacketPool
{
    private readonly Channel<MediaPacket> _free;

    public PacketPool(int count, Func<MediaPacket> create)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Capacity = count;
        _free = Channel.CreateBounded<MediaPacket>(count);
        for (var i = 0; i < count; i++) _free.Writer.TryWrite(create());
    }

    public int Capacity { get; }
    public int Available => _free.Reader.Count;

    public bool TryRent(out MediaPacket packet) => _free.Reader.TryRead(out packet!);

    public ValueTask<MediaPacket> RentAsync(CancellationToken cancellationToken) => _free.Reader.ReadAsync(cancellationToken);

    public void Return(MediaPacket packet)
    {
        if (!_free.Writer.TryWrite(packet))
            throw new InvalidOperationException("a packet was returned to a pool it did not come from, or twice");
    }
}
